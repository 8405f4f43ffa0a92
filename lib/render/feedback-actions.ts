/**
 * Feedback action names in words, shared by the Feedback panel (which adds icons) and the
 * Markdown transcript. Nebuly spells the same action several ways; unknown names are shown as sent.
 */
const FEEDBACK_ACTION_LABELS: Record<string, string> = {
  thumbs_up: "Thumbs up",
  thumbsup: "Thumbs up",
  like: "Like",
  thumbs_down: "Thumbs down",
  thumbsdown: "Thumbs down",
  dislike: "Dislike",
  copy: "Copied the answer",
  copy_output: "Copied the answer",
  regenerate: "Regenerated",
  retry: "Retried",
  comment: "Comment",
  share: "Shared",
  edit: "Edited the prompt",
  report: "Reported",
  rating: "Rated",
};

/** The lookup key of an action name: `Thumbs-Up` and `thumbs up` are `thumbs_up`. */
export function feedbackActionKey(name: string): string {
  return name.toLowerCase().replace(/[\s-]+/g, "_");
}

/** The action in words: a known label, or the name with underscores as spaces. */
export function feedbackActionLabel(name: string): string {
  return FEEDBACK_ACTION_LABELS[feedbackActionKey(name)] ?? name.replace(/_/g, " ");
}
