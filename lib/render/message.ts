import "server-only";
import type { ElementContent } from "hast";
import { logger } from "@/lib/logger";
import { BoundedCache } from "./bounded-cache";
import { markdownComplexity, type ComplexityReason } from "./complexity";
import { plainPreview, PREVIEW_CHARS } from "./plain";
import { createRenderPool, type RenderFailure, type RenderPool } from "./render-pool";

export { PREVIEW_CHARS };

/**
 * An assistant message, formatted or (when it cannot be, or not yet) as plain text.
 *
 * Whatever a message holds, formatting it is bounded: the linear pre-scan in ./complexity sends
 * shapes the parser handles badly straight to plain text; the rest is formatted on the render
 * worker (./render-pool) under a time limit; and the outcome, HTML or plain text, is remembered
 * per snapshot, turn and field, so no view (page, share link or the turns API) pays for it twice.
 */

/** Why a message is shown as plain text. `pending` means the caller stopped waiting; it is not remembered. */
export type PlainReason = ComplexityReason | "timeout" | "failed" | "pending";

export interface RenderedMessage {
  format: "markdown" | "plain";
  /** Set when `format` is "plain". */
  reason?: PlainReason;
  preview: ElementContent[];
  /** The remainder after the preview, or null when the message is short. */
  rest: ElementContent[] | null;
  length: number;
  /** Characters behind "Show more". */
  hiddenChars: number;
}

/** What is remembered: formatted nodes, or only the verdict (plain text is rebuilt from the message). */
type Remembered = { format: "markdown"; preview: ElementContent[]; rest: ElementContent[] | null; hiddenChars: number } | { format: "plain"; reason: PlainReason };

