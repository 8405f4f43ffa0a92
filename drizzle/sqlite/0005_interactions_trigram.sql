-- Custom SQL migration file, put your code below! --
-- Search inside words: a trigram index beside the word index, and full-text rowids in time order.
--
-- 1. Every full-text document gets a rowid that orders like the interaction's time: timestamp in
--    ms × 1000 + a slot (0–999, for interactions sharing a millisecond). FTS5 walks rowids in
--    order, so "newest matches first" reads one page of the index instead of every match.
--    Interactions without a time (or more than 1,000 in one millisecond, or beyond ±8e12 ms) get
--    rowids below every dated one, from -9e15 up. lib/interactions/repository.ts assigns the same
--    keys on save (ftsKey).
-- 2. interactions_trigram indexes the same text by trigrams (any substring of 3+ characters, in
--    any script; pairs through interactions_trigram_vocab). It reads its text from
--    interactions_fts (external content), so the text is stored once.
-- 3. Bodies end with a line break, so every character pair starts a trigram; the snippet marker
--    characters (\u0002, \u0003) are replaced by spaces.
CREATE TABLE `__interactions_fts_keys` AS
WITH slotted AS (
  SELECT
    i.`rowid` AS irow,
    i.`fts_rowid` AS old_rowid,
    i.`timestamp` AS ts,
    i.`fetched_at` AS fetched_at,
    i.`id` AS id,
    row_number() OVER (PARTITION BY i.`timestamp` ORDER BY i.`fetched_at`, i.`id`) - 1 AS slot
  FROM `interactions` AS i
), dated AS (
  SELECT
    irow, old_rowid, fetched_at, id,
    CASE WHEN ts BETWEEN -8000000000000 AND 8000000000000 AND slot < 1000 THEN ts * 1000 + slot END AS new_rowid
  FROM slotted
)
SELECT
  irow,
  old_rowid,
  coalesce(new_rowid, -9000000000000000 - 1 + row_number() OVER (PARTITION BY new_rowid IS NULL ORDER BY fetched_at, id)) AS new_rowid
FROM dated;
--> statement-breakpoint
CREATE TABLE `__interactions_fts_docs` AS
SELECT
  k.new_rowid AS new_rowid,
  coalesce(f.`body`, (
    -- A row without a document (none should exist): index it as 0002 did.
    SELECT
      coalesce(json_extract(i.`raw_json`, '$.user_query'), '') || char(10) ||
      coalesce(json_extract(i.`raw_json`, '$.input'), '') || char(10) ||
      coalesce(json_extract(i.`raw_json`, '$.output'), '') || char(10) ||
      coalesce((
        SELECT group_concat(coalesce(json_extract(t.`value`, '$.input'), '') || char(10) || coalesce(json_extract(t.`value`, '$.output'), ''), char(10))
        FROM json_each(i.`raw_json`, '$.conversation') AS t
        WHERE t.`type` = 'object'
      ), '')
    FROM `interactions` AS i WHERE i.`rowid` = k.irow
  )) AS body
FROM `__interactions_fts_keys` AS k
LEFT JOIN `interactions_fts` AS f ON f.`rowid` = k.old_rowid;
--> statement-breakpoint
DELETE FROM `interactions_fts`;
--> statement-breakpoint
INSERT INTO `interactions_fts` (`rowid`, `body`)
SELECT new_rowid, replace(replace(rtrim(body, char(10)), char(2), ' '), char(3), ' ') || char(10)
FROM `__interactions_fts_docs`;
--> statement-breakpoint
UPDATE `interactions` SET `fts_rowid` = (
  SELECT k.new_rowid FROM `__interactions_fts_keys` AS k WHERE k.irow = `interactions`.`rowid`
);
--> statement-breakpoint
DROP TABLE `__interactions_fts_docs`;
--> statement-breakpoint
DROP TABLE `__interactions_fts_keys`;
--> statement-breakpoint
INSERT INTO `interactions_fts` (`interactions_fts`) VALUES ('optimize');
--> statement-breakpoint
CREATE VIRTUAL TABLE `interactions_trigram` USING fts5(
  `body`,
  content = 'interactions_fts',
  content_rowid = 'rowid',
  tokenize = 'trigram case_sensitive 0 remove_diacritics 1'
);
--> statement-breakpoint
-- Filled by hand: FTS5's 'rebuild' cannot read a virtual table as its content.
INSERT INTO `interactions_trigram` (`rowid`, `body`) SELECT `rowid`, `body` FROM `interactions_fts`;
--> statement-breakpoint
-- The trigram index's terms, to find every trigram starting with a two-character search.
CREATE VIRTUAL TABLE `interactions_trigram_vocab` USING fts5vocab('interactions_trigram', 'row');
