-- The search indexes lead with project_slug (btree_gin gives text a GIN operator class), so a
-- search reads only the rows of the projects its viewer may see: rows of a hidden project are
-- never rechecked, and a word only they hold costs no more than a word nobody holds. Trusted
-- (CREATE on the database is enough), and ships with Postgres (contrib), as pg_trgm does.
CREATE EXTENSION IF NOT EXISTS btree_gin;
