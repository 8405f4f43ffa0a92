import { formatCost, formatLatency, formatUtc, parseTimestamp } from "@/lib/format";
import { feedbackActionLabel } from "./feedback-actions";
import type { InteractionView } from "./interaction-view";

/*
 * An export format: the interaction as a Markdown transcript, for a ticket or a doc. It says what
 * the page says (details, flags, feedback, analysis, sources, every turn) and nothing the view
 * does not hold, so a view built from a hidden share's redacted body yields a transcript without
 * the hidden fields.
 *
 * Everything from the interaction is untrusted, and the transcript's own headings and lists must
 * stay the only structure, in any Markdown viewer:
 * - messages, comments and JSON go in fenced code blocks whose fence is longer than any run of
 *   backticks inside, so no line of the content (`#`, `---`, ```` ``` ````, `<script>`) can end the
 *   block or become a heading, a rule or HTML;
 * - short values (title, user, labels, tags) are put on one line and every character that could
 *   start inline markup, HTML or an entity is backslash-escaped.
 * Both are single linear passes over the text, whatever it holds.
 */

/** Line breaks and other control characters, which would start a new block; collapsed to one space. */
const BREAKS = /[\u0000-\u001f\u007f\u2028\u2029]+/g;
/** Characters that start inline markup, raw HTML, entities, math or a heading's closing run. */
const INLINE_MARKUP = /[\\`*_[\]<>&|~$#]/g;

/** A value on one line, shown as text by any CommonMark or GFM viewer. */
export function inlineText(value: string): string {
  return value.replace(BREAKS, " ").trim().replace(INLINE_MARKUP, "\\$&");
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  let run = 0;
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) === 96) {
      run++;
      if (run > longest) longest = run;
    } else {
      run = 0;
    }
  }
  return longest;
}

/** `text` as a fenced code block that nothing inside it can close. */
export function fencedBlock(text: string, info: "text" | "markdown" | "json"): string {
  const body = text.replace(/\r\n?/g, "\n");
  const fence = "`".repeat(Math.max(3, longestBacktickRun(body) + 1));
  return `${fence}${info}\n${body}${body.endsWith("\n") || body === "" ? "" : "\n"}${fence}`;
}

/** What may not appear inside `<…>` (an autolink or a link destination). */
const URL_UNSAFE = /[\u0000-\u0020<>\u007f]/g;

function time(value: string | null): string | null {
  if (!value) return null;
  const date = parseTimestamp(value);
  return date ? formatUtc(date) : inlineText(value);
}

/** `- Label: value` lines for the values that are present. */
function facts(entries: [string, string | null | undefined][]): string[] {
  return entries.flatMap(([label, value]) => (value ? [`- ${label}: ${value}`] : []));
}

const list = (values: string[]) => (values.length ? values.map(inlineText).join(", ") : null);

function detailsSection(view: InteractionView, fetchedAt: Date | undefined): string[] {
  const lines = facts([
    ["Started", time(view.timestamp)],
    ["Ended", time(view.endTimestamp)],
    ["User", view.user && inlineText(view.user)],
    ["Project", view.projectId && inlineText(view.projectId)],
    ["Conversation", view.conversationId && inlineText(view.conversationId)],
    ["Language", view.language && inlineText(view.language)],
    ["Latency", formatLatency(view.latencySeconds)],
    ["Cost", formatCost(view.cost)],
    ["Verbosity", view.verbosity && inlineText(view.verbosity)],
    ["Turns", String(view.turns.length)],
    ["Fetched", fetchedAt && formatUtc(fetchedAt)],
  ]);
  const flags = [
    view.riskyBehavior.length ? `**Risky behaviour:** ${list(view.riskyBehavior)}` : null,
    view.warningMessage ? `**Warning:** ${inlineText(view.warningMessage)}` : null,
    view.piiRemoved ? "**PII removed:** personal data was replaced by placeholders before storage." : null,
  ].filter((line): line is string => line !== null);
  return ["## Details", "", ...lines, ...(flags.length ? ["", ...flags.flatMap((flag, index) => (index ? ["", flag] : [flag]))] : [])];
}

