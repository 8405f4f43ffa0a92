-- Custom SQL migration file, put your code below! --
-- Full-text index over what users typed and what the assistant answered, in every turn.
-- One document per interaction; its rowid is stored in interactions.fts_rowid.
-- Written by lib/interactions/repository.ts in the same transaction as the interaction row.
CREATE VIRTUAL TABLE `interactions_fts` USING fts5(
  `body`,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
--> statement-breakpoint
-- Index the interactions cached before this migration.
INSERT INTO `interactions_fts` (`rowid`, `body`)
SELECT
  i.`rowid`,
  coalesce(json_extract(i.`raw_json`, '$.user_query'), '') || char(10) ||
  coalesce(json_extract(i.`raw_json`, '$.input'), '') || char(10) ||
  coalesce(json_extract(i.`raw_json`, '$.output'), '') || char(10) ||
  coalesce((
    SELECT group_concat(coalesce(json_extract(t.`value`, '$.input'), '') || char(10) || coalesce(json_extract(t.`value`, '$.output'), ''), char(10))
    FROM json_each(i.`raw_json`, '$.conversation') AS t
    WHERE t.`type` = 'object'
  ), '')
FROM `interactions` AS i;
--> statement-breakpoint
UPDATE `interactions` SET `fts_rowid` = `rowid`;
