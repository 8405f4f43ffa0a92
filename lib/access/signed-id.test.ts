import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { signId, verifySignedId } from "./signed-id";
import * as tokens from "./tokens";

vi.mock("./tokens", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./tokens")>();
  return { ...actual, safeEqual: vi.fn(actual.safeEqual) };
});

const SECRET = "s".repeat(48);
const ID = "Zk3v9Qx_1-aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456";

describe("signed ids (session and device cookies)", () => {
  afterEach(() => vi.mocked(tokens.safeEqual).mockClear());

  it("gives back the id of a value it signed, for the same purpose and secret", () => {
    const signed = signId("session", ID, SECRET);
    expect(signed).toMatch(new RegExp(`^${ID}\\.[A-Za-z0-9_-]{43}$`));
    expect(verifySignedId("session", signed, SECRET)).toBe(ID);
    expect(verifySignedId("device", signId("device", ID, SECRET), SECRET)).toBe(ID);
  });

  it("signs `purpose:id` with HMAC-SHA256, so cookies issued before this module existed still count", () => {
    const expected = (purpose: string) => createHmac("sha256", SECRET).update(`${purpose}:${ID}`).digest("base64url");
    expect(signId("session", ID, SECRET)).toBe(`${ID}.${expected("session")}`);
    expect(signId("device", ID, SECRET)).toBe(`${ID}.${expected("device")}`);
  });

  it("refuses an id signed for the other cookie, or with another secret", () => {
    expect(verifySignedId("device", signId("session", ID, SECRET), SECRET)).toBeNull();
    expect(verifySignedId("session", signId("device", ID, SECRET), SECRET)).toBeNull();
    expect(verifySignedId("session", signId("session", ID, "t".repeat(48)), SECRET)).toBeNull();
  });

  it("refuses tampered, truncated, swapped and oversized values", () => {
    const signed = signId("session", ID, SECRET);
    const [id, signature] = signed.split(".");
    const other = signId("session", "another-id", SECRET);
    for (const forged of [
      `${id}.${signature.slice(0, -1)}`,
      `${id}.${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`,
      `x${signed}`,
      `${other.split(".")[0]}.${signature}`,
      `${signed}.x`,
      id,
      `${id}.`,
      `.${signature}`,
      "",
      undefined,
    ]) {
      expect(verifySignedId("session", forged, SECRET), String(forged)).toBeNull();
    }
  });

  it("reads values up to 200 characters and refuses longer ones unread", () => {
    const longest = signId("session", "i".repeat(200 - 44), SECRET);
    expect(longest).toHaveLength(200);
    expect(verifySignedId("session", longest, SECRET)).toBe("i".repeat(156));
    const tooLong = signId("session", "i".repeat(157), SECRET);
    vi.mocked(tokens.safeEqual).mockClear();
    expect(verifySignedId("session", tooLong, SECRET)).toBeNull();
    expect(tokens.safeEqual).not.toHaveBeenCalled();
  });

  it("compares signatures in constant time", () => {
    verifySignedId("session", signId("session", ID, SECRET), SECRET);
    verifySignedId("session", `${ID}.wrong`, SECRET);
    expect(tokens.safeEqual).toHaveBeenCalledTimes(2);
  });
});
