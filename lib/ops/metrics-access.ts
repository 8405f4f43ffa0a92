import "server-only";
import { safeEqual } from "@/lib/access/tokens";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * Whether a request may read /metrics: only when METRICS_TOKEN is set, and then only with
 * `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time. Anything else is answered
 * 404, as if the route did not exist: a scraper cannot sign in, and nobody else needs to learn
 * that the endpoint is there.
 */
export function metricsAccessAllowed(authorization: string | null, token: string | undefined = env().METRICS_TOKEN): boolean {
  if (!token || !authorization) return false;
  const match = /^Bearer +(\S+) *$/i.exec(authorization);
  return match !== null && safeEqual(match[1]!, token);
}

/** The metrics endpoint's path. */
export const METRICS_PATH = "/metrics";

/** What /metrics answers without the token: the same 404 as an API address that does not exist. */
export function metricsNotFound(): AppError {
  return new AppError("not_found", "No route at this address.");
}
