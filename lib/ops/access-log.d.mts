// Types of access-log.mjs (plain JavaScript, since server.mjs imports it without a bundler).
import type { IncomingMessage, ServerResponse } from "node:http";

export interface AccessLogContext {
  id: string;
  viewer?: string;
  client?: string;
  cache?: "HIT" | "MISS" | "STALE";
}

export interface AccessLogEntry {
  reqId: string;
  method: string;
  route: string;
  status: number;
  durationMs: number;
  aborted?: true;
  cache?: "HIT" | "MISS" | "STALE";
  client?: string;
  viewer?: string;
  shareLink?: string;
}

export function routePattern(url: string | undefined): string;
export function methodLabel(method: string | undefined): string;
export function accessLogEntry(input: {
  context: AccessLogContext;
  method: string | undefined;
  url: string | undefined;
  status: number;
  durationMs: number;
  completed: boolean;
}): AccessLogEntry;
export function observeRequest<T>(request: IncomingMessage, response: ServerResponse, handle: () => T): T;
