import { describe, expect, it } from "vitest";
import { expiryChoiceOf, statusOf, tokenStateOf } from "./link-state";

const NOW = Date.parse("2026-11-20T10:00:00Z");
const at = (offsetMs: number) => new Date(NOW + offsetMs);

describe("statusOf and tokenStateOf", () => {
  it("an unexpired, unrevoked link is active and opens", () => {
    for (const expiresAt of [null, at(1)]) {
      expect(statusOf({ revokedAt: null, expiresAt }, NOW)).toBe("active");
      expect(tokenStateOf({ revokedAt: null, expiresAt }, NOW)).toBe("open");
    }
  });

  it("expired at the exact expiry time", () => {
    expect(statusOf({ revokedAt: null, expiresAt: at(0) }, NOW)).toBe("expired");
    expect(statusOf({ revokedAt: null, expiresAt: at(-1) }, NOW)).toBe("expired");
  });

  it("revoked wins over expired, and both are one closed state to a reader", () => {
    expect(statusOf({ revokedAt: at(-5), expiresAt: at(-1) }, NOW)).toBe("revoked");
    expect(tokenStateOf({ revokedAt: at(-5), expiresAt: null }, NOW)).toBe("closed");
    expect(tokenStateOf({ revokedAt: null, expiresAt: at(-1) }, NOW)).toBe("closed");
  });

  it("no link is unknown", () => {
    expect(tokenStateOf(undefined, NOW)).toBe("unknown");
  });
});

describe("expiryChoiceOf", () => {
  it("recovers each choice from creation and expiry times", () => {
    expect(expiryChoiceOf({ createdAt: at(0), expiresAt: at(3_600_000) })).toBe("1h");
    expect(expiryChoiceOf({ createdAt: at(0), expiresAt: at(86_400_000) })).toBe("1d");
    expect(expiryChoiceOf({ createdAt: at(0), expiresAt: at(7 * 86_400_000) })).toBe("7d");
    expect(expiryChoiceOf({ createdAt: at(0), expiresAt: at(30 * 86_400_000) })).toBe("30d");
    expect(expiryChoiceOf({ createdAt: at(0), expiresAt: null })).toBe("never");
  });

  it("is null for a lifetime that is none of the choices", () => {
    expect(expiryChoiceOf({ createdAt: at(0), expiresAt: at(3_600_001) })).toBeNull();
    expect(expiryChoiceOf({ createdAt: at(0), expiresAt: at(-1_000) })).toBeNull();
  });
});
