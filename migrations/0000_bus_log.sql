CREATE TABLE "bus_group_leases" (
	"group_id" text NOT NULL,
	"topic" text NOT NULL,
	"partition" integer NOT NULL,
	"member_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "bus_group_leases_group_id_topic_partition_pk" PRIMARY KEY("group_id","topic","partition")
);
--> statement-breakpoint
CREATE TABLE "bus_group_members" (
	"group_id" text NOT NULL,
	"member_id" text NOT NULL,
	"topics" jsonb NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bus_group_members_group_id_member_id_pk" PRIMARY KEY("group_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "bus_group_offsets" (
	"group_id" text NOT NULL,
	"topic" text NOT NULL,
	"partition" integer NOT NULL,
	"next_offset" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bus_group_offsets_group_id_topic_partition_pk" PRIMARY KEY("group_id","topic","partition")
);
--> statement-breakpoint
CREATE TABLE "bus_messages" (
	"topic" text NOT NULL,
	"partition" integer NOT NULL,
	"offset" bigint NOT NULL,
	"key" text,
	"value" "bytea" NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"timestamp" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bus_messages_topic_partition_offset_pk" PRIMARY KEY("topic","partition","offset")
);
--> statement-breakpoint
CREATE TABLE "bus_partitions" (
	"topic" text NOT NULL,
	"partition" integer NOT NULL,
	"next_offset" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "bus_partitions_topic_partition_pk" PRIMARY KEY("topic","partition")
);
--> statement-breakpoint
CREATE TABLE "bus_topics" (
	"name" text PRIMARY KEY NOT NULL,
	"partitions" integer NOT NULL,
	"retention_ms" bigint DEFAULT -1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bus_partitions" ADD CONSTRAINT "bus_partitions_topic_bus_topics_name_fk" FOREIGN KEY ("topic") REFERENCES "public"."bus_topics"("name") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bus_messages_timestamp" ON "bus_messages" USING btree ("topic","timestamp");