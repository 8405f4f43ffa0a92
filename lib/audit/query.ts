import { z } from "zod";
import { AppError } from "@/lib/errors";
import { parseInstant } from "@/lib/interactions/browse-query";
import { AUDIT_ACTIONS, type AuditAction } from "./actions";

/** A position in the log: events are ordered by time, then by id (ids break ties within a millisecond). */
export interface AuditCursor {
  at: number;
  id: number;
}

export interface AuditQuery {
  /** Any of these actions (empty: every action). */
  actions: AuditAction[];
  actor: string | null;
  target: string | null;
  /** Inclusive bounds. */
  from: Date | null;
  to: Date | null;
  limit: number;
  /** Start after this event: older ones by default, newer ones with direction "newer" (going back a page). */
  cursor: AuditCursor | null;
  direction: "older" | "newer";
  /** Set by the service from the viewer, never from the address: see AuditLog.list. */
  projects?: readonly string[];
}

export const AUDIT_PAGE_DEFAULT = 50;
const AUDIT_PAGE_MAX = 200;

const CURSOR = /^(\d{1,15})\.(\d{1,15})$/;

/** The largest event id either store can hold (Postgres's integer). */
const AUDIT_ID_MAX = 2_147_483_647;

export function encodeCursor(cursor: AuditCursor): string {
  return `${cursor.at}.${cursor.id}`;
}

function invalid(parameter: string, message: string): AppError {
  return new AppError("invalid_query", `${parameter}: ${message}`);
}

const text = (parameter: string) =>
  z
    .string()
    .trim()
    .max(200, `${parameter}: at most 200 characters`)
    // No stored actor or target holds a control character; Postgres refuses NUL outright.
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), `${parameter}: control characters are not allowed`)
    .transform((value) => (value === "" ? null : value));

const schema = z.object({
  action: z.array(z.enum(AUDIT_ACTIONS, { error: `action: must be one of ${AUDIT_ACTIONS.join(", ")}` })),
  actor: text("actor"),
  target: text("target"),
  limit: z
    .string()
    .regex(/^\d+$/, `limit: must be a whole number from 1 to ${AUDIT_PAGE_MAX}`)
    .transform(Number)
    .pipe(z.number().min(1, `limit: must be a whole number from 1 to ${AUDIT_PAGE_MAX}`).max(AUDIT_PAGE_MAX, `limit: must be a whole number from 1 to ${AUDIT_PAGE_MAX}`)),
  cursor: z.string().regex(CURSOR, "cursor: not a cursor this API returned"),
  direction: z.enum(["older", "newer"], { error: "direction: must be older or newer" }),
});

const SINGLE = ["actor", "target", "from", "to", "limit", "cursor", "direction"] as const;
const KNOWN = new Set<string>(["action", ...SINGLE]);

/**
 * Parses the audit log's query parameters (the API's and the page's); throws `invalid_query`
 * naming the first bad one. Empty values count as absent, so an unfilled form field is harmless.
 */
export function parseAuditQuery(params: URLSearchParams): AuditQuery {
  for (const name of params.keys()) {
    if (!KNOWN.has(name)) throw invalid(name.slice(0, 60), `unknown parameter; use action, ${SINGLE.join(", ")}`);
  }
  for (const name of SINGLE) {
    if (params.getAll(name).length > 1) throw invalid(name, "may be given only once");
  }
  const present = (name: string) => {
    const value = params.get(name);
    return value === null || value.trim() === "" ? undefined : value;
  };

  const parsed = schema.partial().safeParse({
    action: [...new Set(params.getAll("action").filter((value) => value.trim() !== ""))],
    actor: params.get("actor") ?? undefined,
    target: params.get("target") ?? undefined,
    limit: present("limit"),
    cursor: present("cursor"),
    direction: present("direction"),
  });
  if (!parsed.success) throw new AppError("invalid_query", parsed.error.issues[0].message);
  const data = parsed.data;

  const from = present("from") ? parseInstant("from", params.get("from")!) : null;
  const to = present("to") ? parseInstant("to", params.get("to")!) : null;
  if (from && to && from.getTime() > to.getTime()) throw invalid("from", "must not be after to");

  const cursorMatch = data.cursor ? CURSOR.exec(data.cursor) : null;
  if (data.direction === "newer" && !cursorMatch) throw invalid("direction", "newer needs a cursor");
  return {
    actions: data.action ?? [],
    actor: data.actor ?? null,
    target: data.target ?? null,
    from,
    to,
    limit: data.limit ?? AUDIT_PAGE_DEFAULT,
    // Ids are 32-bit on Postgres: a made-up id past them means "past every event", as it does on SQLite.
    cursor: cursorMatch ? { at: Number(cursorMatch[1]), id: Math.min(Number(cursorMatch[2]), AUDIT_ID_MAX) } : null,
    direction: data.direction ?? "older",
  };
}
