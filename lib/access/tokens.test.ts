import { describe, expect, it } from "vitest";
import { randomToken, safeEqual, safeNextPath, sha256 } from "./tokens";

describe("safeEqual and tokens", () => {
  it("compares strings of any length", () => {
    expect(safeEqual("correct horse", "correct horse")).toBe(true);
    expect(safeEqual("correct horse", "correct")).toBe(false);
    expect(safeEqual("correct horse", "correct horsf")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
  });

  it("sha256 is the hex digest stored for share tokens and session ids", () => {
    expect(sha256("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("makes long, distinct, URL-safe tokens", () => {
    const tokens = new Set(Array.from({ length: 100 }, () => randomToken()));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken(18)).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });
});

describe("safeNextPath", () => {
  it.each([
    ["/interactions/x?y=1#turn-2", "/interactions/x?y=1#turn-2"],
    ["/", "/"],
    ["//evil.example/x", "/"],
    ["/\\evil.example", "/"],
    ["https://evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/\tevil", "/"],
    [null, "/"],
    ["", "/"],
    ["interactions", "/"],
    ["/x\u0000", "/"],
    ["/" + "a".repeat(1_999), "/" + "a".repeat(1_999)], // 2,000 characters: still kept
    ["/" + "a".repeat(2_000), "/"],
    ["/" + "a".repeat(2_001), "/"],
    // Not a URL at all once resolved (an unclosed IPv6 host): nowhere to go but home.
    ["//[", "/"],
    ["//exa mple.com", "/"],
  ])("%s → %s", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  // Each of these normalises (dot segments, backslashes, encoded dots) into "//host": a browser
  // would follow it to another site. Checking before normalising let them all through.
  it.each([
    "/.//evil.example",
    "/..//evil.example",
    "/%2e//evil.example",
    "/%2E%2E//evil.example",
    "/./\\evil.example",
    "/a/../..//evil.example",
    "/a/..//evil.example",
    "/.\\/evil.example",
    "/\\/evil.example",
    "/././/evil.example/path?q=1",
  ])("%s never leaves the site", (input) => {
    const result = safeNextPath(input);
    expect(result.startsWith("/")).toBe(true);
    expect(result.startsWith("//")).toBe(false);
    expect(result.startsWith("/\\")).toBe(false);
    expect(new URL(result, "https://inspector.example").origin).toBe("https://inspector.example");
  });
});
