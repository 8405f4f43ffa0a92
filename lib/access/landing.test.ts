import { describe, expect, it } from "vitest";
import { signedInDestination, withFragment } from "./landing";

describe("signedInDestination", () => {
  it.each([
    ["/interactions/x?y=1", "/interactions/x?y=1"],
    ["/", "/"],
    ["/login", "/"],
    ["/login/", "/"],
    ["/login?next=/login", "/"],
    ["/login#turn-1", "/"],
    ["/loginx", "/loginx"],
    ["/shared", "/shared"],
  ])("%s → %s", (next, expected) => {
    expect(signedInDestination(next)).toBe(expected);
  });
});

describe("withFragment", () => {
  it("adds the login page's fragment to a next without one", () => {
    expect(withFragment("/interactions/x", "#turn-3")).toBe("/interactions/x#turn-3");
    expect(withFragment("/interactions/x?y=1", "#turn-3")).toBe("/interactions/x?y=1#turn-3");
  });

  it("keeps next's own fragment, and adds nothing for an empty one", () => {
    expect(withFragment("/interactions/x#turn-2", "#turn-3")).toBe("/interactions/x#turn-2");
    expect(withFragment("/interactions/x", "")).toBe("/interactions/x");
    expect(withFragment("/interactions/x", "#")).toBe("/interactions/x");
  });
});
