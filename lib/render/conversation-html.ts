import "server-only";
import type { Element, ElementContent } from "hast";
import { toHtml } from "hast-util-to-html";
import { h, s } from "hastscript";
import { formatBytes, formatUtc, parseTimestamp } from "@/lib/format";
import type { InteractionView, TurnView } from "@/lib/render/interaction-view";
import { renderMessage } from "./message";
import { plainPreview } from "./plain";
import { badgeClass } from "./tones";

/**
 * The conversation is built as a HAST tree and serialised to one HTML string, which the page
 * inserts as a single element. React then hydrates one node instead of tens of thousands (a
 * 3,000-turn conversation stays interactive in about a second), and the same builder serves the
 * turn fragments the page loads on scroll. Safety does not depend on this path: every piece of
 * interaction text enters the tree as a text node or an attribute value, which
 * hast-util-to-html escapes, and Markdown arrives already sanitised (lib/render/markdown).
 */

/** Conversations up to this many turns render every turn formatted. */
export const FULL_TURNS_LIMIT = 200;
/** Beyond it, turns this close to the chosen turn (and the opening ones) render formatted. */
const WINDOW_AROUND_CHOSEN = 60;
const OPENING_TURNS = 20;

export function isFormattedOnLoad(turn: number, total: number, chosen: number | null, shared = false): boolean {
  // A share view has no API to format turns later: it formats them all now.
  if (shared || total <= FULL_TURNS_LIMIT) return true;
  return turn <= OPENING_TURNS || Math.abs(turn - (chosen ?? 1)) <= WINDOW_AROUND_CHOSEN;
}

const icon = (name: string, size: string) => s("svg", { ariaHidden: "true", className: [size] }, [s("use", { href: `#icon-${name}` })]);

const UNTIL_FOUND = "until-found";

function showMore(hiddenChars: number): Element {
  return h("button", { type: "button", className: ["btn", "btn-quiet", "mt-2"], dataAction: "show-more" }, `Show more (${formatBytes(hiddenChars)} hidden)`);
}

function userMessage(text: string | null): ElementContent[] {
  if (!text) return [h("p", { className: ["empty"] }, "No input recorded.")];
  const { preview, rest } = plainPreview(text);
  return [
    h("div", { className: ["plain"], dataMessageBody: true }, [
      preview,
      ...(rest === null ? [] : [h("span", { dataRest: true, hidden: UNTIL_FOUND }, rest), showMore(rest.length)]),
    ]),
  ];
}

const assistantMeta = (withToggle: boolean) =>
  h("div", { className: ["message-meta"] }, [
    icon("bot", "size-3.5"),
    h("b", "Assistant"),
    ...(withToggle ? [h("button", { type: "button", className: ["chip-btn", "ml-auto"], dataAction: "toggle-raw", ariaPressed: "false" }, "Raw")] : []),
  ]);

/** The assistant half of a turn; `formatted: false` sends plain text the page formats on scroll. */
export function assistantMessage(turn: TurnView, formatted: boolean, rawToggle = true): Element {
  const output = turn.output;
  if (!output) return h("div", { className: ["message"] }, [assistantMeta(false), h("p", { className: ["empty"] }, "No output recorded.")]);

  if (!formatted) {
    const { preview, rest } = plainPreview(output);
    return h("div", { className: ["message"], dataLite: turn.number }, [
      assistantMeta(false),
      h("div", { className: ["plain"], dataMessageBody: true }, [
        preview,
        ...(rest === null ? [] : [h("span", { dataRest: true, hidden: UNTIL_FOUND }, rest), showMore(rest.length)]),
      ]),
    ]);
  }

  const rendered = renderMessage(output);
  const more = rendered.rest === null ? [] : [showMore(rendered.hiddenChars)];
  if (rendered.format === "plain") {
    return h("div", { className: ["message"] }, [
      assistantMeta(false),
      h("div", { dataMessageBody: true }, [
        h("p", { className: ["mb-2", "text-xs", "text-muted"] }, `Shown as plain text: this message is too long (${formatBytes(rendered.length)}) to format.`),
        h("div", { className: ["raw-text"] }, [
          ...rendered.preview,
          ...(rendered.rest === null ? [] : [h("span", { dataRest: true, hidden: UNTIL_FOUND }, rendered.rest)]),
        ]),
        ...more,
      ]),
    ]);
  }
  return h("div", { className: ["message"], dataMessage: true, dataTurnOutput: turn.number }, [
    assistantMeta(rawToggle),
    h("div", { dataMessageBody: true }, [
      h("div", { className: ["md"], dataRendered: true }, [
        ...rendered.preview,
        ...(rendered.rest === null ? [] : [h("div", { dataRest: true, hidden: UNTIL_FOUND }, rendered.rest)]),
      ]),
      ...more,
    ]),
  ]);
}

