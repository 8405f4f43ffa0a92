CREATE TABLE `forgotten_interactions` (
	`id` text PRIMARY KEY NOT NULL,
	`forgotten_at` integer NOT NULL,
	`forgotten_by` text
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_share_links` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`interaction_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text,
	`expires_at` integer,
	`revoked_at` integer,
	`hide_sensitive` integer NOT NULL,
	`views` integer DEFAULT 0 NOT NULL,
	`last_viewed_at` integer
);
--> statement-breakpoint
INSERT INTO `__new_share_links`("id", "token_hash", "interaction_id", "created_at", "created_by", "expires_at", "revoked_at", "hide_sensitive", "views", "last_viewed_at") SELECT "id", "token_hash", "interaction_id", "created_at", "created_by", "expires_at", "revoked_at", "hide_sensitive", "views", "last_viewed_at" FROM `share_links`;--> statement-breakpoint
DROP TABLE `share_links`;--> statement-breakpoint
ALTER TABLE `__new_share_links` RENAME TO `share_links`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `share_links_token_hash_idx` ON `share_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `share_links_interaction_id_idx` ON `share_links` (`interaction_id`);--> statement-breakpoint
CREATE INDEX `interactions_fetched_at_idx` ON `interactions` (`fetched_at`,`last_viewed_at`);