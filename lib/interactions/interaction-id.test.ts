import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parseInteractionId } from "./interaction-id";

// The id check guards every route and the Nebuly call: anything it lets through reaches Nebuly's
// URL path and the cache key, anything it refuses is a 404/400 for a reader with a real link.
const ID = "6d1c0f7e-3b2a-4c5d-8e9f-0a1b2c3d4e5f";

/** The error parseInteractionId throws for `value`; fails the test when it accepts it. */
function refusal(value: unknown): AppError {
  try {
    parseInteractionId(value);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error(`parseInteractionId accepted ${JSON.stringify(value)}`);
}

describe("parseInteractionId", () => {
  it("accepts a lower-case UUID as it is", () => {
    expect(parseInteractionId(ID)).toBe(ID);
  });

  it("normalises upper and mixed case to lower case, so one interaction has one address and one cache row", () => {
    expect(parseInteractionId(ID.toUpperCase())).toBe(ID);
    expect(parseInteractionId("6D1c0F7e-3B2a-4C5d-8E9f-0A1b2C3d4E5f")).toBe(ID);
  });

  it("accepts any hex digit in any group (not only a version-4 UUID)", () => {
    expect(parseInteractionId("00000000-0000-0000-0000-000000000000")).toBe("00000000-0000-0000-0000-000000000000");
    expect(parseInteractionId("ffffffff-ffff-ffff-ffff-ffffffffffff")).toBe("ffffffff-ffff-ffff-ffff-ffffffffffff");
  });

  it("refuses with invalid_interaction_id and a message showing what an id looks like", () => {
    const error = refusal("abc");
    expect(error.code).toBe("invalid_interaction_id");
    expect(error.message).toMatch(/UUID/);
  });

  // Each group has an exact length: one digit more or less is another string, not this id.
  const groups = ID.split("-");
  for (const [index, group] of groups.entries()) {
    it(`refuses group ${index + 1} (${group.length} digits) one digit longer or shorter`, () => {
      const longer = groups.map((g, i) => (i === index ? `${g}a` : g)).join("-");
      const shorter = groups.map((g, i) => (i === index ? g.slice(1) : g)).join("-");
      expect(refusal(longer).code).toBe("invalid_interaction_id");
      expect(refusal(shorter).code).toBe("invalid_interaction_id");
    });
  }

  it("refuses a 13-digit last group and anything appended or prepended (the pattern is anchored)", () => {
    for (const value of [`${ID}0`, `${ID}x`, `x${ID}`, `${ID}/transcript`, `${ID}-0000`, `../${ID}`]) {
      expect(refusal(value).code, value).toBe("invalid_interaction_id");
    }
  });

  // No trimming: " <uuid>" or "<uuid>\n" in an address is not an id (the open box trims what people paste).
  it.each([` ${ID}`, `${ID} `, `${ID}\n`, `\t${ID}`, `${ID}\u00a0`, `\u200b${ID}`])("refuses surrounding whitespace: %j", (value) => {
    expect(refusal(value).code).toBe("invalid_interaction_id");
  });

  it.each([
    "6d1c0f7e3b2a4c5d8e9f0a1b2c3d4e5f", // no hyphens
    "6d1c0f7e_3b2a_4c5d_8e9f_0a1b2c3d4e5f",
    "6d1c0f7g-3b2a-4c5d-8e9f-0a1b2c3d4e5f", // g is not hex
    "{6d1c0f7e-3b2a-4c5d-8e9f-0a1b2c3d4e5f}",
    "urn:uuid:6d1c0f7e-3b2a-4c5d-8e9f-0a1b2c3d4e5f",
    "６d1c0f7e-3b2a-4c5d-8e9f-0a1b2c3d4e5f", // a full-width digit
    "\u202e6d1c0f7e-3b2a-4c5d-8e9f-0a1b2c3d4e5f", // right-to-left override
    "",
  ])("refuses look-alikes: %j", (value) => {
    expect(refusal(value).code).toBe("invalid_interaction_id");
  });

  it.each([undefined, null, 42, {}, [ID], { id: ID }])("refuses a value that is not a string: %j", (value) => {
    expect(refusal(value).code).toBe("invalid_interaction_id");
  });
});
