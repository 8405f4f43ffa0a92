import type { AsyncLocalStorage } from "node:async_hooks";

/**
 * What the app tells the access log about the request it is serving. server.mjs opens one context
 * per request (lib/ops/access-log.mjs) and writes the line when the response ends; the app fills in
 * what only it knows. Outside server.mjs (unit tests, `next dev` started another way) there is no
 * context and these calls do nothing.
 */
export interface RequestContext {
  /** The request id, also sent back as X-Request-Id. */
  readonly id: string;
  /** The viewer's name, when access is protected and the request has one. */
  viewer?: string;
  /** The client as lib/access identifies it (TRUST_PROXY applied). */
  client?: string;
  /** The first interaction-cache result of the request (a page asks twice: for its status, then to render). */
  cache?: CacheResult;
}

export type CacheResult = "HIT" | "MISS" | "STALE";

const CONTEXT = Symbol.for("interaction-inspector.request-context");

function current(): RequestContext | undefined {
  const storage = (globalThis as Record<symbol, AsyncLocalStorage<RequestContext> | undefined>)[CONTEXT];
  return storage?.getStore();
}

/** Records who is asking (called by proxy.ts once it has decided). */
export function annotateRequest(fields: { viewer?: string | null; client?: string | null }): void {
  const context = current();
  if (!context) return;
  if (fields.viewer) context.viewer = fields.viewer;
  if (fields.client) context.client = fields.client;
}

/**
 * Records a cache result unless the request already has one. True when this is the request's first
 * (or there is no request context), so the metric counts each request once, not each lookup.
 */
export function claimCacheResult(result: CacheResult): boolean {
  const context = current();
  if (!context) return true;
  if (context.cache) return false;
  context.cache = result;
  return true;
}

/** The id of the request being served, for the app's own log lines. */
export function currentRequestId(): string | undefined {
  return current()?.id;
}
