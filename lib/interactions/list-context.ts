import { z } from "zod";
import { LIST_PARAM, POSITION_PARAM } from "@/lib/render/dom-contract";
import { browseSearchParams, parseBrowseQuery, type BrowseQuery } from "./browse-query";
import { interactionIdSchema } from "./interaction-id";

/*
 * The list an interaction was opened from, carried in its address so Previous/Next work, survive a
 * reload and travel with a copied link: `?list=<kind><version>.<payload>&at=<position>`.
 *
 * - `b1.` Browse (Nebuly's list, the home page's Latest too): the browse query's own parameters,
 *   with the time range written as fixed from/to instants. A preset such as "7d" slides with the
 *   clock, so the batch a colleague opens tomorrow would not be the one shared today.
 * - `c1.` a /cached search in interaction-time order: its own parameters (q, user, topic, …).
 * - `r1.` Recently viewed and `v1.` /cached sorted by "Last viewed": a fixed batch of ids. These
 *   lists reorder as they are read (opening an interaction moves it to the top), so a position
 *   in them means nothing one click later; the batch shown is what the reader meant.
 *
 * The payload is base64url: it never needs escaping inside a URL and keeps the nested query
 * from being percent-encoded twice. Everything here is client-chosen text: parsing does bounded
 * work (length checked before decoding, linear patterns, the browse query's own validation) and
 * anything it does not understand is simply "no list" (null), never an error page.
 */

/** The /cached page's page size; positions in a cached search count in pages of it. */
export const CACHED_PAGE_SIZE = 25;
/** The most ids a batch holds: one /cached page. */
const BATCH_MAX = CACHED_PAGE_SIZE;
/** Longer than any address this module writes (a browse query at its limits is ~6 kB before base64). */
const MAX_PARAM_CHARS = 12_000;
/** Positions past this are not a list anyone paged to (Browse's offsets stop at 1,000,000). */
export const MAX_POSITION = 1_000_000;

/** The /cached search a `c1` list repeats (interaction-time order; "Last viewed" lists are batches). */
export interface CachedListSearch {
  q?: string;
  user?: string;
  topic?: string;
  sentiment?: string;
  feedback_type?: string;
  project?: string;
  /** Label names the rows must all carry, and names they must carry none of (as /cached's `label` and `-label`). */
  label?: string[];
  "-label"?: string[];
}

export type ListContext =
  | { kind: "browse"; query: BrowseQuery }
  | { kind: "cached"; search: CachedListSearch }
  | { kind: "batch"; source: "recent" | "cached-viewed"; ids: string[] };

const CACHED_KEYS = ["q", "user", "topic", "sentiment", "feedback_type", "project"] as const;
/** The repeatable /cached parameters: label filters. */
const LABEL_KEYS = ["label", "-label"] as const;
/** As many label filters of each kind as /cached reads. */
const LABEL_FILTERS_MAX = 20;
const labelNames = z.array(z.string().trim().min(1).max(200)).min(1).max(LABEL_FILTERS_MAX).optional();
// The same bounds the /cached form's fields have; q a little longer (the page reads what it can).
const cachedSearchSchema = z
  .object({
    q: z.string().trim().min(1).max(1_000).optional(),
    user: z.string().trim().min(1).max(500).optional(),
    topic: z.string().trim().min(1).max(500).optional(),
    sentiment: z.string().trim().min(1).max(500).optional(),
    feedback_type: z.string().trim().min(1).max(500).optional(),
    project: z.string().trim().min(1).max(500).optional(),
    label: labelNames,
    "-label": labelNames,
  })
  .strict();

const FORM = /^([bcrv])1\.([A-Za-z0-9_-]*)$/;

const toBase64Url = (bytes: Buffer) => bytes.toString("base64url");

