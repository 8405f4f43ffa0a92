import type { ConversationTurn, Interaction } from "@/lib/nebuly/schemas";

/**
 * The share-link policy in one place: how long a link may live, and what a link made with
 * hideSensitive shows. No `server-only` here: the share form imports the same words it describes.
 *
 * A hidden share is an allowlist: `redactInteraction` copies the fields below into a fresh object
 * and nothing else, so a field Nebuly adds tomorrow (or one we forgot, like `action_details`) stays
 * hidden until someone decides to show it here.
 */

export const EXPIRY_OPTIONS = { "1h": 3_600_000, "1d": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000, never: null } as const;
export type ExpiresIn = keyof typeof EXPIRY_OPTIONS;
export const EXPIRY_LABELS: Record<ExpiresIn, string> = { "1h": "1 hour", "1d": "1 day", "7d": "7 days", "30d": "30 days", never: "Never" };

/** The share form's checkbox. */
export const HIDE_SENSITIVE_LABEL = "Hide the user, the project and everything that is not the conversation or its analysis";

/** What a hidden share shows, in words (the share form; the README says it in full). */
export const HIDDEN_SHARE_SHOWS = [
  "the conversation and its times",
  "latency, cost, length and language",
  "Nebuly's analysis labels (topic, intent, sentiment, emotions, actions, risk, warning)",
  "the feedback type, actions and rating",
] as const;

/** What a hidden share leaves out, in words (the share page, the shared-links list). */
export const HIDDEN_SHARE_HIDES = [
  "user",
  "conversation id",
  "project id",
  "project name",
  "tags",
  "RAG sources",
  "feedback comments",
  "action details",
  "the team's labels",
  "any other field",
] as const;

/**
 * A label is a short word or phrase (a topic, an emotion, an action name). Values with `@`, `:`
 * or `#` (addresses, URLs, references) or of sentence length are not labels, so they are dropped
 * even from fields that are shown.
 */
const LABEL = /^[\p{L}\p{N}][\p{L}\p{N} _\-.,&'()/+!?]{0,79}$/u;

function label(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return LABEL.test(trimmed) ? trimmed : null;
}

/** Names from a label list; of an object, only its name-like field (never the rest of it). */
function labels(value: unknown): string[] | null {
  const items = Array.isArray(value) ? value : typeof value === "string" ? value.split(/\s*[,;]\s*/) : [];
  const names = items.flatMap((item) => {
    const record = item && typeof item === "object" && !Array.isArray(item) ? (item as Record<string, unknown>) : null;
    const name = record ? label(record.action ?? record.name ?? record.type ?? record.label) : label(item);
    return name ? [name] : [];
  });
  return names.length ? names : null;
}

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);
const finite = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

function number(value: unknown): number | null {
  if (typeof value === "string" && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return finite(value);
}

function emotions(value: Interaction["emotions"]): Interaction["emotions"] {
  if (!value) return null;
  if (Array.isArray(value)) return labels(value);
  const scores = Object.entries(value).flatMap(([name, score]) => (label(name) && finite(score) !== null ? [[label(name)!, score] as const] : []));
  return scores.length ? Object.fromEntries(scores) : null;
}

function riskyBehavior(value: unknown): true | string[] | null {
  if (value === true) return true;
  return labels(value);
}

function turn(value: ConversationTurn): ConversationTurn {
  return { input: text(value.input), output: text(value.output), timestamp: text(value.timestamp), is_chosen: value.is_chosen === true };
}

/**
 * The interaction as a hidden share shows it: a fresh object holding only the allowlisted fields.
 * Free text appears only where it is the conversation itself (inputs, outputs, the user's query)
 * or Nebuly's warning about it; everything else is a label, a number, a time or a flag.
 */
export function redactInteraction(interaction: Interaction): Interaction {
  return {
    id: interaction.id,
    // The conversation.
    user_query: text(interaction.user_query),
    input: text(interaction.input),
    output: text(interaction.output),
    conversation: interaction.conversation ? interaction.conversation.map(turn) : null,
    // When, and how the answer was produced.
    timestamp: text(interaction.timestamp),
    end_timestamp: text(interaction.end_timestamp),
    text_language: label(interaction.text_language),
    latency: finite(interaction.latency),
    cost: finite(interaction.cost),
    verbosity: number(interaction.verbosity),
    // Nebuly's analysis.
    topic: label(interaction.topic),
    intent: label(interaction.intent),
    sentiment: label(interaction.sentiment),
    emotions: emotions(interaction.emotions),
    actions: labels(interaction.actions),
    risky_behavior: riskyBehavior(interaction.risky_behavior),
    warning_message: text(interaction.warning_message),
    pii_removed: interaction.pii_removed === true,
    // Feedback, without what the user wrote.
    feedback_type: label(interaction.feedback_type),
    feedback_actions: labels(interaction.feedback_actions),
    feedback_action_rating: number(interaction.feedback_action_rating),
  };
}
