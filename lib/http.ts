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
