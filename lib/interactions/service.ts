import { AppError, toAppError, type ErrorCode } from "@/lib/errors";
import type { NebulyClient } from "@/lib/nebuly/client";
import { interactionSchema, type Interaction } from "@/lib/nebuly/schemas";
import type { ForgetOutcome, InteractionRepository } from "./repository";
import { SingleFlight } from "./single-flight";
import type { InteractionRow } from "@/db/schema";

/** MISS: fetched now. HIT: fresh cached copy. STALE: cached copy past its TTL or kept because upstream failed. */
export type CacheStatus = "HIT" | "MISS" | "STALE";

export interface InteractionSnapshot {
  id: string;
  interaction: Interaction;
  /** The body exactly as Nebuly sent it. */
  rawJson: string;
  fetchedAt: Date;
  cache: CacheStatus;
  staleReason?: "expired" | "upstream_failed";
  /** Why upstream could not be used, when a cached copy stands in for it. */
  upstreamError?: { code: ErrorCode; message: string };
}

export interface InteractionService {
  /** The interaction from the cache or Nebuly; a forgotten one throws `interaction_forgotten` without asking Nebuly. */
  get(id: string, options?: { refresh?: boolean }): Promise<InteractionSnapshot>;
  /**
   * Deletes the local snapshot and every local row about it, and marks the id forgotten: from then
   * on only fetchAgain fetches it, and a fetch already in flight stores nothing.
   */
  forget(id: string, by: string | null): ForgetOutcome;
  /** The explicit way back after a forget: lifts the mark and fetches from Nebuly now. */
  fetchAgain(id: string): Promise<InteractionSnapshot>;
  /** The cached snapshot, without asking Nebuly (share views serve exactly what was cached); undefined when none. */
  cachedSnapshot(id: string): InteractionSnapshot | undefined;
}

export interface InteractionServiceDeps {
  repository: InteractionRepository;
  client: NebulyClient;
  ttlMs: number;
  /**
   * How long an upstream failure for an uncached id is remembered and answered without a new
   * call (a page request asks twice: once to choose the HTTP status, once to render).
   * An explicit refresh always calls upstream.
   */
  failureMemoMs?: number;
  now?: () => number;
  onBackgroundError?: (id: string, error: AppError) => void;
  /** Told how the cache answered each `get` (observability: metrics and the access log). */
  onCacheResult?: (result: CacheStatus) => void;
  /** Told when a fetch joins an upstream call already in flight for the same id. */
  onFlightJoin?: () => void;
}

export function createInteractionService(deps: InteractionServiceDeps): InteractionService {
  const now = deps.now ?? Date.now;
  const flights = new SingleFlight<InteractionRow>();
  const failureMemoMs = deps.failureMemoMs ?? 2_000;
  const recentFailures = new Map<string, { error: AppError; at: number }>();

  /** A failure short enough ago to answer an uncached id without calling upstream again. */
  function recentFailure(id: string): AppError | undefined {
    const failure = recentFailures.get(id);
    if (!failure) return undefined;
    return now() - failure.at < failureMemoMs ? failure.error : undefined;
  }

  function forgottenError(): AppError {
    return new AppError(
      "interaction_forgotten",
      "This interaction was forgotten on this inspector: its local copy was deleted. Nebuly's own copy is untouched; fetch it again from its page to see it.",
    );
  }

  /** One upstream call per id at a time, however many requests want it. */
  function fetchAndStore(id: string): Promise<InteractionRow> {
    if (flights.has(id)) deps.onFlightJoin?.();
    return flights.run(id, async () => {
      try {
        const { interaction, rawJson } = await deps.client.getInteraction(id);
        const row = deps.repository.save(id, interaction, rawJson, new Date(now()));
        if (!row) throw forgottenError();
        recentFailures.delete(id);
        return row;
      } catch (error) {
        const appError = toAppError(error);
        if (appError.code === "interaction_forgotten") throw appError;
        recentFailures.set(id, { error: appError, at: now() });
        // Keep the memo bounded however many distinct bad ids arrive.
        if (recentFailures.size > 1_000) recentFailures.delete(recentFailures.keys().next().value!);
        throw appError;
      }
    });
  }

  function snapshotOf(row: InteractionRow, cache: CacheStatus, extra: Partial<InteractionSnapshot> = {}): InteractionSnapshot {
    return {
      id: row.id,
      interaction: interactionSchema.parse(JSON.parse(row.rawJson)),
      rawJson: row.rawJson,
      fetchedAt: row.fetchedAt,
      cache,
      ...extra,
    };
  }

  /** The snapshot for `id`: from the cache, or fetched (see CacheStatus). */
  async function lookUp(id: string, options: { refresh?: boolean }): Promise<InteractionSnapshot> {
    if (deps.repository.forgotten(id)) throw forgottenError();
    const cached = deps.repository.find(id);

    if (cached && !options.refresh) {
      if (now() - cached.fetchedAt.getTime() < deps.ttlMs) return snapshotOf(cached, "HIT");
      // Stale-while-revalidate: answer now, refresh behind the response.
      fetchAndStore(id).catch((error: unknown) => deps.onBackgroundError?.(id, toAppError(error)));
      // If the last attempt to refresh this copy failed, say so rather than promise a fresh one.
      const failure = recentFailures.get(id);
      if (failure && failure.at >= cached.fetchedAt.getTime()) {
        return snapshotOf(cached, "STALE", {
          staleReason: "upstream_failed",
          upstreamError: { code: failure.error.code, message: failure.error.message },
        });
      }
      return snapshotOf(cached, "STALE", { staleReason: "expired" });
    }

    const remembered = !cached && !options.refresh ? recentFailure(id) : undefined;
    if (remembered) throw remembered;

    try {
      return snapshotOf(await fetchAndStore(id), "MISS");
    } catch (error) {
      const appError = toAppError(error);
      // A snapshot we already hold beats any upstream failure, a 404 after retention included.
      if (!cached) throw appError;
      return snapshotOf(cached, "STALE", {
        staleReason: "upstream_failed",
        upstreamError: { code: appError.code, message: appError.message },
      });
    }
  }

  return {
    cachedSnapshot(id) {
      const row = deps.repository.find(id);
      return row ? snapshotOf(row, "HIT") : undefined;
    },

    forget(id, by) {
      const outcome = deps.repository.forget(id, new Date(now()), by);
      recentFailures.delete(id);
      return outcome;
    },

    async fetchAgain(id) {
      deps.repository.unforget(id);
      return this.get(id, { refresh: true });
    },

    async get(id, options = {}) {
      const snapshot = await lookUp(id, options);
      deps.onCacheResult?.(snapshot.cache);
      return snapshot;
    },
  };
}
