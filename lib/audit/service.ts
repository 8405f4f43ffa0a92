import type { Store } from "@/db/client";
import type { AuditEventRow } from "@/db/schema";
import { AUDIT_RETENTION_DAYS, type AuditAction } from "./actions";
import { encodeCursor, type AuditQuery } from "./query";
import { createAuditRepository } from "./repository";

export interface AuditInput {
  action: AuditAction;
  /** The viewer's name; null for anonymous requests (failed sign-ins, share views). */
  actor: string | null;
  client: string | null;
  target?: string | null;
  detail?: Record<string, string | number | boolean | null>;
  /** The project of the interaction it is about (see audit_events.project_slug). */
  project?: string | null;
}

/** One event as the API and the page show it. */
export interface AuditEvent {
  id: number;
  at: string;
  /** One of AUDIT_ACTIONS for events this version wrote; kept as stored otherwise. */
  action: string;
  actor: string | null;
  client: string | null;
  target: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditPage {
  events: AuditEvent[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
  /** Pass as `cursor` with `direction=newer` for the previous (newer) page; null on the newest page. */
  prevCursor: string | null;
}

const DAY_MS = 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

function detailOf(raw: string | null): Record<string, unknown> | null {
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function eventOf(row: AuditEventRow): AuditEvent {
  return { id: row.id, at: row.at.toISOString(), action: row.action, actor: row.actor, client: row.client, target: row.target, detail: detailOf(row.detail) };
}

const keyOf = (row: AuditEventRow) => ({ at: row.at.getTime(), id: row.id });

/**
 * The audit log over one database. Writing prunes events past the retention at most once per
 * `pruneEveryMs`, so the table stays bounded without a scheduler and without a delete per write.
 */
export function createAuditLog(store: Store, options: { retentionDays?: number; pruneEveryMs?: number } = {}) {
  const repository = createAuditRepository(store);
  const retentionMs = (options.retentionDays ?? AUDIT_RETENTION_DAYS) * DAY_MS;
  const pruneEveryMs = options.pruneEveryMs ?? PRUNE_EVERY_MS;
  let prunedAt = Number.NEGATIVE_INFINITY;

  return {
    async record(input: AuditInput, now: Date): Promise<void> {
      await repository.insert({
        at: now,
        action: input.action,
        actor: input.actor?.slice(0, 200) ?? null,
        client: input.client?.slice(0, 100) ?? null,
        target: input.target?.slice(0, 200) ?? null,
        detail: input.detail ? JSON.stringify(input.detail) : null,
        projectSlug: input.project ?? null,
      });
      if (now.getTime() - prunedAt >= pruneEveryMs) {
        prunedAt = now.getTime();
        await repository.deleteBefore(new Date(now.getTime() - retentionMs));
      }
    },

    /** `projects`: only events about these projects' interactions (and events about none); undefined: all. */
    async list(query: AuditQuery, projects?: readonly string[]): Promise<AuditPage> {
      query = { ...query, projects };
      const { rows, hasMore } = await repository.page(query);
      const first = rows[0];
      const last = rows.at(-1);
      if (query.direction === "older") {
        return {
          events: rows.map(eventOf),
          nextCursor: hasMore && last ? encodeCursor(keyOf(last)) : null,
          prevCursor: query.cursor && first && (await repository.hasBeyond(query, keyOf(first), "newer")) ? encodeCursor(keyOf(first)) : null,
        };
      }
      return {
        events: rows.map(eventOf),
        nextCursor: last && (await repository.hasBeyond(query, keyOf(last), "older")) ? encodeCursor(keyOf(last)) : null,
        prevCursor: hasMore && first ? encodeCursor(keyOf(first)) : null,
      };
    },

    actors: (limit?: number, projects?: readonly string[]) => repository.actors(limit, projects),
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
