import "server-only";
import pino from "pino";
import { env } from "@/lib/env";
import { currentRequestId } from "@/lib/ops/request-context";

const holder = globalThis as typeof globalThis & { __inspectorLogger?: pino.Logger };

/**
 * Structured JSON logs on stdout. Authorization headers and anything named like a key are
 * redacted as a second line of defence; the code never logs them on purpose.
 */
export function logger(): pino.Logger {
  holder.__inspectorLogger ??= pino({
    level: env().LOG_LEVEL,
    base: { app: "interaction-inspector" },
    // A line written while serving a request carries its id, the one in its access-log line and X-Request-Id.
    mixin: () => {
      const reqId = currentRequestId();
      return reqId ? { reqId } : {};
    },
    redact: {
      paths: ["*.authorization", "*.Authorization", "*.apiKey", "*.NEBULY_API_KEY", "headers.authorization"],
      censor: "[redacted]",
    },
  });
  return holder.__inspectorLogger;
}
