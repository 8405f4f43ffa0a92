import { createHmac } from "node:crypto";
import { safeEqual } from "./tokens";

/**
 * Random ids handed to a browser as `{id}.{HMAC(purpose:id)}` (session and device cookies): the
 * signature rejects forged, tampered or truncated values without a database read. The purpose
 * is part of what is signed, so an id signed for one cookie is worthless as the other.
 */

/** Longer values are refused unread: no real signed id comes near this. */
const MAX_SIGNED_ID_CHARS = 200;

export type SignedIdPurpose = "session" | "device";

function signatureOf(purpose: SignedIdPurpose, id: string, secret: string): string {
  return createHmac("sha256", secret).update(`${purpose}:${id}`).digest("base64url");
}

export function signId(purpose: SignedIdPurpose, id: string, secret: string): string {
  return `${id}.${signatureOf(purpose, id, secret)}`;
}

/** The id a value carries when it was signed by `signId` with this purpose and secret; otherwise null. */
export function verifySignedId(purpose: SignedIdPurpose, value: string | undefined, secret: string): string | null {
  if (!value || value.length > MAX_SIGNED_ID_CHARS) return null;
  const [id, signature, extra] = value.split(".");
  if (!id || !signature || extra !== undefined) return null;
  // Constant time: a guesser learns nothing from how long a wrong signature took to refuse.
  return safeEqual(signature, signatureOf(purpose, id, secret)) ? id : null;
}
