DROP INDEX `interactions_project_slug_idx`;--> statement-breakpoint
DROP INDEX `interactions_project_viewed_idx`;--> statement-breakpoint
CREATE INDEX `interactions_project_time_idx` ON `interactions` (`project_slug`,"timestamp" DESC,`id`);--> statement-breakpoint
CREATE INDEX `interactions_project_user_idx` ON `interactions` (`project_slug`,`user`,"timestamp" DESC,`id`);--> statement-breakpoint
CREATE INDEX `interactions_project_topic_idx` ON `interactions` (`project_slug`,`topic`,"timestamp" DESC,`id`);--> statement-breakpoint
CREATE INDEX `interactions_project_sentiment_idx` ON `interactions` (`project_slug`,`sentiment`,"timestamp" DESC,`id`);--> statement-breakpoint
CREATE INDEX `interactions_project_feedback_type_idx` ON `interactions` (`project_slug`,`feedback_type`,"timestamp" DESC,`id`);--> statement-breakpoint
CREATE INDEX `interactions_project_viewed_idx` ON `interactions` (`project_slug`,"last_viewed_at" DESC,`id`);