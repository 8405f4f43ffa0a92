/**
 * The audit log's vocabulary, apart from the database code so the query parser and the page can
 * use it without opening a connection.
 */
export const AUDIT_ACTIONS = [
  "sign_in",
  "sign_in_failed",
  "sign_out",
  "sign_out_everywhere",
  "share_link_created",
  "share_link_viewed",
  "share_link_revoked",
  "interaction_refreshed",
  "interaction_forgotten",
  "interaction_fetched_again",
  "interaction_label_added",
  "interaction_label_removed",
  "label_created",
  "label_renamed",
  "label_deleted",
  "note_added",
  "note_edited",
  "note_deleted",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Each action in words, for the audit page. */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  sign_in: "Signed in",
  sign_in_failed: "Sign-in failed",
  sign_out: "Signed out",
  sign_out_everywhere: "Signed out everywhere",
  share_link_created: "Share link created",
  share_link_viewed: "Share link viewed",
  share_link_revoked: "Share link revoked",
  interaction_refreshed: "Interaction refreshed",
  interaction_forgotten: "Interaction forgotten",
  interaction_fetched_again: "Fetched again after forgetting",
  interaction_label_added: "Label added",
  interaction_label_removed: "Label removed",
  label_created: "Label created",
  label_renamed: "Label renamed",
  label_deleted: "Label deleted",
  note_added: "Note added",
  note_edited: "Note edited",
  note_deleted: "Note deleted",
};

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}

/** How long audit events are kept. */
export const AUDIT_RETENTION_DAYS = 90;
