DROP INDEX "interactions_user_idx";--> statement-breakpoint
DROP INDEX "interactions_topic_idx";--> statement-breakpoint
DROP INDEX "interactions_sentiment_idx";--> statement-breakpoint
DROP INDEX "interactions_feedback_type_idx";--> statement-breakpoint
DROP INDEX "interactions_project_slug_idx";--> statement-breakpoint
DROP INDEX "interactions_project_viewed_idx";--> statement-breakpoint
CREATE INDEX "interactions_project_time_idx" ON "interactions" USING btree ("project_slug","timestamp" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "interactions_project_user_idx" ON "interactions" USING btree ("project_slug","user","timestamp" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "interactions_project_topic_idx" ON "interactions" USING btree ("project_slug","topic","timestamp" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "interactions_project_sentiment_idx" ON "interactions" USING btree ("project_slug","sentiment","timestamp" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "interactions_project_feedback_type_idx" ON "interactions" USING btree ("project_slug","feedback_type","timestamp" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "interactions_project_viewed_idx" ON "interactions" USING btree ("project_slug","last_viewed_at" DESC NULLS LAST,"id");