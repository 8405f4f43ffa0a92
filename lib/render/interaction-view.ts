import { truncateText as truncate } from "@/lib/format";
import type { Interaction } from "@/lib/nebuly/schemas";
import { TITLE_MAX, titleSourceOf } from "@/lib/nebuly/title";

/**
 * Turns Nebuly's loosely typed interaction into what the page shows. Every helper accepts any
 * shape the API has been seen to send (and some it has not), so rendering never throws.
 */

export interface TurnView {
  /** 1-based, as in `#turn-N`. */
  number: number;
  input: string | null;
  output: string | null;
  timestamp: string | null;
  chosen: boolean;
}

export interface FeedbackTypeView {
  raw: string;
  explicitness: "explicit" | "implicit" | null;
  polarity: "positive" | "negative" | "neutral" | null;
  description: string;
}

export interface FeedbackView {
  actions: string[];
  rating: { value: number; scale: number } | null;
  comments: string[];
  type: FeedbackTypeView | null;
  turn: number | null;
  isEmpty: boolean;
}

export type EmotionsView =
  | { kind: "labels"; labels: string[] }
  | { kind: "scores"; scores: { label: string; score: number }[] }
  | null;

export interface SourceView {
  title: string;
  url: string | null;
  detail: unknown;
}

export interface InteractionView {
  id: string;
  title: string;
  timestamp: string | null;
  endTimestamp: string | null;
  user: string | null;
  projectId: string | null;
  conversationId: string | null;
  language: string | null;
  latencySeconds: number | null;
  cost: number | null;
  verbosity: string | null;
  sentiment: string | null;
  topic: string | null;
  intent: string | null;
  emotions: EmotionsView;
  piiRemoved: boolean;
  riskyBehavior: string[];
  warningMessage: string | null;
  turns: TurnView[];
  chosenTurn: number | null;
  feedback: FeedbackView;
  actions: string[];
  actionDetails: unknown;
  tags: { key: string; value: string }[];
  sources: SourceView[];
}

function clean(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

/** A label for an arbitrary value: strings as is, objects by their most name-like field. */
export function labelOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return clean(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "object" && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const key of ["name", "action", "type", "label", "title", "value", "source", "id"]) {
      if (typeof record[key] === "string" && record[key]) return record[key] as string;
    }
    return JSON.stringify(value);
  }
  return JSON.stringify(value);
}

export function toList(value: unknown): string[] {
  if (isEmpty(value)) return [];
  if (value === true) return ["flagged"];
  if (value === false) return [];
  // Split on the separators alone (labelOf trims): `\s*[,;]\s*` retried its whitespace run at
  // every position, quadratic on a long run of spaces.
  const items = Array.isArray(value) ? value : typeof value === "string" ? value.split(/[,;]/) : [value];
  return items.map(labelOf).filter((item): item is string => item !== null);
}

export { truncate };

export function turnsOf(interaction: Interaction): TurnView[] {
  const conversation = interaction.conversation ?? [];
  if (conversation.length === 0) {
    return [
      {
        number: 1,
        input: interaction.input ?? null,
        output: interaction.output ?? null,
        timestamp: interaction.timestamp ?? null,
        chosen: true,
      },
    ];
  }
  return conversation.map((turn, index) => ({
    number: index + 1,
    input: turn.input ?? null,
    output: turn.output ?? null,
    timestamp: turn.timestamp ?? null,
    chosen: turn.is_chosen === true,
  }));
}

