import type { Interaction } from "@/lib/nebuly/schemas";

// C0 controls other than tab and line feed: snippets use \u0002 and \u0003 as match markers, so
// indexed text must never contain them (nor anything else a person cannot type or see).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * Everything a person might search for: the query, every turn's input and output, then the team's
 * notes on it (lib/notes), one part a line, each distinct text once (the query usually repeats a
 * turn's input, and a snippet showing it twice says nothing). The text ends with a line break so
 * the trigram index holds a trigram starting at every character pair, including the last two:
 * that is what finds two-character substrings (see `substringForm`).
 */
export function searchableText(interaction: Interaction, noteBodies: readonly string[] = []): string {
  const parts = [interaction.user_query, interaction.input, interaction.output];
  for (const turn of interaction.conversation ?? []) parts.push(turn.input, turn.output);
  parts.push(...noteBodies);
  const distinct = new Set(parts.filter((part): part is string => typeof part === "string" && part !== ""));
  return `${[...distinct].join("\n").replace(CONTROL, " ")}\n`;
}

/** One thing to look for: a typed word, or the text between quotes. */
export interface SearchItem {
  text: string;
  phrase: boolean;
}

/** A search as typed, read into what must match and what must not. */
export interface ParsedSearch {
  /** Every group must match; a group matches when any of its items does (items joined by OR). */
  groups: SearchItem[][];
  /** Interactions containing any of these are left out. */
  excluded: SearchItem[];
  /** What was left out or read differently from what was typed, in words, for the page to show. */
  notes: string[];
}

/** Longest search read, in characters; the rest is left out and the page says so. */
export const MAX_SEARCH_CHARS = 1_000;
/** Most words and phrases in one search (each costs an index lookup); the rest is left out and said. */
export const MAX_SEARCH_ITEMS = 32;

type Token =
  | { kind: "item"; item: SearchItem; negated: boolean; start: number }
  | { kind: "operator"; operator: "OR" | "AND" | "NOT"; start: number };

const isSpace = (char: string) => /\s/u.test(char);
// Straight, curly and full-width double quotes all open and close a phrase.
const isQuote = (char: string) => char === '"' || char === "\u201c" || char === "\u201d" || char === "\u201e" || char === "\uff02";
const isPunctuation = (char: string) => /\p{P}/u.test(char);
const isSearchable = (text: string) => /[\p{L}\p{N}]/u.test(text);

/** Drops punctuation around a word (`(refund)`, `refund,`, `*star`) but keeps it inside (`e-mail`). */
function trimPunctuation(chars: string[]): string {
  let start = 0;
  let end = chars.length;
  while (start < end && isPunctuation(chars[start])) start++;
  while (end > start && isPunctuation(chars[end - 1])) end--;
  return chars.slice(start, end).join("");
}

/** The first `max` characters (code points, never half of one) and the rest, reading no further. */
function splitAt(text: string, max: number): [head: string[], rest: string] {
  const head: string[] = [];
  let at = 0;
  for (const char of text) {
    if (head.length === max) break;
    head.push(char);
    at += char.length;
  }
  return [head, text.slice(at)];
}

function quoted(text: string): string {
  const [head, rest] = splitAt(text, 57);
  return rest ? `“${head.join("")}…”` : `“${text}”`;
}

/**
 * Reads typed text in one pass, character by character (no backtracking, so hostile input costs
 * linear time): whitespace separates words, quotes make a phrase (an unclosed quote runs to the
 * end), a leading `-` or a preceding `NOT` leaves a word or phrase out, `OR` between two words
 * accepts either, `AND` is the default and is skipped. Lowercase `or`, `and`, `not` are words.
 */
function tokenize(chars: string[], unsearchable: string[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < chars.length) {
    if (isSpace(chars[i])) {
      i++;
      continue;
    }
    const start = i;
    while (i < chars.length && chars[i] === "-") i++;
    const negated = i > start;
    if (negated && (i === chars.length || isSpace(chars[i]))) {
      unsearchable.push(chars.slice(start, i).join(""));
      continue;
    }
    if (isQuote(chars[i])) {
      const open = ++i;
      while (i < chars.length && !isQuote(chars[i])) i++;
      const text = chars
        .slice(open, i)
        .join("")
        .replace(CONTROL, " ")
        .split(/\s+/u)
        .filter(Boolean)
        .join(" ");
      i++; // the closing quote, if any
      if (isSearchable(text)) tokens.push({ kind: "item", item: { text, phrase: true }, negated, start });
      else unsearchable.push(chars.slice(start, Math.min(i, chars.length)).join(""));
      continue;
    }
    const wordStart = i;
    while (i < chars.length && !isSpace(chars[i]) && !isQuote(chars[i])) i++;
    const raw = chars.slice(wordStart, i);
    const word = raw.join("");
    if (!negated && (word === "OR" || word === "AND" || word === "NOT")) {
      tokens.push({ kind: "operator", operator: word, start });
      continue;
    }
    const text = trimPunctuation(raw).replace(CONTROL, "");
    if (isSearchable(text)) tokens.push({ kind: "item", item: { text, phrase: false }, negated, start });
    else unsearchable.push(chars.slice(start, i).join(""));
  }
  return tokens;
}

/** Reads what a person typed into groups of words and phrases; never throws, linear in the input. */
export function parseSearch(typed: string): ParsedSearch {
  const notes: string[] = [];
  const [chars, rest] = splitAt(typed.trim(), MAX_SEARCH_CHARS);
  const unsearchable: string[] = [];
  let tokens = tokenize(chars, unsearchable);
  let leftOut = rest;

  let items = 0;
  const cut = tokens.findIndex((token) => token.kind === "item" && ++items > MAX_SEARCH_ITEMS);
  if (cut !== -1) {
    leftOut = chars.slice(tokens[cut].start).join("") + leftOut;
    tokens = tokens.slice(0, cut);
  }
  if (leftOut.trim()) {
    notes.push(`Only the first ${MAX_SEARCH_ITEMS} words and phrases, up to ${MAX_SEARCH_CHARS.toLocaleString("en-US")} characters, are searched; left out: ${quoted(leftOut.trim())}.`);
  }
  if (unsearchable.length) {
    notes.push(`Left out ${unsearchable.map(quoted).join(", ")}: only letters and digits are searched.`);
  }

  const groups: SearchItem[][] = [];
  const excluded: SearchItem[] = [];
  let not = false;
  let or = false;
  let afterWord = false;
  for (const token of tokens) {
    if (token.kind === "operator") {
      if (token.operator === "NOT") not = true;
      else if (token.operator === "OR") {
        if (afterWord && !or) or = true;
        else notes.push("OR needs a word or phrase on each side; it was skipped.");
      }
      continue;
    }
    if (token.negated || not) {
      excluded.push(token.item);
      if (or) notes.push("OR cannot join a word that is left out; it was skipped.");
      not = or = afterWord = false;
      continue;
    }
    if (or) groups[groups.length - 1].push(token.item);
    else groups.push([token.item]);
    or = false;
    afterWord = true;
  }
  if (or) notes.push("OR needs a word or phrase on each side; it was skipped.");
  if (not) notes.push("Nothing followed NOT; it was skipped.");
  return { groups, excluded, notes };
}

/** FTS5 OR over queries, in parentheses. */
export const anyOf = (queries: string[]) => `(${queries.join(" OR ")})`;
/** FTS5 AND over queries (AND binds tighter than OR, and each group is parenthesised). */
export const allOf = (queries: string[]) => queries.join(" AND ");

/** The groups as one word-index query: every group has one of its items as a whole word (see wordQuery). */
export function wordsQuery(groups: SearchItem[][]): string {
  return allOf(groups.map((group) => anyOf(group.map(wordQuery))));
}

/** An FTS5 string: the text between double quotes, quotes doubled. Inside it nothing is syntax. */
export function ftsString(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/**
 * The item as a word-index query: a whole word (`refund`, not `refunds`: those are found inside
 * words, ranked after) or a phrase's exact words in order. An item too short to find inside
 * words matches words starting with it instead (`in` finds invoice). Punctuation inside is split
 * as the index splits it (`e-mail` → e, mail). Whole words keep FTS5 reading its index
 * incrementally: a prefix query merges every matching word's list first.
 */
export function wordQuery(item: SearchItem): string {
  return !item.phrase && substringForm(item).kind === "words-only" ? `${ftsString(item.text)}*` : ftsString(item.text);
}

// Scripts written without spaces between words: a run of them is one "word" to unicode61, so only
// the trigram index can find what is inside it, and two characters are already a word there.
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/** How an item is found inside words, in the trigram index. */
export type SubstringForm =
  /** Three characters or more: the trigram index matches the text anywhere. */
  | { kind: "literal"; query: string }
  /** Two characters in a script written without spaces: every indexed trigram starting with them. */
  | { kind: "pair"; prefix: string }
  /** Too short to look for inside words: found at the start of words only. */
  | { kind: "words-only" };

export function substringForm(item: SearchItem): SubstringForm {
  const length = Array.from(item.text).length;
  if (length >= 3) return { kind: "literal", query: ftsString(item.text) };
  if (length === 2 && UNSPACED_SCRIPT.test(item.text)) return { kind: "pair", prefix: foldLikeIndex(item.text) };
  return { kind: "words-only" };
}

/**
 * Folds text as the trigram index does (`case_sensitive 0 remove_diacritics 1`): lower case, and
 * accents removed from Latin letters only (kana voicing marks and Hangul syllables stay whole).
 */
export function foldLikeIndex(text: string): string {
  let folded = "";
  for (const char of text) folded += foldChar(char);
  return folded;
}

export function foldChar(char: string): string {
  const lower = char.toLowerCase();
  return /\p{Script=Latin}/u.test(char) ? lower.normalize("NFD").replace(/\p{M}/gu, "") : lower;
}

/** Says what a search was read as when that may surprise: short words, too-common pairs. */
export function shortItemNotes(items: SearchItem[], tooCommon: SearchItem[]): string[] {
  const list = (found: SearchItem[]) => `${found.map((item) => quoted(item.text)).join(", ")} ${found.length === 1 ? "is" : "are"}`;
  const short = items.filter((item) => substringForm(item).kind === "words-only");
  const shortWords = short.filter((item) => !item.phrase);
  const shortPhrases = short.filter((item) => item.phrase);
  const notes: string[] = [];
  if (shortWords.length) notes.push(`${list(shortWords)} too short to find inside longer words, so words starting with ${shortWords.length === 1 ? "it" : "them"} match.`);
  if (shortPhrases.length) notes.push(`${list(shortPhrases)} too short to find inside longer words, so only whole words match.`);
  if (tooCommon.length) notes.push(`${list(tooCommon)} too common to find inside longer words here, so only whole words match.`);
  return notes;
}
