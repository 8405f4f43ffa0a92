-- Trigram indexes (interactions_search_trigram_idx) find text inside words and in scripts written
-- without spaces, as SQLite's trigram index does. pg_trgm ships with Postgres (contrib).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
