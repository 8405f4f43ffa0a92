CREATE TABLE `interactions` (
	`id` text PRIMARY KEY NOT NULL,
	`raw_json` text NOT NULL,
	`fetched_at` integer NOT NULL,
	`last_viewed_at` integer,
	`timestamp` integer,
	`user` text,
	`topic` text,
	`sentiment` text,
	`feedback_type` text,
	`project_id` text,
	`conversation_id` text
);
--> statement-breakpoint
CREATE INDEX `interactions_timestamp_idx` ON `interactions` (`timestamp`);--> statement-breakpoint
CREATE INDEX `interactions_last_viewed_at_idx` ON `interactions` (`last_viewed_at`);--> statement-breakpoint
CREATE INDEX `interactions_user_idx` ON `interactions` (`user`);--> statement-breakpoint
CREATE INDEX `interactions_topic_idx` ON `interactions` (`topic`);--> statement-breakpoint
CREATE INDEX `interactions_sentiment_idx` ON `interactions` (`sentiment`);--> statement-breakpoint
CREATE INDEX `interactions_feedback_type_idx` ON `interactions` (`feedback_type`);--> statement-breakpoint
CREATE INDEX `interactions_project_id_idx` ON `interactions` (`project_id`);--> statement-breakpoint
CREATE INDEX `interactions_conversation_id_idx` ON `interactions` (`conversation_id`);