export interface MessageRenderer {
  /**
   * `key` names the message's place in a snapshot (see messageKey). With `deadline` (epoch ms)
   * the answer comes by then, as plain text with reason `pending` if formatting is still running;
   * the result is remembered when it arrives.
   */
  render(text: string, key: string, options?: { deadline?: number }): Promise<RenderedMessage>;
  /** Starts the worker and formats a sample, so the first page does not pay for a cold start. */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

/** Identifies one message of one snapshot: interaction id, fetch time, turn and field. */
export function messageKey(snapshotKey: string, turn: number, field: "output"): string {
  return `${snapshotKey}#${turn}:${field}`;
}

/** Identifies one fetched copy of an interaction: a refresh makes a new key. */
export function snapshotKey(interactionId: string, fetchedAt: Date): string {
  return `${interactionId}@${fetchedAt.getTime()}`;
}

const FENCE = /^ {0,3}(```|~~~)/;

/** Finds a break after `limit` that is outside any fenced code block, preferring blank lines. */
export function splitPoint(text: string, limit: number = PREVIEW_CHARS): number | null {
  if (text.length <= limit * 1.6) return null;
  let inFence = false;
  let offset = 0;
  let lineBreakCandidate: number | null = null;
  for (const line of text.split("\n")) {
    const end = offset + line.length;
    if (FENCE.test(line)) inFence = !inFence;
    if (!inFence && end >= limit) {
      if (line.trim() === "" && end < text.length - 200) return end;
      lineBreakCandidate ??= end < text.length - 200 ? end : null;
    }
    if (end > limit * 4 && lineBreakCandidate !== null) return lineBreakCandidate;
    offset = end + 1;
  }
  return lineBreakCandidate;
}

const textNodes = (value: string): ElementContent[] => [{ type: "text", value }];

function asPlain(text: string, reason: PlainReason): RenderedMessage {
  const { preview, rest } = plainPreview(text);
  return {
    format: "plain",
    reason,
    preview: textNodes(preview),
    rest: rest === null ? null : textNodes(rest),
    length: text.length,
    hiddenChars: rest?.length ?? 0,
  };
}

function materialise(text: string, remembered: Remembered): RenderedMessage {
  if (remembered.format === "plain") return asPlain(text, remembered.reason);
  return { ...remembered, length: text.length };
}

/** Failures that say something about the message itself, so they are remembered like results. */
const LASTING: Partial<Record<RenderFailure, PlainReason>> = { too_deep: "too_deep", failed: "failed", timeout: "timeout" };

interface MessageRendererOptions {
  pool: RenderPool;
  /** Remembered outcomes: weight is the message length, so this bounds memory in characters. */
  maxEntries?: number;
  maxChars?: number;
  /** A render slower than this is reported (with every timeout or failure) through `report`. */
  slowMs?: number;
  report?: (event: { key: string; chars: number; ms: number; outcome: string }) => void;
}

export function createMessageRenderer({ pool, maxEntries = 20_000, maxChars = 20_000_000, slowMs = 1_000, report }: MessageRendererOptions): MessageRenderer {
  const remembered = new BoundedCache<Remembered>({ maxEntries, maxWeight: maxChars });
  const inFlight = new Map<string, Promise<RenderedMessage>>();

  function remember(key: string, text: string, outcome: Remembered): RenderedMessage {
    remembered.set(key, outcome, text.length + 100);
    return materialise(text, outcome);
  }

  async function format(text: string, key: string): Promise<RenderedMessage> {
    const at = splitPoint(text);
    const parts = at === null ? [text] : [text.slice(0, at), text.slice(at)];
    const outcome = await pool.render(parts);
    if (outcome.ok) {
      if (outcome.ms > slowMs) report?.({ key, chars: text.length, ms: Math.round(outcome.ms), outcome: "slow" });
      return remember(key, text, { format: "markdown", preview: outcome.parts[0], rest: outcome.parts[1] ?? null, hiddenChars: at === null ? 0 : text.length - at });
    }
    const lasting = LASTING[outcome.reason];
    report?.({ key, chars: text.length, ms: Math.round(outcome.ms), outcome: outcome.reason });
    // `busy` and `unavailable` are about this moment: shown as plain text now, tried again next time.
    return lasting ? remember(key, text, { format: "plain", reason: lasting }) : asPlain(text, "pending");
  }

  return {
    async render(text, key, options = {}) {
      const known = remembered.get(key);
      if (known) return materialise(text, known);
      let running = inFlight.get(key);
      if (!running) {
        const verdict = markdownComplexity(text);
        if (!verdict.ok) return remember(key, text, { format: "plain", reason: verdict.reason });
        running = format(text, key).finally(() => inFlight.delete(key));
        inFlight.set(key, running);
      }
      if (options.deadline === undefined) return running;
      const wait = Math.max(0, options.deadline - Date.now());
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<RenderedMessage>((resolve) => {
        timer = setTimeout(() => resolve(asPlain(text, "pending")), wait);
      });
      try {
        return await Promise.race([running, late]);
      } finally {
        clearTimeout(timer);
      }
    },

    async warmUp() {
      await pool.render([WARM_UP_SAMPLE]);
    },

    close: () => pool.close(),
  };
}

/** Touches each part of the pipeline (lists, emphasis, links, tables, highlighted code). */
const WARM_UP_SAMPLE = "# Title\n\n- *a* **b** `c` [d](https://example.com)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nconst x = 1;\n```\n\n> quote";

/** How long one message may keep the render worker: generous for a long message on a busy machine. */
const RENDER_TIMEOUT_MS = 5_000;

const holder = globalThis as typeof globalThis & { __inspectorMessageRenderer?: MessageRenderer };

/** The process-wide renderer: one worker and one memory, shared by every route bundle. */
export function messageRenderer(): MessageRenderer {
  holder.__inspectorMessageRenderer ??= createMessageRenderer({
    pool: createRenderPool({ timeoutMs: RENDER_TIMEOUT_MS, maxQueue: 2_000 }),
    report: (event) => logger().warn(event, event.outcome === "slow" ? "slow markdown render" : "markdown shown as plain text"),
  });
  return holder.__inspectorMessageRenderer;
}
