CREATE TABLE `list_cache` (
	`key` text PRIMARY KEY NOT NULL,
	`response_json` text NOT NULL,
	`fetched_at` integer NOT NULL
);
--> statement-breakpoint
DROP INDEX `interactions_user_idx`;--> statement-breakpoint
DROP INDEX `interactions_topic_idx`;--> statement-breakpoint
DROP INDEX `interactions_sentiment_idx`;--> statement-breakpoint
DROP INDEX `interactions_feedback_type_idx`;--> statement-breakpoint
ALTER TABLE `interactions` ADD `fts_rowid` integer;--> statement-breakpoint
CREATE INDEX `interactions_user_idx` ON `interactions` (`user`,`timestamp`);--> statement-breakpoint
CREATE INDEX `interactions_topic_idx` ON `interactions` (`topic`,`timestamp`);--> statement-breakpoint
CREATE INDEX `interactions_sentiment_idx` ON `interactions` (`sentiment`,`timestamp`);--> statement-breakpoint
CREATE INDEX `interactions_feedback_type_idx` ON `interactions` (`feedback_type`,`timestamp`);