import "server-only";
import type { ElementContent } from "hast";
import { markdownToHast } from "./markdown";
import { plainPreview, PREVIEW_CHARS } from "./plain";

export { PREVIEW_CHARS };

/** Above this a message is shown as plain text: formatting a megabyte would stall the server. */
export const MARKDOWN_LIMIT = 100_000;

export interface RenderedMessage {
  format: "markdown" | "plain";
  preview: ElementContent[];
  /** The remainder after the preview, or null when the message is short. */
  rest: ElementContent[] | null;
  length: number;
  /** Characters behind "Show more". */
  hiddenChars: number;
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
const markdownNodes = (value: string) => markdownToHast(value).children as ElementContent[];

const memo = new Map<string, RenderedMessage>();
const MEMO_MAX_CHARS = 40_000_000;
let memoChars = 0;

/** Rendering is pure, so results are kept (bounded by total size) and shared across requests. */
function remember(text: string, rendered: RenderedMessage): RenderedMessage {
  memo.set(text, rendered);
  memoChars += text.length;
  while (memoChars > MEMO_MAX_CHARS && memo.size > 1) {
    const oldest = memo.keys().next().value!;
    memoChars -= oldest.length;
    memo.delete(oldest);
  }
  return rendered;
}

/** An assistant message as Markdown (or, when huge, plain text), split into preview and rest. */
export function renderMessage(text: string): RenderedMessage {
  const cached = memo.get(text);
  if (cached) return cached;
  if (text.length > MARKDOWN_LIMIT) {
    const { preview, rest } = plainPreview(text);
    return remember(text, {
      format: "plain",
      preview: textNodes(preview),
      rest: rest === null ? null : textNodes(rest),
      length: text.length,
      hiddenChars: rest?.length ?? 0,
    });
  }
  const at = splitPoint(text);
  return remember(text, {
    format: "markdown",
    preview: markdownNodes(at === null ? text : text.slice(0, at)),
    rest: at === null ? null : markdownNodes(text.slice(at)),
    length: text.length,
    hiddenChars: at === null ? 0 : text.length - at,
  });
}
