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

export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** One line of at most `max` characters, with an ellipsis when cut. */
export function truncateText(text: string, max: number): string {
  const singleLine = text.replace(/\s+/g, " ").trim();
  return singleLine.length <= max ? singleLine : `${singleLine.slice(0, max - 1).trimEnd()}…`;
}

/** Markdown reduced to readable plain words, for one-line list snippets (not for rendering). */
export function markdownToSnippetText(markdown: string): string {
  return tablesToText(markdown)
    .replace(/```[\w-]*\n?/g, " ")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/^[ \t]{0,3}(#{1,6}|>|[-*+]|\d+[.)])[ \t]+/gm, "")
    .replace(/\[[ xX]\]\s/g, "")
    .replace(/(\*\*|__|~~|`)/g, "")
    .replace(/(^|\s)[*_](\S[^*_]*\S|\S)[*_](?=\s|$|[.,;:!?])/g, "$1$2");
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
