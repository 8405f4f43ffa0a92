CREATE TABLE "interaction_labels" (
	"interaction_id" text NOT NULL,
	"label_id" text NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	"added_by" text,
	CONSTRAINT "interaction_labels_interaction_id_label_id_pk" PRIMARY KEY("interaction_id","label_id")
);
--> statement-breakpoint
CREATE TABLE "labels" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"color" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notes" (
	"id" text PRIMARY KEY NOT NULL,
	"interaction_id" text NOT NULL,
	"turn" integer,
	"body" text NOT NULL,
	"author" text NOT NULL,
	"author_verified" boolean NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "display_name" text;--> statement-breakpoint
ALTER TABLE "interaction_labels" ADD CONSTRAINT "interaction_labels_label_id_labels_id_fk" FOREIGN KEY ("label_id") REFERENCES "public"."labels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "interaction_labels_label_idx" ON "interaction_labels" USING btree ("label_id","interaction_id");--> statement-breakpoint
CREATE UNIQUE INDEX "labels_name_key_idx" ON "labels" USING btree ("name_key");--> statement-breakpoint
CREATE INDEX "notes_interaction_idx" ON "notes" USING btree ("interaction_id","created_at");