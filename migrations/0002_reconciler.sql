CREATE TABLE "reconciler_blocks" (
	"key" text NOT NULL,
	"record_key" text NOT NULL,
	CONSTRAINT "reconciler_blocks_key_record_key_pk" PRIMARY KEY("key","record_key")
);
--> statement-breakpoint
CREATE TABLE "reconciler_conflicts" (
	"master_id" text NOT NULL,
	"field" text NOT NULL,
	"values" jsonb NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reconciler_conflicts_master_id_field_pk" PRIMARY KEY("master_id","field")
);
--> statement-breakpoint
CREATE TABLE "reconciler_link_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"record_key" text NOT NULL,
	"master_id" text NOT NULL,
	"previous_master_id" text,
	"state" text NOT NULL,
	"origin" text NOT NULL,
	"score" double precision,
	"model_version" text NOT NULL,
	"reason" text NOT NULL,
	"event_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reconciler_links" (
	"record_key" text PRIMARY KEY NOT NULL,
	"master_id" text NOT NULL,
	"state" text NOT NULL,
	"origin" text NOT NULL,
	"score" double precision,
	"via_record_key" text,
	"model_version" text NOT NULL,
	"reason" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reconciler_masters" (
	"master_id" text PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"revision" integer NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"merged_into" text,
	"fields" jsonb NOT NULL,
	"published_revision" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reconciler_masters_seq" UNIQUE("seq")
);
--> statement-breakpoint
CREATE TABLE "reconciler_models" (
	"version" text PRIMARY KEY NOT NULL,
	"model" jsonb NOT NULL,
	"sample_records" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reconciler_never_links" (
	"record_a" text NOT NULL,
	"record_b" text NOT NULL,
	"reason" text NOT NULL,
	"asserted_by" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reconciler_never_links_record_a_record_b_pk" PRIMARY KEY("record_a","record_b")
);
--> statement-breakpoint
CREATE TABLE "reconciler_review_items" (
	"record_a" text NOT NULL,
	"record_b" text NOT NULL,
	"score" double precision NOT NULL,
	"model_version" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reconciler_review_items_record_a_record_b_pk" PRIMARY KEY("record_a","record_b")
);
--> statement-breakpoint
CREATE TABLE "reconciler_source_records" (
	"record_key" text PRIMARY KEY NOT NULL,
	"system" text NOT NULL,
	"instance" text NOT NULL,
	"record_id" text NOT NULL,
	"event_id" text NOT NULL,
	"observed_at" text NOT NULL,
	"payload" jsonb NOT NULL,
	"normalised" jsonb NOT NULL,
	"blocking_keys" text[] NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reconciler_source_records_source" UNIQUE("system","instance","record_id")
);
--> statement-breakpoint
CREATE INDEX "reconciler_blocks_record" ON "reconciler_blocks" USING btree ("record_key");--> statement-breakpoint
CREATE INDEX "reconciler_link_history_record" ON "reconciler_link_history" USING btree ("record_key");--> statement-breakpoint
CREATE INDEX "reconciler_link_history_master" ON "reconciler_link_history" USING btree ("master_id");--> statement-breakpoint
CREATE INDEX "reconciler_links_master" ON "reconciler_links" USING btree ("master_id");--> statement-breakpoint
CREATE INDEX "reconciler_masters_active" ON "reconciler_masters" USING btree ("status");--> statement-breakpoint
CREATE INDEX "reconciler_never_links_b" ON "reconciler_never_links" USING btree ("record_b");--> statement-breakpoint
CREATE INDEX "reconciler_review_open" ON "reconciler_review_items" USING btree ("status") WHERE status = 'open';