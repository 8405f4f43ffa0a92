DROP INDEX `interactions_fts_rowid_idx`;--> statement-breakpoint
ALTER TABLE `interactions` ADD `project_slug` text DEFAULT 'default' NOT NULL;--> statement-breakpoint
CREATE INDEX `interactions_project_slug_idx` ON `interactions` (`project_slug`,`timestamp`);--> statement-breakpoint
CREATE INDEX `interactions_fts_rowid_idx` ON `interactions` (`fts_rowid`,`topic`,`sentiment`,`feedback_type`,`user`,`last_viewed_at`,`project_slug`);--> statement-breakpoint
ALTER TABLE `forgotten_interactions` ADD `project_slug` text;