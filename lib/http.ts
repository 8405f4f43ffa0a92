import "server-only";
import { identify } from "@/lib/access";
import { env } from "@/lib/env";
import { AppError, errorResponse, toAppError } from "@/lib/errors";
import { loggableError } from "@/db/availability";
import { logStoreLoss } from "@/lib/ops/store-availability";
import { logger } from "@/lib/logger";

/** The largest request body any route accepts (JSON or form); larger ones get 413 unread. */
export const BODY_LIMIT_BYTES = 16 * 1024;

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
      if (appError.code === "internal_error") logger().error({ err: loggableError(error) }, "unhandled error in route");
      if (appError.code === "storage_unavailable") logStoreLoss(error);
      return errorResponse(appError);
    }
  };
}

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;
/** Where server.mjs records the port it bound (see there). */
const LISTENING_PORT = Symbol.for("interaction-inspector.listening-port");

/**
 * The port this process listens on. server.mjs binds before Next starts and records the real
 * port, which differs from PORT when `-p` names another or `-p 0` lets the OS choose; started
 * some other way, PORT is the best guess.
 */
function listeningPort(): number {
  const bound = (globalThis as Record<symbol, unknown>)[LISTENING_PORT];
  return typeof bound === "number" ? bound : env().PORT;
}

/**
 * The origin readers use, for absolute links (share links, transcripts): PUBLIC_URL when set;
 * otherwise the scheme and host the client asked for, where X-Forwarded-Proto/-Host count only
 * from a trusted proxy (TRUST_PROXY), so a forged header cannot put another site in a link.
 * A request with no usable host (HTTP/1.0, or a malformed Host) gets this machine's address.
 */
export function publicOrigin(headers: Headers): string {
  const configured = env().PUBLIC_URL;
  if (configured) return configured;
  const identity = identify(headers);
  const host = identity.host && HOST.test(identity.host) ? identity.host : `localhost:${listeningPort()}`;
  return `${identity.proto}://${host}`;
}

/** Whether the client reached us over https (PUBLIC_URL's scheme, or a trusted proxy's word). */
export function isHttps(headers: Headers): boolean {
  const configured = env().PUBLIC_URL;
  if (configured) return configured.startsWith("https:");
  return identify(headers).proto === "https";
}

/**
 * The body as text, refusing (413) to read more than BODY_LIMIT_BYTES whatever Content-Length
 * claims, so a large or endless body costs neither memory nor parse time.
 */
export async function readBodyText(request: Request, limit = BODY_LIMIT_BYTES): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The body parsed as JSON (bounded as readBodyText); null when it is not JSON. */
export async function readJsonBody(request: Request): Promise<unknown> {
  return parseJson(await readBodyText(request));
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function tooLarge(limit: number): AppError {
  return new AppError("payload_too_large", `Request bodies are limited to ${Math.round(limit / 1024)} KB.`);
}
