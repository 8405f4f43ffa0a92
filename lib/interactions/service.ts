import { AppError, toAppError, type ErrorCode } from "@/lib/errors";
import type { NebulyClient } from "@/lib/nebuly/client";
import { interactionSchema, type Interaction } from "@/lib/nebuly/schemas";
import { firstFound } from "@/lib/projects/fan-out";
import type { ForgetOutcome, InteractionRepository, StoredInteraction } from "./repository";
import { inProcessLeases, type FetchLeases } from "./fetch-lease";
import { SingleFlight } from "./single-flight";

/** MISS: fetched now. HIT: fresh cached copy. STALE: cached copy past its TTL or kept because upstream failed. */
export type CacheStatus = "HIT" | "MISS" | "STALE";

export interface InteractionSnapshot {
  id: string;
  /** The configured project whose key fetched it (lib/projects). */
  projectSlug: string;
  interaction: Interaction;
  /** The body exactly as Nebuly sent it. */
  rawJson: string;
  fetchedAt: Date;
  cache: CacheStatus;
  staleReason?: "expired" | "upstream_failed";
  /** Why upstream could not be used, when a cached copy stands in for it. */
  upstreamError?: { code: ErrorCode; message: string };
}

/** A project a viewer may see, as the service needs it: its slug, and its name for messages. */
export interface ProjectRef {
  slug: string;
  name: string;
}

/** Who is asking, in project terms: the projects they may see, in the order to ask them. */
export interface LookupScope {
  projects: readonly ProjectRef[];
  /**
   * The viewer sees every configured project: only then does a forgotten mark of no known project
   * (an id forgotten before projects existed) concern it. Unset: it does not.
   */
  everyProject?: boolean;
}

/** What this inspector holds about an id, whatever the viewer: whose it is, or nothing. */
export type LocalHolding =
  | { kind: "snapshot"; projectSlug: string }
  | { kind: "forgotten"; projectSlug: string | null }
  /** Not cached, but named by cached list pages of this project. */
  | { kind: "listed"; projectSlug: string }
  | { kind: "none" };

export interface InteractionService {
  /**
   * The interaction from the cache or Nebuly, as seen by a viewer of `scope.projects`: a cached
   * copy of another project counts as not cached, and an uncached id is asked of every project in
   * scope at once (first answer wins). A forgotten one throws `interaction_forgotten` without asking.
   */
  get(id: string, options: { refresh?: boolean } & LookupScope): Promise<InteractionSnapshot>;
  /**
   * Deletes the local snapshot and every local row about it, and marks the id forgotten: from then
   * on only fetchAgain fetches it, and a fetch already in flight stores nothing.
   */
  forget(id: string, by: string | null, at?: Date): Promise<ForgetOutcome | null>;
  /** The explicit way back after a forget: lifts the mark and fetches from Nebuly now. */
  fetchAgain(id: string, scope: LookupScope): Promise<InteractionSnapshot>;
  /** Whose the local rows about `id` are (erasure checks the viewer may see them). */
  holding(id: string): Promise<LocalHolding>;
  /** The cached snapshot, without asking Nebuly (share views serve exactly what was cached); undefined when none. */
  cachedSnapshot(id: string): Promise<InteractionSnapshot | undefined>;
}

export interface InteractionServiceDeps {
  repository: InteractionRepository;
  /** The client holding a project's key; undefined for a slug no longer configured. */
  clientFor: (slug: string) => NebulyClient | undefined;
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
  /** Which replica fetches an id when several share the store; by default this process always does. */
  leases?: FetchLeases;
}

/** How far replicas' clocks may differ for a snapshot another replica just stored to count as new. */
const CLOCK_SLACK_MS = 5_000;

