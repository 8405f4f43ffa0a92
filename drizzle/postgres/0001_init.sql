CREATE TABLE "app_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"at" timestamp with time zone NOT NULL,
	"action" text NOT NULL,
	"actor" text,
	"client" text,
	"target" text,
	"detail" text,
	"project_slug" text
);
--> statement-breakpoint
CREATE TABLE "forgotten_interactions" (
	"id" text PRIMARY KEY NOT NULL,
	"forgotten_at" timestamp with time zone NOT NULL,
	"forgotten_by" text,
	"project_slug" text
);
--> statement-breakpoint
CREATE TABLE "interactions" (
	"id" text PRIMARY KEY NOT NULL,
	"raw_json" text NOT NULL,
	"fetched_at" timestamp with time zone NOT NULL,
	"last_viewed_at" timestamp with time zone,
	"timestamp" timestamp with time zone,
	"user" text,
	"topic" text,
	"sentiment" text,
	"feedback_type" text,
	"project_id" text,
	"project_slug" text DEFAULT 'default' NOT NULL,
	"conversation_id" text,
	"search_body" text DEFAULT '' NOT NULL,
	"search_folded" text DEFAULT '' NOT NULL,
	"search_pairs" text[] DEFAULT '{}'::text[] NOT NULL,
	"search_words" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, left(search_folded, 131072))) STORED NOT NULL
);
--> statement-breakpoint
CREATE TABLE "list_cache" (
	"key" text PRIMARY KEY NOT NULL,
	"response_json" text NOT NULL,
	"fetched_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"viewer" text NOT NULL,
	"password_tag" text,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"client" text
);
--> statement-breakpoint
CREATE TABLE "share_links" (
	"id" text PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"interaction_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" text,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"hide_sensitive" boolean NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	"last_viewed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "audit_events_at_idx" ON "audit_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_events_action_idx" ON "audit_events" USING btree ("action","at");--> statement-breakpoint
CREATE INDEX "interactions_timestamp_idx" ON "interactions" USING btree ("timestamp" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "interactions_last_viewed_at_idx" ON "interactions" USING btree ("last_viewed_at");--> statement-breakpoint
CREATE INDEX "interactions_fetched_at_idx" ON "interactions" USING btree ("fetched_at","last_viewed_at");--> statement-breakpoint
CREATE INDEX "interactions_user_idx" ON "interactions" USING btree ("user","timestamp");--> statement-breakpoint
CREATE INDEX "interactions_topic_idx" ON "interactions" USING btree ("topic","timestamp");--> statement-breakpoint
CREATE INDEX "interactions_sentiment_idx" ON "interactions" USING btree ("sentiment","timestamp");--> statement-breakpoint
CREATE INDEX "interactions_feedback_type_idx" ON "interactions" USING btree ("feedback_type","timestamp");--> statement-breakpoint
CREATE INDEX "interactions_project_id_idx" ON "interactions" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "interactions_project_slug_idx" ON "interactions" USING btree ("project_slug","timestamp");--> statement-breakpoint
CREATE INDEX "interactions_project_viewed_idx" ON "interactions" USING btree ("project_slug","last_viewed_at");--> statement-breakpoint
CREATE INDEX "interactions_conversation_id_idx" ON "interactions" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "interactions_search_words_idx" ON "interactions" USING gin ("search_words");--> statement-breakpoint
CREATE INDEX "interactions_search_trigram_idx" ON "interactions" USING gin ("search_folded" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "interactions_search_pairs_idx" ON "interactions" USING gin ("search_pairs");--> statement-breakpoint
CREATE INDEX "sessions_viewer_idx" ON "sessions" USING btree ("viewer");--> statement-breakpoint
CREATE INDEX "sessions_expires_at_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "share_links_token_hash_idx" ON "share_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "share_links_interaction_id_idx" ON "share_links" USING btree ("interaction_id");