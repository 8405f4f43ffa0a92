import "server-only";
import type { Element, ElementContent } from "hast";
import { toHtml } from "hast-util-to-html";
import { h, s } from "hastscript";
import { formatBytes, formatUtc, parseTimestamp } from "@/lib/format";
import type { InteractionView, TurnView } from "@/lib/render/interaction-view";
import { BoundedCache } from "./bounded-cache";
import { messageKey, messageRenderer, type PlainReason, type RenderedMessage } from "./message";
import { ACTION, ATTR, TURN_TIME } from "./dom-contract";
import { plainPreview } from "./plain";
import { badgeClass } from "./tones";
import { showsDate, utcDay } from "./turn-dates";

/**
 * The conversation is built as a HAST tree and serialised to one HTML string, which the page
 * inserts as a single element. React then hydrates one node instead of tens of thousands (a
 * 3,000-turn conversation stays interactive in about a second), and the same builder serves the
 * turn fragments the page loads on scroll. Safety does not depend on this path: every piece of
 * interaction text enters the tree as a text node or an attribute value, which
 * hast-util-to-html escapes, and Markdown arrives already sanitised (lib/render/markdown).
 */

/**
 * How long a page (or a turns request) waits for formatting. Turns not formatted by then go out
 * as plain text — formatted on scroll by the page, or on the next view of a share link — while
 * the worker finishes them and remembers the result.
 */
const FORMAT_WAIT_MS = 750;

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
  return h("button", { type: "button", className: ["btn", "btn-quiet", "mt-2"], [ATTR.action]: ACTION.showMore }, `Show more (${formatBytes(hiddenChars)} hidden)`);
}

function userMessage(text: string | null): ElementContent[] {
  if (!text) return [h("p", { className: ["empty"] }, "No input recorded.")];
  const { preview, rest } = plainPreview(text);
  return [
    h("div", { className: ["plain"], [ATTR.messageBody]: true }, [
      preview,
      ...(rest === null ? [] : [h("span", { [ATTR.rest]: true, hidden: UNTIL_FOUND }, rest), showMore(rest.length)]),
    ]),
  ];
}

const assistantMeta = (withToggle: boolean) =>
  h("div", { className: ["message-meta"] }, [
    icon("bot", "size-3.5"),
    h("b", "Assistant"),
    ...(withToggle ? [h("button", { type: "button", className: ["chip-btn", "ml-auto"], [ATTR.action]: ACTION.toggleRaw, ariaPressed: "false" }, "Raw")] : []),
  ]);

const PLAIN_NOTES: Record<Exclude<PlainReason, "too_long">, string> = {
  too_many_lines: "Shown as plain text: this message is too complex to format.",
  too_deep: "Shown as plain text: this message is too complex to format.",
  too_complex: "Shown as plain text: this message is too complex to format.",
  failed: "Shown as plain text: this message is too complex to format.",
  timeout: "Shown as plain text: this message took too long to format.",
  pending: "Shown as plain text: still being formatted. Reload to see it formatted.",
};

function plainNote(rendered: RenderedMessage): string {
  const reason = rendered.reason ?? "failed";
  return reason === "too_long" ? `Shown as plain text: this message is too long (${formatBytes(rendered.length)}) to format.` : PLAIN_NOTES[reason];
}

/**
 * The assistant half of a turn. `rendered` is the formatted (or fallback) message; null sends
 * plain text that the page formats when it scrolls near (`data-lite`).
 */
