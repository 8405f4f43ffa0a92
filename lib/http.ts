import "server-only";
import { errorResponse, toAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";

/**
 * Wraps a route handler so every failure leaves as the one JSON error shape: known errors with
 * their code, anything unexpected as `internal_error` without a stack or internals.
 */
export function withErrorHandling<Args extends unknown[]>(
  handler: (...args: Args) => Promise<Response>,
): (...args: Args) => Promise<Response> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === "internal_error") logger().error({ err: error }, "unhandled error in route");
      return errorResponse(appError);
    }
  };
}

/**
 * The origin the browser used, for absolute links (share links, transcripts). Next reports
 * "localhost" in request.url; the Host header (or a reverse proxy's X-Forwarded-*) is what the
 * reader typed.
 */
export function requestOrigin(request: Request): string {
  const url = new URL(request.url);
  const host = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host") || url.host;
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || url.protocol.replace(/:$/, "");
  return `${proto}://${host}`;
}
