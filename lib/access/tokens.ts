import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

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

export interface SessionClaims {
  /** Who signed in: "password" for the shared password. */
  sub: string;
  /** Expiry, epoch seconds. */
  exp: number;
}

function signature(payload: string, secret: string): string {
  return createHmac("sha256", secret).update(payload).digest("base64url");
}

/** A signed session cookie value: base64url(JSON claims) "." HMAC-SHA256. */
export function signSession(claims: SessionClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${payload}.${signature(payload, secret)}`;
}

/** The claims of a cookie value, or null when it is malformed, tampered with or expired. */
export function verifySession(value: string | undefined, secret: string, nowMs: number = Date.now()): SessionClaims | null {
  if (!value || value.length > 2_000) return null;
  const [payload, mac, extra] = value.split(".");
  if (!payload || !mac || extra !== undefined) return null;
  if (!safeEqual(mac, signature(payload, secret))) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Partial<SessionClaims>;
    if (typeof claims.sub !== "string" || typeof claims.exp !== "number" || claims.exp * 1_000 <= nowMs) return null;
    return { sub: claims.sub, exp: claims.exp };
  } catch {
    return null;
  }
}

/** `next` after login: a path on this site only, never another origin. */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || value.length > 2_000) return "/";
  // "//host" and "/\host" are protocol-relative URLs to other sites in browsers.
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\") || /[\u0000-\u001f]/.test(value)) return "/";
  try {
    const url = new URL(value, "http://inspector.invalid");
    return url.origin === "http://inspector.invalid" ? `${url.pathname}${url.search}${url.hash}` : "/";
  } catch {
    return "/";
  }
}
