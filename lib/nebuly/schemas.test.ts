import { describe, expect, it } from "vitest";
import { interactionSchema, listResponseSchema } from "./schemas";

const id = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";

describe("interactionSchema", () => {
  it("accepts emotions as a list of labels", () => {
    const parsed = interactionSchema.parse({ id, emotions: ["joy", "relief", 3] });
    expect(parsed.emotions).toEqual(["joy", "relief"]);
  });

  it("accepts emotions as label → score and drops non-numeric scores", () => {
    const parsed = interactionSchema.parse({ id, emotions: { joy: 0.7, anger: "high", fear: 0.1 } });
    expect(parsed.emotions).toEqual({ joy: 0.7, fear: 0.1 });
  });

  it("accepts verbosity as a string or as a character count", () => {
    expect(interactionSchema.parse({ id, verbosity: "412" }).verbosity).toBe("412");
    expect(interactionSchema.parse({ id, verbosity: 412 }).verbosity).toBe(412);
  });

  it("accepts a body where every field but id is missing or null", () => {
    const parsed = interactionSchema.parse({ id, sentiment: null, conversation: null, cost: null });
    expect(parsed.id).toBe(id);
    expect(parsed.sentiment).toBeNull();
    expect(parsed.conversation).toBeNull();
    expect(parsed.topic).toBeUndefined();
  });

  it("keeps unknown fields", () => {
    const parsed = interactionSchema.parse({ id, brand_new_field: { nested: [1, 2] } });
    expect(parsed.brand_new_field).toEqual({ nested: [1, 2] });
  });

  it("turns wrongly typed known fields into null instead of rejecting the interaction", () => {
    const parsed = interactionSchema.parse({ id, cost: "a lot", latency: {}, topic: ["x"], pii_removed: "maybe" });
    expect(parsed).toMatchObject({ cost: null, latency: null, topic: null, pii_removed: null });
  });

  it("reads numbers sent as strings", () => {
    const parsed = interactionSchema.parse({ id, cost: "0.0042", latency: "1.5" });
    expect(parsed.cost).toBe(0.0042);
    expect(parsed.latency).toBe(1.5);
  });

  it("keeps usable conversation turns and drops junk entries", () => {
    const parsed = interactionSchema.parse({
      id,
      conversation: [{ input: "hi", output: "hello", is_chosen: true, extra: 1 }, "garbage", null, { input: null }],
    });
    expect(parsed.conversation).toEqual([
      { input: "hi", output: "hello", is_chosen: true, extra: 1 },
      { input: null },
    ]);
  });

  it("treats a non-array conversation as absent", () => {
    expect(interactionSchema.parse({ id, conversation: "nope" }).conversation).toBeNull();
  });

  it("rejects a body that is not an object or has no id", () => {
    expect(interactionSchema.safeParse([]).success).toBe(false);
    expect(interactionSchema.safeParse("text").success).toBe(false);
    expect(interactionSchema.safeParse({ topic: "x" }).success).toBe(false);
    expect(interactionSchema.safeParse({ id: "" }).success).toBe(false);
  });
});

describe("listResponseSchema", () => {
  it("parses a list page and keeps items with missing optional fields", () => {
    const parsed = listResponseSchema.parse({
      total: 2,
      offset: 0,
      limit: 25,
      data: [{ id, input_text: "hi" }, { id: "x", end_user: null, timestamp: "2026-11-01T10:00:00Z" }],
    });
    expect(parsed.data).toHaveLength(2);
    expect(parsed.data[0].input_text).toBe("hi");
  });
});
