/**
 * Whether an error means the store cannot be reached or cannot take work right now (Postgres down,
 * restarting or out of connections; a SQLite file on a volume that went away), as opposed to a
 * bug. Such failures answer 503 storage_unavailable and clear by themselves when the store is back.
 */
const UNREACHABLE_CODES = new Set([
  // Network, from node:net under pg.
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  // Postgres: connection exceptions (class 08), shutdown and start-up (57P0x), too many connections.
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  // SQLite: the file cannot be opened or written (volume gone, disk full, read-only).
  "SQLITE_CANTOPEN",
  "SQLITE_IOERR",
  "SQLITE_FULL",
  "SQLITE_READONLY",
]);

// pg reports some losses only in words.
const UNREACHABLE_MESSAGES = [/^Connection terminated/, /timeout exceeded when trying to connect/, /Client has encountered a connection error/, /^the database is closed/, /^Query read timeout$/];

function* causes(error: unknown): Generator<unknown> {
  let current = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    yield current;
    current = typeof current === "object" ? (current as { cause?: unknown }).cause : undefined;
  }
}

/** pg-pool's words when no connection came in time: every connection busy, or a server that does not answer. */
const POOL_TIMEOUT = /timeout exceeded when trying to connect/;

/**
 * Also notes the loss (see storeLastSeenLost) when the error says the store is unreachable. A
 * pool that ran out of connections because all are busy answers 503 too, but is not a loss:
 * marking it one would send every following request through a ping that waits for the same pool.
 */
export function isStoreUnreachable(error: unknown): boolean {
  for (const cause of causes(error)) {
    if (typeof cause !== "object" || cause === null) continue;
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if (typeof message === "string" && POOL_TIMEOUT.test(message) && state.__inspectorPoolFull?.()) return true;
    const unreachable =
      (typeof code === "string" && (UNREACHABLE_CODES.has(code) || code.startsWith("SQLITE_IOERR"))) ||
      (typeof message === "string" && UNREACHABLE_MESSAGES.some((pattern) => pattern.test(message)));
    if (unreachable) {
      noteStoreLost(Date.now(), error);
      return true;
    }
  }
  return false;
}

/**
 * What a log line says about a store error: its code and message, never the query's parameters
 * (Drizzle's error text quotes them, and they can be interaction text or token hashes).
 */
export function storeErrorForLog(error: unknown): { code?: string; message: string } {
  for (const cause of causes(error)) {
    if (typeof cause !== "object" || cause === null) continue;
    const { code, message } = cause as { code?: unknown; message?: unknown };
    // Some driver messages quote the value they refused (`invalid input syntax …: "…"`): not that.
    if (typeof code === "string") return { code, message: typeof message === "string" ? message.slice(0, 300).replace(/"[^"]*"?/g, '"…"') : "" };
  }
  return { message: error instanceof Error ? error.message.split("\nparams:")[0]!.slice(0, 300) : String(error).slice(0, 300) };
}

/** Told when the store goes from reachable to lost and back (lib/startup.ts logs both: one line each). */
export interface StoreTransitions {
  lost(error: unknown): void;
  back(lostForMs: number): void;
}

const state = globalThis as typeof globalThis & {
  __inspectorStoreLostAt?: number;
  __inspectorStoreTransitions?: StoreTransitions;
  __inspectorPoolFull?: () => boolean;
};

/** How to tell that the app's pool has every connection open (db/client.ts sets it for Postgres). */
export function onPoolFullCheck(check: () => boolean): void {
  state.__inspectorPoolFull = check;
}

export function onStoreTransitions(listener: StoreTransitions): void {
  state.__inspectorStoreTransitions = listener;
}

/** Records that the store was seen unreachable (a failed query, a dropped idle connection). */
export function noteStoreLost(at: number = Date.now(), error?: unknown): void {
  const wasLost = state.__inspectorStoreLostAt !== undefined;
  // The first sighting is kept: "lost for" counts from it.
  state.__inspectorStoreLostAt ??= at;
  if (!wasLost) state.__inspectorStoreTransitions?.lost(error);
}

/** Records that the store answered again. */
export function noteStoreBack(at: number = Date.now()): void {
  const lostAt = state.__inspectorStoreLostAt;
  state.__inspectorStoreLostAt = undefined;
  if (lostAt !== undefined) state.__inspectorStoreTransitions?.back(Math.max(0, at - lostAt));
}

/**
 * Whether the store was last seen unreachable: proxy.ts then checks it before rendering a page,
 * so a page answers 503 with a clear message instead of failing halfway through rendering.
 */
export function storeLastSeenLost(): boolean {
  return state.__inspectorStoreLostAt !== undefined;
}

/** At most one log line about the lost store every LOSS_LOG_EVERY_MS, however many requests fail meanwhile. */
const LOSS_LOG_EVERY_MS = 5_000;
const logState = globalThis as typeof globalThis & { __inspectorStoreLossLoggedAt?: number };
export function shouldLogStoreLoss(at: number = Date.now()): boolean {
  if (logState.__inspectorStoreLossLoggedAt !== undefined && at - logState.__inspectorStoreLossLoggedAt < LOSS_LOG_EVERY_MS) return false;
  logState.__inspectorStoreLossLoggedAt = at;
  return true;
}

/**
 * An error as a log line may carry it: a failed query's own error without Drizzle's text (which
 * quotes the query's parameters: interaction text, token hashes), anything else as it is.
 */
export function loggableError(error: unknown): unknown {
  return error instanceof Error && error.message.startsWith("Failed query:") ? storeErrorForLog(error) : error;
}
