-- As SQLite's 0008_share_link_guard.sql: a snapshot that an unrevoked link points to (expired or
-- not, since an expired link's row stays until retention prunes it) cannot be deleted. Forgetting
-- an interaction revokes its links first, and the revoked rows keep saying "revoked".
CREATE FUNCTION interactions_keep_shared_snapshot() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM share_links WHERE interaction_id = OLD.id AND revoked_at IS NULL) THEN
    RAISE EXCEPTION 'a share link still points to this snapshot: revoke it first' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN OLD;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER interactions_keep_shared_snapshot
BEFORE DELETE ON interactions
FOR EACH ROW EXECUTE FUNCTION interactions_keep_shared_snapshot();
