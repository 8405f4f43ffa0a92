/**
 * A linear pre-scan that decides whether a message may go to the Markdown parser at all.
 *
 * Model output is attacker-controlled, and the parser (micromark, then the mdast/hast
 * transforms) is super-linear or recursive on some shapes: each line re-walks every open
 * container, so "- - - - …" or "> > > …" costs depth × length and overflows the stack; emphasis,
 * bracket and code-span resolution compares every delimiter with the others in the same
 * paragraph; GFM tables pad every row to the widest header. Measured on the 2-core machine, 8 KB
 * of "- " blocked the server for 11 s and 49 KB for minutes. This scan reads each character
 * once, bounds exactly those quantities, and sends anything beyond them to plain text. It is
 * deliberately conservative (it over-counts rather than parse): a message it rejects is still
 * shown whole, as escaped text.
 */

/** Above this a message is shown as plain text: formatting a megabyte would take seconds. */
export const MARKDOWN_LIMIT = 100_000;
/** Lines: block parsing costs grow with lines × open blocks (a 1,500-item list took a second). */
export const MAX_LINES = 1_000;
/** Containers (quotes, list items, footnote definitions) open on one line, counting indentation. */
export const MAX_NESTING = 16;
/**
 * Inline delimiters (runs of `*`, `_`, `~` and backticks; `[` and `]`) per paragraph, squared and
 * summed: delimiter resolution is quadratic within a paragraph, so this bounds its total work.
 */
const MAX_DELIMITER_WORK = 250_000;
/**
 * Backtick runs × characters, per paragraph, summed: an unmatched code-span opener searches the
 * rest of its paragraph for a closer of the same length ("` `` ``` …" is the classic case).
 */
const MAX_CODE_SPAN_WORK = 2_000_000;
/**
 * Characters that can start inline markup (`<`, `&`, `\`, delimiter runs, brackets, and the `@`
 * and `:` of autolinks) in the whole message. Each costs the pipeline tens of microseconds even
 * when it comes to nothing: 16,000 "<a " took 0.7 s. Ordinary answers use a few per line.
 */
const MAX_MARKUP = 8_000;
/** `|` on one line: a table row's cost grows with its columns. */
const MAX_LINE_PIPES = 100;
/** Table cells a table could produce: lines with a `|` × the most `|` on one line. */
const MAX_TABLE_CELLS = 2_500;

export type ComplexityReason = "too_long" | "too_many_lines" | "too_deep" | "too_complex";

type Complexity = { ok: true } | { ok: false; reason: ComplexityReason };

const SPACE = 0x20;
const TAB = 0x09;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

const isBlankChar = (code: number) => code === SPACE || code === TAB || code === CARRIAGE_RETURN;
const isDigit = (code: number) => code >= 0x30 && code <= 0x39;
/** What may follow a list marker or `>` for it to open a container: space, tab or end of line. */
const endsMarker = (text: string, at: number) => at >= text.length || isBlankChar(text.charCodeAt(at)) || text.charCodeAt(at) === NEWLINE;

/**
 * Reads the container prefix of the line starting at `start` (indentation, `>`, list markers,
 * `[^label]:`), returning how deep it nests and where the line's content starts. Indentation
 * counts one level per two columns: that is the least a nested list item needs.
 */
