import { AppError } from "@/lib/errors";
import type { ListRequest } from "@/lib/nebuly/schemas";

/** Nebuly's documented filter kinds, each a repeatable query parameter (values are ORed). */
export const FILTER_KINDS = [
  "user",
  "topic",
  "user_intent",
  "negative_user_intent",
  "user_feedback",
  "keyword",
  "type_of_problem",
  "user_query",
] as const;

export type FilterKind = (typeof FILTER_KINDS)[number];

/**
 * What `user_feedback` takes, with a label each. Nebuly sorts feedback by how it was given
 * (explicit: a rating, a button, a comment; implicit: copying, sharing, rephrasing) and by polarity,
 * and the list matches a whole feedback type or either half of one. Action names such as
 * `thumbs_up` are not feedback types and match nothing.
 */
export const FEEDBACK_VALUES: readonly (readonly [string, string])[] = [
  ["positive", "Positive (explicit or implicit)"],
  ["negative", "Negative (explicit or implicit)"],
  ["explicit_positive", "Explicit positive"],
  ["explicit_negative", "Explicit negative"],
  ["implicit_positive", "Implicit positive"],
  ["implicit_negative", "Implicit negative"],
  ["explicit", "Explicit (either polarity)"],
  ["implicit", "Implicit (either polarity)"],
];

export const RANGE_PRESETS = { "24h": 24, "7d": 7 * 24, "30d": 30 * 24 } as const;
export type RangePreset = keyof typeof RANGE_PRESETS;
/** A list address without a time range shows this preset (and says so). */
const DEFAULT_RANGE: RangePreset = "7d";

export interface BrowseFilter {
  kind: FilterKind | "tag";
  tag?: string;
  values: string[];
}

export interface BrowseQuery {
  range: RangePreset | null;
  from: Date;
  to: Date;
  limit: number;
  offset: number;
  filters: BrowseFilter[];
  /** Project slugs asked for (`project`, repeatable), sorted; empty: every project the viewer may see. */
  projects: string[];
}

const HOUR = 3_600_000;
const MAX_SPAN_DAYS = 366;
export const MAX_VALUE_CHARS = 200;
const MAX_VALUES = 20;
const SINGLE = new Set(["from", "to", "range", "limit", "offset"]);

function invalid(parameter: string, message: string): AppError {
  return new AppError("invalid_query", `${parameter}: ${message}`);
}

