CREATE TABLE `interaction_labels` (
	`interaction_id` text NOT NULL,
	`label_id` text NOT NULL,
	`added_at` integer NOT NULL,
	`added_by` text,
	PRIMARY KEY(`interaction_id`, `label_id`),
	FOREIGN KEY (`label_id`) REFERENCES `labels`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `interaction_labels_label_idx` ON `interaction_labels` (`label_id`,`interaction_id`);--> statement-breakpoint
CREATE TABLE `labels` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`color` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `labels_name_key_idx` ON `labels` (`name_key`);--> statement-breakpoint
CREATE TABLE `notes` (
	`id` text PRIMARY KEY NOT NULL,
	`interaction_id` text NOT NULL,
	`turn` integer,
	`body` text NOT NULL,
	`author` text NOT NULL,
	`author_verified` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer
);
--> statement-breakpoint
CREATE INDEX `notes_interaction_idx` ON `notes` (`interaction_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `sessions` ADD `display_name` text;