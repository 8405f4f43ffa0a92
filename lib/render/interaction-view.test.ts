import { describe, expect, it } from "vitest";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { feedbackTypeOf, ratingOf, sourcesOf, tagsOf, toInteractionView } from "./interaction-view";

const ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";
const view = (body: Record<string, unknown>) => toInteractionView(interactionSchema.parse({ id: ID, ...body }));

describe("toInteractionView", () => {
  it("uses the top-level input and output as one turn when there is no conversation", () => {
    const result = view({ input: "hi", output: "hello" });
    expect(result.turns).toEqual([{ number: 1, input: "hi", output: "hello", timestamp: null, chosen: true }]);
    expect(result.title).toBe("hi");
  });

  it("prefers the user query as the title and falls back to the id", () => {
    expect(view({ user_query: "  why?  ", input: "x" }).title).toBe("why?");
    expect(view({}).title).toBe(`Interaction ${ID}`);
  });

  it("derives titles and lists from hostile text in linear time", () => {
    const spaces = " ".repeat(200_000);
    // CPU time, not wall time, so other work on a shared machine cannot fail this.
    const started = process.cpuUsage();
    const result = view({ user_query: `${spaces}x${spaces}y`, risky_behavior: `${spaces}a${spaces};${spaces}b`, actions: spaces });
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1_000).toBeLessThan(200);
    expect(result.title).toBe("x…");
    expect(result.riskyBehavior).toEqual(["a", "b"]);
    expect(result.actions).toEqual([]);
  });

  it("says there is no feedback when there is none", () => {
    expect(view({ feedback_actions: [], feedback_action_text: "" }).feedback.isEmpty).toBe(true);
  });

  it("reads feedback actions given as objects", () => {
    expect(view({ feedback_actions: [{ action: "thumbs_up" }, "copy"] }).feedback.actions).toEqual(["thumbs_up", "copy"]);
  });

  it("treats risky_behavior given as a boolean, a string or a list", () => {
    expect(view({ risky_behavior: true }).riskyBehavior).toEqual(["flagged"]);
    expect(view({ risky_behavior: "jailbreak, pii" }).riskyBehavior).toEqual(["jailbreak", "pii"]);
    expect(view({ risky_behavior: null }).riskyBehavior).toEqual([]);
  });

  it("sorts emotion scores and accepts percentages", () => {
    expect(view({ emotions: { joy: 20, anger: 0.9 } }).emotions).toEqual({
      kind: "scores",
      scores: [
        { label: "anger", score: 0.9 },
        { label: "joy", score: 0.2 },
      ],
    });
  });
});

describe("helpers", () => {
  it("explains feedback types in words", () => {
    expect(feedbackTypeOf("implicit_negative")).toMatchObject({ explicitness: "implicit", polarity: "negative" });
    expect(feedbackTypeOf("explicit_positive")?.description).toMatch(/rated the answer on purpose/);
    expect(feedbackTypeOf("weird")?.description).toBe("Feedback type “weird”.");
  });

  it("infers a rating's scale", () => {
    expect(ratingOf(1)).toEqual({ value: 1, scale: 1 });
    expect(ratingOf(4)).toEqual({ value: 4, scale: 5 });
    expect(ratingOf("8")).toEqual({ value: 8, scale: 10 });
    expect(ratingOf("n/a")).toBeNull();
  });

  it("reads tags as an object, a list of pairs or key:value strings", () => {
    expect(tagsOf({ plan: "pro" })).toEqual([{ key: "plan", value: "pro" }]);
    expect(tagsOf([{ key: "a", value: 1 }, "b:2"])).toEqual([
      { key: "a", value: "1" },
      { key: "b", value: "2" },
    ]);
  });

  it("merges rags and rags_details without listing a source twice", () => {
    const sources = sourcesOf(["https://a.example", "kb://b"], [{ source: "https://a.example", title: "A" }]);
    expect(sources.map((source) => [source.title, source.url])).toEqual([
      ["A", "https://a.example"],
      ["kb://b", null],
    ]);
  });
});