export function assistantMessage(turn: TurnView, rendered: RenderedMessage | null, rawToggle = true): Element {
  const output = turn.output;
  if (!output) return h("div", { className: ["message"] }, [assistantMeta(false), h("p", { className: ["empty"] }, "No output recorded.")]);

  if (!rendered) {
    const { preview, rest } = plainPreview(output);
    return h("div", { className: ["message"], [ATTR.lite]: turn.number }, [
      assistantMeta(false),
      h("div", { className: ["plain"], [ATTR.messageBody]: true }, [
        preview,
        ...(rest === null ? [] : [h("span", { [ATTR.rest]: true, hidden: UNTIL_FOUND }, rest), showMore(rest.length)]),
      ]),
    ]);
  }

  const more = rendered.rest === null ? [] : [showMore(rendered.hiddenChars)];
  if (rendered.format === "plain") {
    // Escaped text only: nothing from the message becomes markup.
    return h("div", { className: ["message"] }, [
      assistantMeta(false),
      h("div", { [ATTR.messageBody]: true }, [
        h("p", { className: ["mb-2", "text-xs", "text-muted"] }, plainNote(rendered)),
        h("div", { className: ["raw-text"] }, [
          ...rendered.preview,
          ...(rendered.rest === null ? [] : [h("span", { [ATTR.rest]: true, hidden: UNTIL_FOUND }, rendered.rest)]),
        ]),
        ...more,
      ]),
    ]);
  }
  return h("div", { className: ["message"], [ATTR.message]: true, [ATTR.turnOutput]: turn.number }, [
    assistantMeta(rawToggle),
    h("div", { [ATTR.messageBody]: true }, [
      h("div", { className: ["md"], [ATTR.rendered]: true }, [
        ...rendered.preview,
        ...(rendered.rest === null ? [] : [h("div", { [ATTR.rest]: true, hidden: UNTIL_FOUND }, rendered.rest)]),
      ]),
      ...more,
    ]),
  ]);
}

function turnTime(date: Date | null, withDate: boolean): ElementContent[] {
  // UTC on the server; the page's enhancer rewrites it in the reader's time zone (and decides
  // again, in that zone, which turns show their date).
  return date ? [h("time", { dateTime: date.toISOString(), [ATTR.localTime]: TURN_TIME }, withDate ? formatUtc(date) : formatUtc(date).slice(11))] : [];
}

/** The turns whose timestamp shows its date (the day changed since the previous turn's), in UTC. */
function turnsShowingDate(turns: TurnView[]): Set<number> {
  const dates = turns.map((turn) => parseTimestamp(turn.timestamp));
  const shown = showsDate(dates.map((date) => (date ? utcDay(date) : null)));
  return new Set(turns.filter((_, index) => shown[index]).map((turn) => turn.number));
}

function turnArticle(turn: TurnView, rendered: RenderedMessage | null, feedbackTurn: number | null, shared: boolean, withDate: boolean): Element {
  const id = `turn-${turn.number}`;
  return h(
    "article",
    { id, className: ["turn"], [ATTR.turn]: turn.number, ariaCurrent: turn.chosen ? "true" : undefined, ariaLabelledby: `${id}-h`, tabIndex: -1 },
    [
      h("div", { className: ["turn-head"] }, [
        h("h3", { id: `${id}-h` }, `Turn ${turn.number}`),
        ...(turn.chosen ? [h("span", { className: badgeClass("info") }, "Chosen turn")] : []),
        ...(feedbackTurn === turn.number
          ? [h("a", { href: "#feedback-heading", className: ["no-underline"] }, [h("span", { className: badgeClass("warning") }, [icon("feedback", "size-3.5"), "Feedback"])])]
          : []),
        h("a", { href: `#${id}`, className: ["icon-btn", "ml-auto"], [ATTR.action]: ACTION.copyUrl, [ATTR.fragment]: `#${id}`, ariaLabel: `Copy link to turn ${turn.number}` }, [
          icon("link", "size-4"),
        ]),
      ]),
      h("div", { className: ["message", "message-user"] }, [
        h("div", { className: ["message-meta"] }, [icon("user", "size-3.5"), h("b", "User"), ...turnTime(parseTimestamp(turn.timestamp), withDate)]),
        ...userMessage(turn.input),
      ]),
      // The Raw view loads the exact text from the API, which a share view cannot reach.
      assistantMessage(turn, rendered, !shared),
    ],
  );
}

/** Longest stretch of serialising before the builder lets other requests run. */
const SLICE_MS = 20;

