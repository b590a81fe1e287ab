CREATE TABLE "connector_cursors" (
	"connector" text NOT NULL,
	"stream" text NOT NULL,
	"cursor" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "connector_cursors_connector_stream_pk" PRIMARY KEY("connector","stream")
);
--> statement-breakpoint
CREATE TABLE "connector_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"connector" text NOT NULL,
	"stream" text NOT NULL,
	"mode" text NOT NULL,
	"source" text,
	"status" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"records_read" integer DEFAULT 0 NOT NULL,
	"events_emitted" integer DEFAULT 0 NOT NULL,
	"dead_lettered" integer DEFAULT 0 NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE INDEX "connector_runs_recent" ON "connector_runs" USING btree ("connector","started_at");