export function feedbackTypeOf(raw: string | null | undefined): FeedbackTypeView | null {
  const value = clean(raw);
  if (!value) return null;
  const lower = value.toLowerCase();
  const explicitness = lower.includes("implicit") ? "implicit" : lower.includes("explicit") ? "explicit" : null;
  const polarity = lower.includes("negative")
    ? "negative"
    : lower.includes("positive")
      ? "positive"
      : lower.includes("neutral")
        ? "neutral"
        : null;
  const how =
    explicitness === "explicit"
      ? "the user rated the answer on purpose (a button, a score or a comment)"
      : explicitness === "implicit"
        ? "inferred from what the user did next (copying, sharing, regenerating, rephrasing)"
        : null;
  const words = [explicitness && capitalise(explicitness), polarity].filter(Boolean).join(" ");
  const description = how
    ? `${words || capitalise(value)} feedback: ${how}${polarity ? `, read as ${polarity}` : ""}.`
    : `${words ? `${capitalise(words)} feedback` : `Feedback type “${value}”`}.`;
  return { raw: value, explicitness, polarity, description };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Nebuly does not say which scale a rating uses; infer the smallest common one it fits. */
export function ratingOf(value: unknown): { value: number; scale: number } | null {
  const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (!Number.isFinite(number) || number < 0) return null;
  const scale = [1, 5, 10, 100].find((candidate) => number <= candidate) ?? number;
  return { value: number, scale };
}

export function emotionsOf(emotions: Interaction["emotions"]): EmotionsView {
  if (!emotions) return null;
  if (Array.isArray(emotions)) return emotions.length ? { kind: "labels", labels: emotions } : null;
  const scores = Object.entries(emotions)
    .map(([label, score]) => ({ label, score: score > 1 ? Math.min(score / 100, 1) : Math.max(score, 0) }))
    .sort((a, b) => b.score - a.score);
  return scores.length ? { kind: "scores", scores } : null;
}

export function tagsOf(tags: unknown): { key: string; value: string }[] {
  if (isEmpty(tags)) return [];
  if (Array.isArray(tags)) {
    return tags.flatMap((tag) => {
      if (typeof tag === "string") {
        const [key, ...rest] = tag.split(/[:=]/);
        return [{ key: key.trim(), value: rest.join(":").trim() }];
      }
      if (tag && typeof tag === "object") {
        const record = tag as Record<string, unknown>;
        const key = labelOf(record.key ?? record.name ?? record.tag);
        return key ? [{ key, value: labelOf(record.value) ?? "" }] : [];
      }
      return [];
    });
  }
  if (typeof tags === "object") {
    return Object.entries(tags as Record<string, unknown>).map(([key, value]) => ({ key, value: labelOf(value) ?? "" }));
  }
  return [{ key: String(tags), value: "" }];
}

function urlOf(value: string | null): string | null {
  return value && /^https?:\/\//i.test(value) ? value : null;
}

export function sourcesOf(rags: unknown, details: unknown): SourceView[] {
  const detailList = Array.isArray(details) ? details : isEmpty(details) ? [] : [details];
  const ragList = Array.isArray(rags) ? rags : isEmpty(rags) ? [] : [rags];
  const sources: SourceView[] = detailList.map((detail) => {
    const record = detail && typeof detail === "object" ? (detail as Record<string, unknown>) : {};
    const source = labelOf(record.source ?? record.url ?? record.uri ?? null);
    const title = labelOf(record.title ?? record.name ?? null) ?? source ?? labelOf(detail) ?? "Source";
    return { title, url: urlOf(source), detail };
  });
  const known = new Set(
    detailList.map((detail) => labelOf((detail as Record<string, unknown> | null)?.source ?? null)).filter(Boolean),
  );
  for (const rag of ragList) {
    const label = labelOf(rag);
    if (label && !known.has(label)) sources.push({ title: label, url: urlOf(label), detail: rag });
  }
  return sources;
}

export function toInteractionView(interaction: Interaction): InteractionView {
  const turns = turnsOf(interaction);
  const chosen = turns.find((turn) => turn.chosen) ?? null;
  const titleSource = titleSourceOf(interaction);
  const comments = Array.isArray(interaction.feedback_action_text)
    ? toList(interaction.feedback_action_text)
    : (clean(labelOf(interaction.feedback_action_text)) ?? "") !== ""
      ? [labelOf(interaction.feedback_action_text)!]
      : [];
  const feedbackActions = Array.isArray(interaction.feedback_actions)
    ? toList(interaction.feedback_actions)
    : toList(interaction.feedback_actions === undefined ? null : interaction.feedback_actions);
  const rating = ratingOf(interaction.feedback_action_rating);
  const type = feedbackTypeOf(interaction.feedback_type);
  const verbosity =
    interaction.verbosity === null || interaction.verbosity === undefined || interaction.verbosity === ""
      ? null
      : /^\d+$/.test(String(interaction.verbosity))
        ? `${Number(interaction.verbosity).toLocaleString("en-US")} characters`
        : String(interaction.verbosity);

  return {
    id: interaction.id,
    title: titleSource ? truncate(titleSource, TITLE_MAX) : `Interaction ${interaction.id}`,
    timestamp: clean(interaction.timestamp),
    endTimestamp: clean(interaction.end_timestamp),
    user: clean(interaction.user),
    projectId: clean(interaction.project_id),
    conversationId: clean(interaction.conversation_id),
    language: clean(interaction.text_language),
    latencySeconds: interaction.latency ?? null,
    cost: interaction.cost ?? null,
    verbosity,
    sentiment: clean(interaction.sentiment),
    topic: clean(interaction.topic),
    intent: clean(interaction.intent),
    emotions: emotionsOf(interaction.emotions),
    piiRemoved: interaction.pii_removed === true,
    riskyBehavior: toList(interaction.risky_behavior),
    warningMessage: clean(interaction.warning_message),
    turns,
    chosenTurn: chosen?.number ?? null,
    feedback: {
      actions: feedbackActions,
      rating,
      comments,
      type,
      turn: chosen?.number ?? (turns.length === 1 ? 1 : null),
      isEmpty: feedbackActions.length === 0 && !rating && comments.length === 0 && !type,
    },
    actions: toList(interaction.actions),
    actionDetails: isEmpty(interaction.action_details) ? null : interaction.action_details,
    tags: tagsOf(interaction.tags),
    sources: sourcesOf(interaction.rags, interaction.rags_details),
  };
}
