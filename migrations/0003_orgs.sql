CREATE TABLE "org_aliases" (
	"alias" text NOT NULL,
	"code" text NOT NULL,
	"origin" text NOT NULL,
	"name" text NOT NULL,
	"declared_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "org_aliases_alias_code_origin_pk" PRIMARY KEY("alias","code","origin")
);
--> statement-breakpoint
CREATE TABLE "org_names_seen" (
	"name" text PRIMARY KEY NOT NULL,
	"alias" text NOT NULL,
	"systems" text[] NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_suggestions" (
	"alias" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"systems" text[] NOT NULL,
	"candidates" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"decided_code" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orgs" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text,
	"parent_code" text,
	"category" text,
	"event_id" text NOT NULL,
	"observed_at" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "org_aliases_code" ON "org_aliases" USING btree ("code");--> statement-breakpoint
CREATE INDEX "org_names_seen_alias" ON "org_names_seen" USING btree ("alias");--> statement-breakpoint
CREATE INDEX "org_suggestions_open" ON "org_suggestions" USING btree ("status") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "orgs_parent" ON "orgs" USING btree ("parent_code");