function containerPrefix(text: string, start: number): { depth: number; markers: number; end: number } {
  let at = start;
  let markers = 0;
  let columns = 0;
  for (;;) {
    const code = text.charCodeAt(at);
    if (code === SPACE) {
      columns += 1;
      at += 1;
    } else if (code === TAB) {
      columns += 4;
      at += 1;
    } else if (code === 0x3e /* > */) {
      markers += 1;
      at += 1;
    } else if ((code === 0x2d /* - */ || code === 0x2b /* + */ || code === 0x2a /* * */) && endsMarker(text, at + 1)) {
      markers += 1;
      at += 1;
    } else if (isDigit(code)) {
      let end = at;
      // CommonMark allows at most 9 digits in an ordered list marker.
      while (end - at < 10 && isDigit(text.charCodeAt(end))) end += 1;
      const delimiter = text.charCodeAt(end);
      if (end - at > 9 || (delimiter !== 0x2e /* . */ && delimiter !== 0x29 /* ) */) || !endsMarker(text, end + 1)) break;
      markers += 1;
      at = end + 1;
    } else if (code === 0x5b /* [ */ && text.charCodeAt(at + 1) === 0x5e /* ^ */) {
      // A footnote definition, `[^label]:`, is a container too (labels are at most 999 characters).
      let end = at + 2;
      while (end - at < 1_002 && end < text.length && text.charCodeAt(end) !== 0x5d /* ] */ && text.charCodeAt(end) !== NEWLINE) end += 1;
      if (text.charCodeAt(end) !== 0x5d || text.charCodeAt(end + 1) !== 0x3a /* : */) break;
      markers += 1;
      at = end + 2;
    } else {
      break;
    }
  }
  // Indentation alone opens nothing: it only continues containers a marker opened.
  return { depth: markers === 0 ? 0 : markers + Math.floor(columns / 2), markers, end: at };
}

/** Decides in one pass over `text` whether it is safe to hand to the Markdown parser. */
export function markdownComplexity(text: string): Complexity {
  if (text.length > MARKDOWN_LIMIT) return { ok: false, reason: "too_long" };

  let lines = 0;
  let paragraphDelimiters = 0;
  let delimiterWork = 0;
  let paragraphBackticks = 0;
  let paragraphStart = 0;
  let codeSpanWork = 0;
  let markup = 0;
  let pipeLines = 0;
  let widestPipes = 0;
  let at = 0;

  const endParagraph = (at: number) => {
    delimiterWork += paragraphDelimiters * paragraphDelimiters;
    codeSpanWork += paragraphBackticks * (at - paragraphStart);
    paragraphDelimiters = 0;
    paragraphBackticks = 0;
    paragraphStart = at;
  };

  while (at <= text.length) {
    lines += 1;
    if (lines > MAX_LINES) return { ok: false, reason: "too_many_lines" };

    const prefix = containerPrefix(text, at);
    if (prefix.depth > MAX_NESTING) return { ok: false, reason: "too_deep" };
    // A new container (list item, quote) starts a new paragraph for the inline parser.
    if (prefix.markers > 0) endParagraph(at);

    let blank = true;
    let pipes = 0;
    let previous = -1;
    let index = prefix.end;
    for (; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      if (code === NEWLINE) break;
      if (!isBlankChar(code)) blank = false;
      if (code === 0x2a /* * */ || code === 0x5f /* _ */ || code === 0x7e /* ~ */ || code === 0x60 /* ` */) {
        if (code !== previous) {
          paragraphDelimiters += 1;
          markup += 1;
          if (code === 0x60) paragraphBackticks += 1;
        }
      } else if (code === 0x5b /* [ */ || code === 0x5d /* ] */) {
        paragraphDelimiters += 1;
        markup += 1;
      } else if (code === 0x3c /* < */ || code === 0x26 /* & */ || code === 0x5c /* \ */ || code === 0x40 /* @ */ || code === 0x3a /* : */) {
        markup += 1;
      } else if (code === 0x7c /* | */) {
        pipes += 1;
      }
      previous = code;
    }

    if (blank && prefix.markers === 0) endParagraph(index);
    if (pipes > 0) {
      pipeLines += 1;
      widestPipes = Math.max(widestPipes, pipes);
      if (pipes > MAX_LINE_PIPES || pipeLines * widestPipes > MAX_TABLE_CELLS) return { ok: false, reason: "too_complex" };
    }
    // Checked as they grow, so a hostile paragraph stops the scan early.
    if (
      markup > MAX_MARKUP ||
      delimiterWork + paragraphDelimiters * paragraphDelimiters > MAX_DELIMITER_WORK ||
      codeSpanWork + paragraphBackticks * (index - paragraphStart) > MAX_CODE_SPAN_WORK
    ) {
      return { ok: false, reason: "too_complex" };
    }
    at = index + 1;
  }
  return { ok: true };
}