export function createInteractionService(deps: InteractionServiceDeps): InteractionService {
  const now = deps.now ?? Date.now;
  const flights = new SingleFlight<StoredInteraction>();
  const leases = deps.leases ?? inProcessLeases;
  // Failures and flights are per id and per set of projects asked: viewers who may see different
  // projects must not answer each other (a 404 over projects A is not a 404 over A and B).
  const failureMemoMs = deps.failureMemoMs ?? 2_000;
  const recentFailures = new Map<string, { error: AppError; at: number }>();

  const flightKey = (id: string, targets: readonly ProjectRef[]) => `${id}|${targets.map((project) => project.slug).join(",")}`;

  /** A failure short enough ago to answer an uncached id without calling upstream again. */
  function recentFailure(key: string): AppError | undefined {
    const failure = recentFailures.get(key);
    if (!failure) return undefined;
    return now() - failure.at < failureMemoMs ? failure.error : undefined;
  }

  function forgottenError(): AppError {
    return new AppError(
      "interaction_forgotten",
      "This interaction was forgotten on this inspector: its local copy was deleted. Nebuly's own copy is untouched; fetch it again from its page to see it.",
    );
  }

  /**
   * One upstream fan-out per id and set of projects at a time, however many requests want it:
   * every project in `targets` is asked, the first to answer wins and the others are cancelled.
   */
  function fetchAndStore(id: string, targets: readonly ProjectRef[]): Promise<StoredInteraction> {
    const key = flightKey(id, targets);
    if (flights.has(key)) deps.onFlightJoin?.();
    return flights.run(key, async () => {
      try {
        const startedAt = new Date(now());
        const leased = await leases.runOrWait(key, () => fetchUpstream(id, targets));
        if (!leased.ran) {
          // Another replica fetched it meanwhile: its snapshot, when it stored one, is the answer.
          const stored = await deps.repository.find(id);
          // (A few seconds' slack: the other replica's clock stamped it.)
          const fetchedMeanwhile = stored && stored.fetchedAt.getTime() >= startedAt.getTime() - CLOCK_SLACK_MS;
          if (fetchedMeanwhile && targets.some((target) => target.slug === stored.projectSlug)) return stored;
        }
        const row = leased.ran ? leased.value : await fetchUpstream(id, targets);
        recentFailures.delete(key);
        return row;
      } catch (error) {
        const appError = toAppError(error);
        if (appError.code === "interaction_forgotten") throw appError;
        recentFailures.set(key, { error: appError, at: now() });
        // Keep the memo bounded however many distinct bad ids arrive.
        if (recentFailures.size > 1_000) recentFailures.delete(recentFailures.keys().next().value!);
        throw appError;
      }
    });
  }

  /** Asks every project in `targets` (the first to answer wins, the others are cancelled) and stores the answer. */
  async function fetchUpstream(id: string, targets: readonly ProjectRef[]): Promise<StoredInteraction> {
    const { project, value } = await firstFound(
      targets,
      (target, signal) => {
        const client = deps.clientFor(target.slug);
        if (!client) throw new AppError("not_found", `Interaction ${id} was not found.`);
        return client.getInteraction(id, { signal });
      },
      { what: `Interaction ${id}` },
    );
    const row = await deps.repository.save(id, value.interaction, value.rawJson, new Date(now()), project.slug);
    if (!row) throw forgottenError();
    return row;
  }

  function snapshotOf(row: StoredInteraction, cache: CacheStatus, extra: Partial<InteractionSnapshot> = {}): InteractionSnapshot {
    return {
      id: row.id,
      projectSlug: row.projectSlug,
      interaction: interactionSchema.parse(JSON.parse(row.rawJson)),
      rawJson: row.rawJson,
      fetchedAt: row.fetchedAt,
      cache,
      ...extra,
    };
  }

  /** The snapshot for `id`: from the cache, or fetched (see CacheStatus). */
  async function lookUp(id: string, options: { refresh?: boolean } & LookupScope): Promise<InteractionSnapshot> {
    const visible = (slug: string | null) => (slug === null ? options.everyProject === true : options.projects.some((project) => project.slug === slug));
    const [forgotten, stored] = await Promise.all([deps.repository.forgotten(id), deps.repository.find(id)]);
    // Another project's forget is none of this viewer's business: for them the id is just unknown.
    if (forgotten && visible(forgotten.projectSlug)) throw forgottenError();
    const cached = stored && visible(stored.projectSlug) ? stored : undefined;
    // A cached copy is refreshed with its own project's key; an uncached id is asked of every project in scope.
    const targets = cached ? options.projects.filter((project) => project.slug === cached.projectSlug) : options.projects;
    const key = flightKey(id, targets);

    if (cached && !options.refresh) {
      if (now() - cached.fetchedAt.getTime() < deps.ttlMs) return snapshotOf(cached, "HIT");
      // Stale-while-revalidate: answer now, refresh behind the response.
      fetchAndStore(id, targets).catch((error: unknown) => deps.onBackgroundError?.(id, toAppError(error)));
      // If the last attempt to refresh this copy failed, say so rather than promise a fresh one.
      const failure = recentFailures.get(key);
      if (failure && failure.at >= cached.fetchedAt.getTime()) {
        return snapshotOf(cached, "STALE", {
          staleReason: "upstream_failed",
          upstreamError: { code: failure.error.code, message: failure.error.message },
        });
      }
      return snapshotOf(cached, "STALE", { staleReason: "expired" });
    }

    const remembered = !cached && !options.refresh ? recentFailure(key) : undefined;
    if (remembered) throw remembered;

    try {
      return snapshotOf(await fetchAndStore(id, targets), "MISS");
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
    async cachedSnapshot(id) {
      const row = await deps.repository.find(id);
      return row ? snapshotOf(row, "HIT") : undefined;
    },

    async forget(id, by, at = new Date(now())) {
      const holding = await this.holding(id);
      const outcome = await deps.repository.forget(id, at, by, holding.kind === "none" ? null : holding.projectSlug);
      for (const key of recentFailures.keys()) if (key.startsWith(`${id}|`)) recentFailures.delete(key);
      return outcome;
    },

    async holding(id) {
      const row = await deps.repository.find(id);
      if (row) return { kind: "snapshot", projectSlug: row.projectSlug };
      const forgotten = await deps.repository.forgotten(id);
      if (forgotten) return { kind: "forgotten", projectSlug: forgotten.projectSlug };
      const listedIn = await deps.repository.listedIn(id);
      return listedIn.length > 0 ? { kind: "listed", projectSlug: listedIn[0]! } : { kind: "none" };
    },

    async fetchAgain(id, scope) {
      const forgotten = await deps.repository.forgotten(id);
      // Only a viewer of the forgotten copy's project may lift its mark; for anyone else the id is
      // unknown, and asking their own projects answers exactly as for any unknown id.
      const mayLift =
        !forgotten || (forgotten.projectSlug === null ? scope.everyProject === true : scope.projects.some((project) => project.slug === forgotten.projectSlug));
      if (mayLift) await deps.repository.unforget(id);
      return this.get(id, { refresh: true, projects: scope.projects });
    },

    async get(id, options) {
      const snapshot = await lookUp(id, options);
      deps.onCacheResult?.(snapshot.cache);
      return snapshot;
    },
  };
}
