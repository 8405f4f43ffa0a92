/** Display formatting shared by server and client components. Pure, locale-stable (en-US). */

export function formatLatency(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 1) return `${Math.round(seconds * 1_000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

export function formatCost(usd: number | null): string | null {
  if (usd === null || !Number.isFinite(usd)) return null;
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: 2,
    maximumFractionDigits: Math.abs(usd) < 0.01 ? 6 : 4,
  }).format(usd);
}

export function formatBytes(characters: number): string {
  if (characters < 1_000) return `${characters} characters`;
  if (characters < 1_000_000) return `${(characters / 1_000).toFixed(0)}k characters`;
  return `${(characters / 1_000_000).toFixed(1)}M characters`;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

export function formatRelative(date: Date, now: Date): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1_000);
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto", style: "short" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === "second") return format.format(Math.trunc(seconds / size), unit);
  }
  return "";
}

/** Parses Nebuly's timestamps; a value without a zone is UTC. */
export function parseTimestamp(value: string | null | undefined): Date | null {
  if (!value) return null;
  const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** "1 interaction", "1,234 interactions": a count with its noun in the right number. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? singular : plural}`;
}

export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/*
 * Titles and list snippets are cut from interaction text, which a model (or a prompt injection)
 * controls and which can be megabytes long. Every function below looks at a bounded prefix only,
 * and no regular expression in them can backtrack more than a fixed number of characters from any
 * position: each is linear in the (capped) input, so one hostile row cannot slow a list down.
 */

/** truncateText reads at most this much: 20 KB of whitespace before any word shows as "…". */
const TRUNCATE_SCAN_CHARS = 20_000;
/** A snippet is made from this much of the text (after leading whitespace): plenty for one line. */
const SNIPPET_SOURCE_CHARS = 4_000;

