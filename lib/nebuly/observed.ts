import { toAppError } from "@/lib/errors";
import type { NebulyClient } from "./client";

/**
 * Observation seams around the Nebuly client, for the metrics: a decorator of the client (one
 * event per logical call, retries included) and one of the fetch it is given (one event per HTTP
 * attempt). Both report fixed words only, never a URL, a header or a body, so the key cannot reach
 * an observer.
 */

export type NebulyOperation = "detail" | "list";
export type NebulyCallOutcome = "ok" | "not_found" | "auth_failed" | "rate_limited" | "timeout" | "cancelled" | "error";
export type NebulyAttemptResult = "2xx" | "4xx" | "429" | "5xx" | "timeout" | "network";

export interface NebulyCallEvent {
  operation: NebulyOperation;
  outcome: NebulyCallOutcome;
  durationMs: number;
}

function outcomeOf(error: unknown): NebulyCallOutcome {
  switch (toAppError(error).code) {
    case "not_found":
      return "not_found";
    case "upstream_auth_failed":
      return "auth_failed";
    case "upstream_rate_limited":
      return "rate_limited";
    case "upstream_timeout":
      return "timeout";
    case "upstream_cancelled":
      return "cancelled";
    default:
      return "error";
  }
}

export function observeNebulyClient(client: NebulyClient, onCall: (event: NebulyCallEvent) => void, now: () => number = performance.now.bind(performance)): NebulyClient {
  async function timed<T>(operation: NebulyOperation, call: () => Promise<T>): Promise<T> {
    const started = now();
    try {
      const result = await call();
      onCall({ operation, outcome: "ok", durationMs: now() - started });
      return result;
    } catch (error) {
      onCall({ operation, outcome: outcomeOf(error), durationMs: now() - started });
      throw error;
    }
  }
  return {
    getInteraction: (id, options) => timed("detail", () => client.getInteraction(id, options)),
    listInteractions: (request) => timed("list", () => client.listInteractions(request)),
  };
}

function resultOf(status: number): NebulyAttemptResult {
  if (status === 429) return "429";
  if (status >= 500) return "5xx";
  if (status >= 400) return "4xx";
  return "2xx";
}

export function observeFetch(doFetch: typeof fetch, onAttempt: (result: NebulyAttemptResult) => void): typeof fetch {
  return async (input, init) => {
    try {
      const response = await doFetch(input, init);
      onAttempt(resultOf(response.status));
      return response;
    } catch (error) {
      onAttempt(init?.signal?.aborted ? "timeout" : "network");
      throw error;
    }
  };
}
