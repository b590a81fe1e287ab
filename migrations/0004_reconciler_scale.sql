CREATE TABLE "reconciler_overfull_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "reconciler_blocks_record";--> statement-breakpoint
CREATE INDEX "reconciler_masters_merged_into" ON "reconciler_masters" USING btree ("merged_into") WHERE merged_into is not null;