/** Whether the YYYY-MM-DD that starts `text` names a day that exists (Date.parse rolls 2026-02-30 over to March). */
function isCalendarDay(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split("-").map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** ISO 8601 date or date-time; a date-only `to` means the end of that day; no zone means UTC. */
export function parseInstant(parameter: "from" | "to", value: string): Date {
  const trimmed = value.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(trimmed);
  if (!iso) throw invalid(parameter, `"${value.slice(0, 40)}" is not an ISO 8601 date (e.g. 2026-11-20 or 2026-11-20T10:00:00Z)`);
  const withZone = dateOnly ? `${trimmed}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) ? trimmed : `${trimmed}Z`;
  const ms = Date.parse(withZone);
  if (Number.isNaN(ms) || !isCalendarDay(trimmed)) throw invalid(parameter, `"${value.slice(0, 40)}" is not a real date`);
  return new Date(dateOnly && parameter === "to" ? ms + 24 * HOUR - 1 : ms);
}

function parseInteger(parameter: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim())) throw invalid(parameter, `must be a whole number from ${min} to ${max}`);
  const number = Number(value);
  if (number < min || number > max) throw invalid(parameter, `must be a whole number from ${min} to ${max}`);
  return number;
}

/** "Now" rounded up to the minute, so default ranges give the same cache key for a minute. */
function defaultEnd(now: Date): Date {
  return new Date(Math.ceil(now.getTime() / 60_000) * 60_000);
}

/** Parses and validates browse parameters; throws `invalid_query` naming the first bad one. */
export function parseBrowseQuery(params: URLSearchParams, now: Date = new Date()): BrowseQuery {
  const seen = new Set<string>();
  const filters = new Map<string, BrowseFilter>();
  const projects: string[] = [];
  for (const [name, value] of params) {
    if (SINGLE.has(name)) {
      if (seen.has(name)) throw invalid(name, "may be given only once");
      seen.add(name);
      continue;
    }
    if (name === "project") {
      const slug = value.trim();
      if (slug === "") continue;
      // Whether the project exists (for this viewer) is the service's to say; here only its shape.
      if (!/^[a-z0-9-]{1,40}$/.test(slug)) throw invalid("project", `"${slug.slice(0, 40)}" is not a project`);
      if (!projects.includes(slug)) projects.push(slug);
      if (projects.length > 50) throw invalid("project", "at most 50 projects");
      continue;
    }
    const isTag = name.startsWith("tag.");
    if (!isTag && !(FILTER_KINDS as readonly string[]).includes(name)) {
      throw invalid(name.slice(0, 60), `unknown parameter; use from, to, range, limit, offset, project, ${FILTER_KINDS.join(", ")} or tag.{name}`);
    }
    if (isTag && name.length === 4) throw invalid(name, "a tag filter needs the tag's name, as in tag.plan=pro");
    if (isTag && name.length > 104) throw invalid(name.slice(0, 60), "a tag filter is tag.{name} with a name of 1 to 100 characters");
    const trimmed = value.trim();
    // An empty form field means "no filter"; a tag named without a value is a mistake to point out.
    if (trimmed === "" && isTag) throw invalid(name, `give a value for the tag "${name.slice(4)}", as in ${name}=pro`);
    if (trimmed === "") continue;
    if (trimmed.length > MAX_VALUE_CHARS) throw invalid(name.slice(0, 60), `values are at most ${MAX_VALUE_CHARS} characters`);
    const filter = filters.get(name) ?? (isTag ? { kind: "tag" as const, tag: name.slice(4), values: [] } : { kind: name as FilterKind, values: [] });
    if (!filter.values.includes(trimmed)) filter.values.push(trimmed);
    if (filter.values.length > MAX_VALUES) throw invalid(name.slice(0, 60), `at most ${MAX_VALUES} values`);
    filters.set(name, filter);
  }

  const rangeValue = params.get("range");
  if (rangeValue !== null && !(rangeValue in RANGE_PRESETS)) throw invalid("range", `must be one of ${Object.keys(RANGE_PRESETS).join(", ")}`);
  if (rangeValue !== null && (params.has("from") || params.has("to"))) throw invalid("range", "give either range or from/to, not both");
  const range = (rangeValue ?? (params.has("from") || params.has("to") ? null : DEFAULT_RANGE)) as RangePreset | null;

  let to = params.get("to") ? parseInstant("to", params.get("to")!) : defaultEnd(now);
  let from = params.get("from") ? parseInstant("from", params.get("from")!) : new Date(to.getTime() - 7 * 24 * HOUR);
  if (range) {
    to = defaultEnd(now);
    from = new Date(to.getTime() - RANGE_PRESETS[range] * HOUR);
  }
  if (from.getTime() > to.getTime()) throw invalid("from", "must not be after to");
  if (to.getTime() - from.getTime() > MAX_SPAN_DAYS * 24 * HOUR) throw invalid("from", `the range may span at most ${MAX_SPAN_DAYS} days`);

  const limit = params.has("limit") ? parseInteger("limit", params.get("limit")!, 1, 100) : 25;
  const offset = params.has("offset") ? parseInteger("offset", params.get("offset")!, 0, 1_000_000) : 0;
  const sortedFilters = [...filters.values()].sort((a, b) => `${a.kind}.${a.tag ?? ""}`.localeCompare(`${b.kind}.${b.tag ?? ""}`));
  return { range, from, to, limit, offset, filters: sortedFilters, projects: projects.sort() };
}

export function toListRequest(query: BrowseQuery): ListRequest {
  return {
    time_range: { start: query.from.toISOString(), end: query.to.toISOString() },
    filters: query.filters.map((filter) => (filter.kind === "tag" ? { kind: "tag", tag: filter.tag, values: filter.values } : { kind: filter.kind, values: filter.values })),
    limit: query.limit,
    offset: query.offset,
  };
}

/** A stable key for the list cache: equal queries, whatever their parameter order, share one entry. */
export function browseCacheKey(query: BrowseQuery): string {
  return JSON.stringify(toListRequest(query));
}

/** The query as URL parameters (the same names the API takes), with changes applied. */
export function browseSearchParams(query: BrowseQuery, changes: { offset?: number; projects?: string[] } = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const slug of changes.projects ?? query.projects) params.append("project", slug);
  if (query.range) params.set("range", query.range);
  else {
    params.set("from", query.from.toISOString());
    params.set("to", query.to.toISOString());
  }
  for (const filter of query.filters) {
    for (const value of filter.values) params.append(filter.kind === "tag" ? `tag.${filter.tag}` : filter.kind, value);
  }
  if (query.limit !== 25) params.set("limit", String(query.limit));
  const offset = changes.offset ?? query.offset;
  if (offset) params.set("offset", String(offset));
  return params;
}

/**
 * The address a submitted filter form should have: empty fields dropped (no `user=&topic=`), and
 * the form's tag name/value pair written as the API's `tag.{name}=value`. A tag name without a
 * value (or a value without a name) is kept so the page can say what is missing. Null when the
 * address is already canonical.
 */
export function normaliseBrowseParams(params: URLSearchParams): URLSearchParams | null {
  const kept: [string, string][] = [];
  let changed = false;
  for (const [name, value] of params) {
    const droppable = SINGLE.has(name) || name === "project" || (FILTER_KINDS as readonly string[]).includes(name);
    if (name === "tag_name" || name === "tag_value" || (droppable && value.trim() === "")) changed = true;
    else kept.push([name, value]);
  }
  const tagName = (params.get("tag_name") ?? "").trim();
  const tagValue = (params.get("tag_value") ?? "").trim();
  if (tagName || tagValue) kept.push([`tag.${tagName.slice(0, 100)}`, tagValue]);
  return changed ? new URLSearchParams(kept) : null;
}

/**
 * Where a page past the end of the list should go instead: the last page that has rows, or the
 * first page when nothing matches. Null when the page is fine as it is.
 */
export function offsetWithinTotal(query: Pick<BrowseQuery, "offset" | "limit">, total: number): number | null {
  if (query.offset === 0 || query.offset < total) return null;
  return total === 0 ? 0 : Math.floor((total - 1) / query.limit) * query.limit;
}

/**
 * The Browse list filtered by one value, for links from an interaction's page: the last 30 days,
 * since "this user's other interactions" is rarely only this week's. Null for a value the list
 * would refuse (too long, or a tag without a usable name), so no link leads to an error.
 */
export function browseHrefFor(filter: { kind: FilterKind; value: string } | { kind: "tag"; tag: string; value: string }, project: string | null = null): string | null {
  const value = filter.value.trim();
  if (!value || value.length > MAX_VALUE_CHARS) return null;
  if (filter.kind === "tag" && (!filter.tag || filter.tag.length > 100)) return null;
  const name = filter.kind === "tag" ? `tag.${filter.tag}` : filter.kind;
  // Within the interaction's own project: its topic or user means most there.
  return `/interactions?${new URLSearchParams([["range", "30d"], ...(project ? [["project", project]] : []), [name, value]])}`;
}