function turnTime(value: string | null): ElementContent[] {
  const date = parseTimestamp(value);
  // UTC on the server; the page's enhancer rewrites it in the reader's time zone.
  return date ? [h("time", { dateTime: date.toISOString(), dataLocal: "time" }, formatUtc(date).slice(11))] : [];
}

function turnArticle(turn: TurnView, formatted: boolean, feedbackTurn: number | null, shared: boolean): Element {
  const id = `turn-${turn.number}`;
  return h(
    "article",
    { id, className: ["turn"], dataTurn: turn.number, ariaCurrent: turn.chosen ? "true" : undefined, ariaLabelledby: `${id}-h`, tabIndex: -1 },
    [
      h("div", { className: ["turn-head"] }, [
        h("h3", { id: `${id}-h` }, `Turn ${turn.number}`),
        ...(turn.chosen ? [h("span", { className: badgeClass("info") }, "Chosen turn")] : []),
        ...(feedbackTurn === turn.number
          ? [h("a", { href: "#feedback-heading", className: ["no-underline"] }, [h("span", { className: badgeClass("warning") }, [icon("feedback", "size-3.5"), "Feedback"])])]
          : []),
        h("a", { href: `#${id}`, className: ["icon-btn", "ml-auto"], dataAction: "copy-url", dataFragment: `#${id}`, ariaLabel: `Copy link to turn ${turn.number}` }, [
          icon("link", "size-4"),
        ]),
      ]),
      h("div", { className: ["message", "message-user"] }, [
        h("div", { className: ["message-meta"] }, [icon("user", "size-3.5"), h("b", "User"), ...turnTime(turn.timestamp)]),
        ...userMessage(turn.input),
      ]),
      // The Raw view loads the exact text from the API, which a share view cannot reach.
      assistantMessage(turn, formatted, !shared),
    ],
  );
}

const conversationMemo = new Map<string, string>();
const CONVERSATION_MEMO_ENTRIES = 50;

/** All turns as HTML. `cacheKey` (interaction id and fetch time) lets repeat views skip the work. */
export function conversationHtml(view: InteractionView, cacheKey: string, options: { shared?: boolean } = {}): string {
  const cached = conversationMemo.get(cacheKey);
  if (cached !== undefined) return cached;
  const total = view.turns.length;
  const feedbackTurn = view.feedback.isEmpty ? null : view.feedback.turn;
  const html = toHtml(
    view.turns.map((turn) => turnArticle(turn, isFormattedOnLoad(turn.number, total, view.chosenTurn, options.shared), feedbackTurn, options.shared ?? false)),
  );
  conversationMemo.set(cacheKey, html);
  if (conversationMemo.size > CONVERSATION_MEMO_ENTRIES) conversationMemo.delete(conversationMemo.keys().next().value!);
  return html;
}

/** Formatted assistant messages for turns `from`..`to`, for the page to swap in as they scroll into view. */
export function formattedTurnsHtml(view: InteractionView, from: number, to: number): { number: number; html: string }[] {
  return view.turns
    .filter((turn) => turn.number >= from && turn.number <= to)
    .map((turn) => ({ number: turn.number, html: toHtml(assistantMessage(turn, true)) }));
}
