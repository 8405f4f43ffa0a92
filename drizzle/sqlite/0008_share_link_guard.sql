-- Custom SQL migration file, put your code below! --
-- What the foreign key from share_links did before 0007, narrowed to links that can still open:
-- a snapshot that an unrevoked link points to (expired or not, since an expired link's row stays
-- until retention prunes it) cannot be deleted. A revoked link no longer needs its snapshot, so
-- forgetting an interaction revokes its links first, and the revoked rows keep saying "revoked".
CREATE TRIGGER `interactions_keep_shared_snapshot`
BEFORE DELETE ON `interactions`
WHEN EXISTS (SELECT 1 FROM `share_links` WHERE `interaction_id` = OLD.`id` AND `revoked_at` IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'a share link still points to this snapshot: revoke it first');
END;
