CREATE TABLE `list_cache` (
	`key` text PRIMARY KEY NOT NULL,
	`response_json` text NOT NULL,
	`fetched_at` integer NOT NULL
);