function feedbackSection(view: InteractionView): string[] {
  const { feedback } = view;
  if (feedback.isEmpty) return ["## Feedback", "", "The user gave no feedback on this interaction."];
  const lines = facts([
    ["Type", feedback.type && `${inlineText(feedback.type.raw.replace(/_/g, " "))} (${inlineText(feedback.type.description)})`],
    ["Actions", list(feedback.actions.map(feedbackActionLabel))],
    ["Rating", feedback.rating && `${feedback.rating.value} / ${feedback.rating.scale}`],
    ["On turn", feedback.turn === null ? null : String(feedback.turn)],
  ]);
  const comments = feedback.comments.flatMap((comment, index) => ["", `Comment${feedback.comments.length > 1 ? ` ${index + 1}` : ""}:`, "", fencedBlock(comment, "text")]);
  return ["## Feedback", "", ...lines, ...comments];
}

function emotionsText(view: InteractionView): string | null {
  if (!view.emotions) return null;
  if (view.emotions.kind === "labels") return list(view.emotions.labels);
  return view.emotions.scores.map(({ label, score }) => `${inlineText(label)} ${Math.round(score * 100)}%`).join(", ");
}

function analysisSection(view: InteractionView): string[] {
  const lines = facts([
    ["Topic", view.topic && inlineText(view.topic)],
    ["Intent", view.intent && inlineText(view.intent)],
    ["Sentiment", view.sentiment && inlineText(view.sentiment)],
    ["Emotions", emotionsText(view)],
    ["Actions", list(view.actions)],
    ["Tags", view.tags.length ? view.tags.map(({ key, value }) => (value ? `${inlineText(key)}: ${inlineText(value)}` : inlineText(key))).join(", ") : null],
  ]);
  const details = view.actionDetails ? ["", "Action details:", "", fencedBlock(JSON.stringify(view.actionDetails, null, 2), "json")] : [];
  return ["## Analysis", "", ...(lines.length ? lines : ["Nebuly recorded no analysis for this interaction."]), ...details];
}

function sourcesSection(view: InteractionView): string[] {
  if (view.sources.length === 0) return [];
  return [
    `## Sources (${view.sources.length})`,
    ...view.sources.flatMap((source, index) => [
      "",
      `### Source ${index + 1}: ${inlineText(source.title)}`,
      ...(source.url ? ["", `<${source.url.replace(URL_UNSAFE, encodeURIComponent)}>`] : []),
      "",
      fencedBlock(JSON.stringify(source.detail, null, 2) ?? "null", "json"),
    ]),
  ];
}

function conversationSection(view: InteractionView): string[] {
  return [
    "## Conversation",
    ...view.turns.flatMap((turn) => {
      const marks = [turn.chosen ? "chosen" : null, view.feedback.turn === turn.number && !view.feedback.isEmpty ? "feedback" : null].filter(Boolean);
      const at = time(turn.timestamp);
      return [
        "",
        `### Turn ${turn.number}${marks.length ? ` (${marks.join(", ")})` : ""}`,
        ...(at ? ["", `Time: ${at}`] : []),
        ...(turn.input !== null ? ["", "**User:**", "", fencedBlock(turn.input, "text")] : []),
        ...(turn.output !== null ? ["", "**Assistant:**", "", fencedBlock(turn.output, "markdown")] : []),
      ];
    }),
  ];
}

/**
 * The interaction as a Markdown transcript. `pageUrl` is where a reader opens it; `fetchedAt`
 * says which copy it was made from.
 */
export function toMarkdownTranscript(view: InteractionView, pageUrl: string, fetchedAt?: Date): string {
  const sections = [
    [`# ${inlineText(view.title)}`, "", `Interaction [${inlineText(view.id)}](<${pageUrl.replace(URL_UNSAFE, encodeURIComponent)}>)`],
    detailsSection(view, fetchedAt),
    feedbackSection(view),
    analysisSection(view),
    sourcesSection(view),
    conversationSection(view),
  ].filter((section) => section.length);
  return `${sections.map((section) => section.join("\n")).join("\n\n")}\n`;
}
