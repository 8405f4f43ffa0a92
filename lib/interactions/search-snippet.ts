import { foldChar } from "./search-text";

/** A piece of a search snippet: plain text, or text that matched (shown in `<mark>`). */
export interface SnippetPart {
  text: string;
  match: boolean;
}

/**
 * Markers FTS5's snippet() puts around matches. Indexed text never contains them (searchableText
 * replaces control characters), so they cannot be forged by an interaction's content.
 */
export const MATCH_OPEN = "\u0002";
export const MATCH_CLOSE = "\u0003";

type Range = [start: number, end: number];

/**
 * Turns a snippet from FTS5 (matches between MATCH_OPEN and MATCH_CLOSE) into parts. Where one of
 * `words` (what was searched inside words) occurs, exactly that is marked: FTS5 marks whole words,
 * or one character too many for a two-character search. FTS5's marks that overlap none of those
 * are kept (words matched at their start only). Linear in the snippet times the number of words:
 * no regular expression runs over the text.
 */
export function snippetParts(marked: string, words: string[]): SnippetPart[] {
  let text = "";
  const indexRanges: Range[] = [];
  let open = -1;
  for (const char of marked) {
    if (char === MATCH_OPEN) open = text.length;
    else if (char === MATCH_CLOSE) {
      if (open !== -1 && text.length > open) indexRanges.push([open, text.length]);
      open = -1;
    } else text += char;
  }
  const own = wordRanges(text, words);
  const kept = indexRanges.filter(([start, end]) => !own.some(([from, to]) => start < to && from < end));
  return toParts(text, merge([...own, ...kept]));
}

/** Where each word occurs in the text, compared as the index compares (case and accents folded). */
function wordRanges(text: string, words: string[]): Range[] {
  let folded = "";
  // For every UTF-16 unit of the folded text: where its character starts and ends in `text`.
  const from: number[] = [];
  const to: number[] = [];
  let at = 0;
  for (const char of text) {
    const fold = foldChar(char);
    for (let k = 0; k < fold.length; k++) {
      from.push(at);
      to.push(at + char.length);
    }
    folded += fold;
    at += char.length;
  }
  const ranges: Range[] = [];
  for (const word of words) {
    let needle = "";
    for (const char of word) needle += foldChar(char);
    if (!needle) continue;
    for (let found = folded.indexOf(needle); found !== -1; found = folded.indexOf(needle, found + needle.length)) {
      ranges.push([from[found], to[found + needle.length - 1]]);
    }
  }
  return ranges;
}

function merge(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: Range[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

function toParts(text: string, ranges: Range[]): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push({ text: text.slice(at, start), match: false });
    parts.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false });
  return parts;
}
