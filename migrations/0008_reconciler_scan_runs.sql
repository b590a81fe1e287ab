CREATE TABLE "reconciler_scan_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"trigger" text NOT NULL,
	"triggered_by" text,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"scanned" integer DEFAULT 0 NOT NULL,
	"merges" integer DEFAULT 0 NOT NULL,
	"relinked" integer DEFAULT 0 NOT NULL,
	"changed_masters" integer DEFAULT 0 NOT NULL,
	"model" jsonb,
	"error" text
);
--> statement-breakpoint
CREATE INDEX "reconciler_scan_runs_recent" ON "reconciler_scan_runs" USING btree ("started_at");