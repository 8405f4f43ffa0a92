import { isStoreUnreachable } from "@/db/availability";

/**
 * The one error type the app raises on purpose. Each code has a fixed HTTP status, so a route
 * handler only ever has to turn an AppError into JSON; anything else becomes `internal_error`.
 */
export const errorStatus = {
  invalid_interaction_id: 400,
  invalid_query: 400,
  invalid_request: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  cross_site_request: 403,
  /** The viewer may see the thing but not change it (another author's note). */
  forbidden: 403,
  method_not_allowed: 405,
  length_required: 411,
  payload_too_large: 413,
  rate_limited: 429,
  not_found: 404,
  /** The request names something that already exists (a label name). */
  conflict: 409,
  interaction_forgotten: 410,
  upstream_auth_failed: 502,
  upstream_error: 502,
  upstream_timeout: 504,
  upstream_rate_limited: 503,
  /** A fan-out call abandoned because another project answered first; never reaches a client. */
  upstream_cancelled: 502,
  /** The database cannot be reached (Postgres down or restarting): clears by itself when it is back. */
  storage_unavailable: 503,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/**
 * Next bundles the proxy and each route separately, so one process can hold several copies of
 * this class while sharing one service instance: recognise AppErrors by a brand, not instanceof.
 */
const APP_ERROR_BRAND = Symbol.for("interaction-inspector.app-error");

export class AppError extends Error {
  readonly [APP_ERROR_BRAND] = true;
  readonly code: ErrorCode;
  /** Seconds the client should wait before retrying (rate limits). */
  readonly retryAfterSeconds?: number;

  constructor(
    code: ErrorCode,
    message: string,
    options: { retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return errorStatus[this.code];
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

export function isAppError(value: unknown): value is AppError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[APP_ERROR_BRAND] === true;
}

/** Turns any thrown value into an AppError without leaking internals (stack, paths, secrets). */
export function toAppError(value: unknown): AppError {
  if (isAppError(value)) return value;
  if (isStoreUnreachable(value)) {
    return new AppError("storage_unavailable", "The inspector's database cannot be reached right now. Nothing was lost; try again in a moment.", {
      retryAfterSeconds: 5,
      cause: value,
    });
  }
  return new AppError("internal_error", "Something went wrong on the server. Try again.", {
    cause: value,
  });
}

export function errorResponse(error: AppError): Response {
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (error.retryAfterSeconds !== undefined) {
    headers["Retry-After"] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
  }
  return Response.json(error.toBody(), { status: error.status, headers });
}
