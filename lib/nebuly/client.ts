import { AppError } from "@/lib/errors";
import { backoffDelayMs, defaultRetryPolicy, parseRetryAfterMs, type RetryPolicy } from "./retry";
import {
  interactionSchema,
  listResponseSchema,
  type Interaction,
  type ListRequest,
  type ListResponse,
} from "./schemas";

export const DETAIL_PATH = "/api/external/export/interactions/detail-v2/";
export const LIST_PATH = "/api/external/get-interactions";

export interface NebulyClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  fetch?: typeof fetch;
  retryPolicy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** How an auth failure names this key to the person who runs the server, e.g. "NEBULY_API_KEY". */
  keyName?: string;
}

export interface CallOptions {
  /** Aborting it stops the call (a wait between retries included); the call then throws `upstream_cancelled`. */
  signal?: AbortSignal;
}

export interface FetchedInteraction {
  interaction: Interaction;
  /** The body exactly as Nebuly sent it, unknown fields and all. */
  rawJson: string;
}

export interface NebulyClient {
  getInteraction(id: string, options?: CallOptions): Promise<FetchedInteraction>;
  listInteractions(request: ListRequest): Promise<ListResponse>;
}

type Attempt =
  | { kind: "response"; response: Response }
  | { kind: "timeout" }
  | { kind: "cancelled" }
  | { kind: "network"; cause: unknown };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createNebulyClient(options: NebulyClientOptions): NebulyClient {
  const doFetch = options.fetch ?? fetch;
  const policy = options.retryPolicy ?? defaultRetryPolicy(options.timeoutMs);
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const keyName = options.keyName ?? "NEBULY_API_KEY";

  async function attempt(url: string, init: RequestInit, timeoutMs: number, cancel?: AbortSignal): Promise<Attempt> {
    if (cancel?.aborted) return { kind: "cancelled" };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const onCancel = () => controller.abort();
    cancel?.addEventListener("abort", onCancel, { once: true });
    try {
      const response = await doFetch(url, { ...init, signal: controller.signal });
      // Read the body under the same deadline: a server that stalls mid-body is a timeout too.
      const body = await response.arrayBuffer();
      return {
        kind: "response",
        response: new Response(body, { status: response.status, headers: response.headers }),
      };
    } catch (cause) {
      if (cancel?.aborted) return { kind: "cancelled" };
      return controller.signal.aborted ? { kind: "timeout" } : { kind: "network", cause };
    } finally {
      clearTimeout(timer);
      cancel?.removeEventListener("abort", onCancel);
    }
  }

  function cancelledError(): AppError {
    return new AppError("upstream_cancelled", "The request to Nebuly was cancelled: another project answered first.");
  }

  /** Waits between retries, cut short by a cancel. */
  async function pause(ms: number, cancel?: AbortSignal): Promise<void> {
    if (!cancel) return sleep(ms);
    await Promise.race([sleep(ms), new Promise<void>((resolve) => cancel.addEventListener("abort", () => resolve(), { once: true }))]);
  }

  /** Sends one logical request, retrying network errors, 429 and 5xx inside the policy's budget. */
  async function send(path: string, init: RequestInit, cancel?: AbortSignal): Promise<Response> {
    const url = `${options.baseUrl}${path}`;
    const headers = {
      Accept: "application/json",
      Authorization: `Bearer ${options.apiKey}`,
      ...(init.body ? { "Content-Type": "application/json" } : {}),
    };
    const deadline = now() + policy.budgetMs;

    for (let attemptIndex = 0; ; attemptIndex++) {
      const remaining = deadline - now();
      const result = await attempt(url, { ...init, headers }, Math.min(options.timeoutMs, remaining), cancel);

      if (result.kind === "cancelled") throw cancelledError();
      if (result.kind === "timeout") {
        throw new AppError(
          "upstream_timeout",
          `Nebuly did not answer within ${options.timeoutMs} ms. Try again in a moment.`,
        );
      }

      const retryable =
        result.kind === "network" ||
        result.response.status === 429 ||
        result.response.status >= 500;
      if (!retryable) return result.response;

      const retryAfterMs =
        result.kind === "response"
          ? parseRetryAfterMs(result.response.headers.get("retry-after"), now())
          : undefined;
      const waitMs = Math.max(retryAfterMs ?? 0, backoffDelayMs(attemptIndex, policy, random));
      const lastAttempt = attemptIndex + 1 >= policy.maxAttempts;
      // A wait that would overrun the budget is not worth starting: fail now and say when to come back.
      if (lastAttempt || now() + waitMs >= deadline) {
        throw retryExhaustedError(result, retryAfterMs);
      }
      await pause(waitMs, cancel);
      if (cancel?.aborted) throw cancelledError();
    }
  }

  return {
    async getInteraction(id, callOptions = {}) {
      const response = await send(`${DETAIL_PATH}${encodeURIComponent(id)}`, { method: "GET" }, callOptions.signal);
      checkStatus(response, `Interaction ${id} was not found in Nebuly.`, keyName);
      const rawJson = await response.text();
      const body = parseJson(rawJson);
      const parsed = interactionSchema.safeParse(body);
      if (!parsed.success) {
        throw new AppError("upstream_error", "Nebuly returned an interaction without a usable id.");
      }
      if (parsed.data.id.toLowerCase() !== id.toLowerCase()) {
        throw new AppError("upstream_error", "Nebuly returned a different interaction than the one asked for.");
      }
      return { interaction: parsed.data, rawJson };
    },

    async listInteractions(request) {
      const response = await send(LIST_PATH, { method: "POST", body: JSON.stringify(request) });
      checkStatus(response, "Nebuly did not find the interaction list.", keyName);
      const parsed = listResponseSchema.safeParse(parseJson(await response.text()));
      if (!parsed.success) {
        throw new AppError("upstream_error", "Nebuly returned an interaction list in an unexpected shape.");
      }
      return parsed.data;
    },
  };
}

function retryExhaustedError(
  result: Exclude<Attempt, { kind: "timeout" } | { kind: "cancelled" }>,
  retryAfterMs: number | undefined,
): AppError {
  if (result.kind === "network") {
    return new AppError("upstream_error", "Could not reach Nebuly. Check the network and NEBULY_API_URL.", {
      cause: result.cause,
    });
  }
  if (result.response.status === 429) {
    return new AppError("upstream_rate_limited", "Nebuly is rate limiting requests. Try again shortly.", {
      retryAfterSeconds: Math.max(1, Math.ceil((retryAfterMs ?? 1_000) / 1_000)),
    });
  }
  return new AppError("upstream_error", `Nebuly answered with an error (HTTP ${result.response.status}).`);
}

function checkStatus(response: Response, notFoundMessage: string, keyName: string): void {
  if (response.ok) return;
  if (response.status === 401 || response.status === 403) {
    throw new AppError(
      "upstream_auth_failed",
      `Nebuly refused the API key (HTTP ${response.status}). Check ${keyName} in the server configuration.`,
    );
  }
  if (response.status === 404) throw new AppError("not_found", notFoundMessage);
  throw new AppError("upstream_error", `Nebuly answered with an unexpected status (HTTP ${response.status}).`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("upstream_error", "Nebuly returned a response that is not valid JSON.");
  }
}
