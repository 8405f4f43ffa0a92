import { describe, expect, it } from "vitest";
import { cleanDisplayName } from "./service";
import { knownAuthor } from "./index";

describe("who a note's author is", () => {
  it("verifies only the SSO name: a password session naming itself after an SSO user is another (unverified) author", () => {
    // Attack: with a password and an SSO header both configured, anyone holding the password gave
    // an SSO user's name at sign-in and then edited, deleted and wrote that user's verified notes.
    const sso = knownAuthor({ name: "alice@corp", via: "trusted-header" });
    const impostor = knownAuthor({ name: "password", via: "session", displayName: "alice@corp" });
    expect(sso).toEqual({ name: "alice@corp", verified: true });
    expect(impostor).toEqual({ name: "alice@corp", verified: false });
    expect(knownAuthor({ name: "anyone", via: "open" }, "alice@corp")).toEqual({ name: "alice@corp", verified: false });
  });

  it("refuses names that read as someone else's: bidirectional controls and invisible characters", () => {
    for (const name of ["\u202Eproc@ecila\u202C", "ali\u200Bce", "\u2066alice\u2069", "alice\u200E", "ali\u00ADce"]) {
      expect(() => cleanDisplayName(name, "authorName"), JSON.stringify(name)).toThrow(/authorName: a name cannot hold invisible or direction-changing characters/);
    }
    expect(cleanDisplayName("  Zoë   O'Brien-李 ", "authorName")).toBe("Zoë O'Brien-李");
  });
});
