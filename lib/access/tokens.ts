import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** Random, URL-safe, 256 bits: share-link tokens and generated secrets. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Compares secrets in constant time, whatever their lengths (both sides are hashed first). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

const SAME_ORIGIN = "http://inspector.invalid";

/**
 * `next` after login: a path on this site only, never another origin. The check runs on the
 * normalised result, because normalising is what turns "/.//evil.example" or "/a/../..//x" into
 * the protocol-relative "//evil.example" a browser would follow to another site.
 */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || value.length > 2_000 || !value.startsWith("/") || /[\u0000-\u001f\u007f]/.test(value)) return "/";
  try {
    const url = new URL(value, SAME_ORIGIN);
    if (url.origin !== SAME_ORIGIN) return "/";
    const path = `${url.pathname}${url.search}${url.hash}`;
    // "//host" and "/\\host" are protocol-relative URLs to other sites in browsers.
    if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return "/";
    return new URL(path, SAME_ORIGIN).origin === SAME_ORIGIN ? path : "/";
  } catch {
    return "/";
  }
}