/** A macrotask boundary: pending I/O (other requests) runs before the caller continues. */
const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Maps items one by one, yielding to the event loop every SLICE_MS: pre-scanning and escaping
 * megabytes of text are the slow parts of a big page, and other requests (health checks included)
 * then run between turns instead of waiting for the whole conversation.
 */
async function eachInSlices<T, R>(items: T[], map: (item: T) => R): Promise<R[]> {
  const results: R[] = [];
  let sliceStarted = performance.now();
  for (const item of items) {
    results.push(map(item));
    if (performance.now() - sliceStarted > SLICE_MS) {
      await yieldToEventLoop();
      sliceStarted = performance.now();
    }
  }
  return results;
}

const serialiseEach = <T>(items: T[], build: (item: T) => Element) => eachInSlices(items, (item) => toHtml(build(item)));

/** Whole conversations, by snapshot and mode: a repeat view is one lookup. Bounded in characters. */
const conversationMemo = new BoundedCache<string>({ maxEntries: 50, maxWeight: 50_000_000 });

/**
 * Formats the assistant messages of `turns`, waiting until `deadline`. A message not formatted
 * by then comes back as plain text with reason `pending`.
 */
async function formatTurns(turns: TurnView[], snapshotKey: string, deadline: number): Promise<(RenderedMessage | null)[]> {
  const renderer = messageRenderer();
  // Each call pre-scans its message before handing it to the worker: slice that too.
  const pending = await eachInSlices(turns, (turn) => (turn.output ? renderer.render(turn.output, messageKey(snapshotKey, turn.number, "output"), { deadline }) : null));
  return Promise.all(pending);
}

/**
 * All turns as HTML. `snapshotKey` (see lib/render/message) names the fetched copy, so repeat
 * views, share views and the turns API reuse every formatted message.
 */
export async function conversationHtml(view: InteractionView, snapshotKey: string, options: { shared?: boolean } = {}): Promise<string> {
  const shared = options.shared ?? false;
  const memoKey = `${shared ? "shared" : "full"}:${snapshotKey}`;
  // Let waiting requests in before this page's heavy part (its conversation, then React writing it out).
  await yieldToEventLoop();
  const cached = conversationMemo.get(memoKey);
  if (cached !== undefined) return cached;

  const total = view.turns.length;
  const feedbackTurn = view.feedback.isEmpty ? null : view.feedback.turn;
  const formatted = view.turns.filter((turn) => isFormattedOnLoad(turn.number, total, view.chosenTurn, shared));
  const results = await formatTurns(formatted, snapshotKey, Date.now() + FORMAT_WAIT_MS);
  const byTurn = new Map(formatted.map((turn, index) => [turn.number, results[index]]));

  const dated = turnsShowingDate(view.turns);
  let complete = true;
  const parts = await serialiseEach(view.turns, (turn) => {
    let rendered = byTurn.get(turn.number) ?? null;
    if (rendered?.reason === "pending") {
      complete = false;
      // The full page formats late turns as they scroll near; a share view shows them as plain text.
      if (!shared) rendered = null;
    }
    return turnArticle(turn, rendered, feedbackTurn, shared, dated.has(turn.number));
  });
  const html = parts.join("");
  // A conversation with turns still formatting is built again next time, from what is ready then.
  if (complete) conversationMemo.set(memoKey, html, html.length);
  return html;
}

/**
 * Formatted assistant messages for turns `from`..`to`, for the page to swap in as they scroll
 * into view. Turns still formatting when the wait ends are left out; the page asks again.
 */
export async function formattedTurnsHtml(view: InteractionView, snapshotKey: string, from: number, to: number): Promise<{ number: number; html: string }[]> {
  const turns = view.turns.filter((turn) => turn.number >= from && turn.number <= to);
  const results = await formatTurns(turns, snapshotKey, Date.now() + FORMAT_WAIT_MS);
  const ready = turns.map((turn, index) => ({ turn, rendered: results[index] })).filter(({ rendered }) => rendered?.reason !== "pending");
  const html = await serialiseEach(ready, ({ turn, rendered }) => assistantMessage(turn, rendered));
  return ready.map(({ turn }, index) => ({ number: turn.number, html: html[index] }));
}