/** The compact form of `context` (the value of the `list` parameter). */
export function serialiseListContext(context: ListContext): string {
  if (context.kind === "browse") {
    // Fixed instants, never a preset; no offset: the position says where in the list.
    const fixed = browseSearchParams({ ...context.query, range: null }, { offset: 0 });
    return `b1.${toBase64Url(Buffer.from(fixed.toString(), "utf8"))}`;
  }
  if (context.kind === "cached") {
    const params = new URLSearchParams();
    for (const key of CACHED_KEYS) {
      const value = context.search[key]?.trim();
      if (value) params.set(key, value);
    }
    for (const key of LABEL_KEYS) for (const name of context.search[key] ?? []) params.append(key, name);
    return `c1.${toBase64Url(Buffer.from(params.toString(), "utf8"))}`;
  }
  // 16 bytes an id instead of 36 characters: a batch of 25 stays near 540 characters.
  const bytes = Buffer.concat(context.ids.slice(0, BATCH_MAX).map((id) => Buffer.from(id.replace(/-/g, ""), "hex")));
  return `${context.source === "recent" ? "r" : "v"}1.${toBase64Url(bytes)}`;
}

function uuidOf(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Strict base64url: Buffer.from ignores junk, so the text must round-trip exactly. */
function decodeBase64Url(text: string): Buffer | null {
  const bytes = Buffer.from(text, "base64url");
  return toBase64Url(bytes) === text ? bytes : null;
}

/** Params with every name at most once (but those in `repeatable`), or null. */
function singleValued(text: string, repeatable: readonly string[] = []): URLSearchParams | null {
  const params = new URLSearchParams(text);
  const names = [...params.keys()].filter((name) => !repeatable.includes(name));
  return new Set(names).size === names.length ? params : null;
}

/**
 * The list a `list` parameter names, or null when it names none this inspector can read
 * (missing, too long, malformed, an unknown kind or version, an invalid query). `now` only
 * matters for a hand-written browse preset.
 */
export function parseListContext(value: string | null | undefined, now: Date = new Date()): ListContext | null {
  if (!value || value.length > MAX_PARAM_CHARS) return null;
  const match = FORM.exec(value);
  if (!match) return null;
  const bytes = decodeBase64Url(match[2]!);
  if (!bytes) return null;
  const kind = match[1]!;
  if (kind === "r" || kind === "v") {
    if (bytes.length === 0 || bytes.length % 16 !== 0 || bytes.length > BATCH_MAX * 16) return null;
    const ids: string[] = [];
    for (let offset = 0; offset < bytes.length; offset += 16) {
      const parsed = interactionIdSchema.safeParse(uuidOf(bytes.subarray(offset, offset + 16).toString("hex")));
      if (!parsed.success) return null;
      if (!ids.includes(parsed.data)) ids.push(parsed.data);
    }
    return { kind: "batch", source: kind === "r" ? "recent" : "cached-viewed", ids };
  }
  const text = bytes.toString("utf8");
  // Invalid UTF-8 decodes to U+FFFD: not something this module wrote.
  if (text.includes("\uFFFD")) return null;
  if (kind === "c") {
    const params = singleValued(text, LABEL_KEYS);
    if (!params) return null;
    const fields: Record<string, string | string[]> = Object.fromEntries(params);
    for (const key of LABEL_KEYS) if (params.has(key)) fields[key] = params.getAll(key);
    const parsed = cachedSearchSchema.safeParse(fields);
    return parsed.success ? { kind: "cached", search: parsed.data } : null;
  }
  const params = new URLSearchParams(text);
  // The position decides the page; an offset in the list itself is not ours.
  if (params.has("offset")) return null;
  try {
    return { kind: "browse", query: parseBrowseQuery(params, now) };
  } catch {
    return null;
  }
}

/** A 1-based position from the `at` parameter, or null for anything else (negative, huge, "1e3", " 3"). */
export function parsePosition(value: string | null | undefined): number | null {
  if (!value || !/^[1-9]\d{0,6}$/.test(value)) return null;
  const position = Number(value);
  return position <= MAX_POSITION ? position : null;
}

/** The address of interaction `id` opened at `position` of the list `list` (a serialised context). */
export function interactionInList(id: string, list: string, position: number): string {
  return `/interactions/${id}?${new URLSearchParams([
    [LIST_PARAM, list],
    [POSITION_PARAM, String(position)],
  ])}`;
}

/**
 * What a list page gives each of its rows: the row's address in the list. `offset` is where the
 * page starts in the list (0 for the first page).
 */
export function listLinks(context: ListContext, offset = 0): (id: string, index: number) => string {
  const list = serialiseListContext(context);
  return (id, index) => interactionInList(id, list, offset + index + 1);
}