/** The characters `\s` matches in JavaScript. */
function isWhitespace(code: number): boolean {
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Cuts before `end`, never between the two halves of a surrogate pair. */
function sliceWhole(text: string, end: number): string {
  const code = text.charCodeAt(end - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
}

/**
 * One line of at most `max` characters, with an ellipsis when cut: whitespace runs become one
 * space. A single pass that stops once it has more than `max` characters (or has read
 * TRUNCATE_SCAN_CHARS), so its cost does not depend on how long the text is.
 */
export function truncateText(text: string, max: number): string {
  const end = Math.min(text.length, TRUNCATE_SCAN_CHARS);
  let line = "";
  let pendingSpace = false;
  let index = 0;
  for (; index < end && line.length <= max; index += 1) {
    const code = text.charCodeAt(index);
    if (isWhitespace(code)) {
      pendingSpace = line.length > 0;
      continue;
    }
    if (pendingSpace) line += " ";
    pendingSpace = false;
    line += text[index];
  }
  if (line.length <= max && index >= text.length) return line;
  return `${sliceWhole(line, Math.min(line.length, max - 1)).trimEnd()}…`;
}

// Each pattern is anchored on a fixed opener and its repetitions are bounded or exclude the
// character that ends them, so a failed match gives up after a bounded number of steps.
const CODE_FENCE = /```[\w-]*\n?/g;
const IMAGE = /!\[([^[\]\n]{0,300})\]\([^()\n]{0,1000}\)/g;
const LINK = /\[([^[\]\n]{1,300})\]\([^()\n]{0,1000}\)/g;
const BLANKS = /[ \t]+/g;
const LINE_MARKER = /^ ?(?:#{1,6}|>|[-*+]|\d{1,9}[.)]) /;
const TASK_BOX = /\[[ xX]\]\s/g;
const PAIRED_MARKS = /\*\*|__|~~|`/g;
const EMPHASIS = /(^|\s)[*_]([^*_\s](?:[^*_\n]{0,300}[^*_\s])?)[*_](?=\s|$|[.,;:!?])/g;

/** Markdown reduced to readable plain words, for one-line list snippets (not for rendering). */
export function markdownToSnippetText(markdown: string): string {
  const scanEnd = Math.min(markdown.length, TRUNCATE_SCAN_CHARS);
  let start = 0;
  while (start < scanEnd && isWhitespace(markdown.charCodeAt(start))) start += 1;
  const source = markdown.slice(start, start + SNIPPET_SOURCE_CHARS);
  return tablesToText(source)
    .replace(CODE_FENCE, " ")
    .replace(IMAGE, "$1")
    .replace(LINK, "$1")
    .replace(BLANKS, " ")
    .split("\n")
    .map((line) => line.replace(LINE_MARKER, ""))
    .join("\n")
    .replace(TASK_BOX, "")
    .replace(PAIRED_MARKS, "")
    .replace(EMPHASIS, "$1$2");
}

const DELIMITER_CHARS = new Set([" ", "\t", "\r", ":", "-", "|"]);

/** A GFM table's `|---|:--:|` line: only pipes, dashes, colons and blanks, with at least one pipe and dash. */
function isDelimiterRow(line: string): boolean {
  let pipe = false;
  let dash = false;
  for (const char of line) {
    if (!DELIMITER_CHARS.has(char)) return false;
    pipe ||= char === "|";
    dash ||= char === "-";
  }
  return pipe && dash;
}

/** A table row's cells, trimmed; the outer pipes are optional and `\|` is a pipe inside a cell. */
function cellsOf(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (char === "\\" && line[index + 1] === "|") {
      cell += "|";
      index++;
    } else if (char === "|") {
      cells.push(cell.trim());
      cell = "";
    } else cell += char;
  }
  cells.push(cell.trim());
  const trimmed = line.trim();
  if (trimmed.startsWith("|")) cells.shift();
  if (trimmed.endsWith("|") && !trimmed.endsWith("\\|") && cells.length) cells.pop();
  return cells;
}

/** A body row as words: its first cell labels the rest, each value named by its column ("Bandwidth: Team 100 GB, Pro 1 TB"). */
function rowText(cells: string[], header: string[]): string {
  const [label = "", ...values] = cells;
  const named = values.flatMap((value, index) => (value ? [header[index + 1] ? `${header[index + 1]} ${value}` : value] : []));
  if (!label) return named.join(", ");
  return named.length ? `${label}: ${named.join(", ")}` : label;
}

/**
 * GFM tables as sentences, one line per table: a snippet of pipes and empty cells (`· · Team · Pro`)
 * says nothing. Rows of a table cut short (no delimiter line left) read as their cells. One pass
 * over the lines, each looked at a constant number of times.
 */
function tablesToText(markdown: string): string {
  const lines = markdown.split("\n");
  const out: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line.includes("|") && index + 1 < lines.length && isDelimiterRow(lines[index + 1])) {
      const header = cellsOf(line);
      const rows: string[] = [];
      index += 2;
      while (index < lines.length && lines[index].includes("|") && lines[index].trim() !== "") {
        const text = rowText(cellsOf(lines[index]), header);
        if (text) rows.push(text);
        index++;
      }
      index--;
      out.push(rows.length ? `${rows.join("; ")}.` : header.filter(Boolean).join(", "));
    } else if (isDelimiterRow(line)) {
      continue;
    } else if (line.trimStart().startsWith("|")) {
      out.push(cellsOf(line).filter(Boolean).join(", "));
    } else out.push(line);
  }
  return out.join("\n");
}

/**
 * A moment in the reader's time zone, as every client-side time in the app shows it: `text` for
 * the page ("time" keeps only the time of day) and `title` for the tooltip (full date, time, zone).
 */
export function formatLocal(date: Date, format: "datetime" | "time" = "datetime"): { text: string; title: string } {
  const full = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" }).format(date);
  const text = format === "time" ? new Intl.DateTimeFormat(undefined, { timeStyle: "medium" }).format(date) : full;
  return { text, title: `${full} (${Intl.DateTimeFormat().resolvedOptions().timeZone})` };
}
