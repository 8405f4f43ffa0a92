import { describe, expect, it } from "vitest";
import type { Interaction } from "@/lib/nebuly/schemas";
import { redactInteraction } from "./redaction";

/**
 * The hidden share's field rules, one by one, on values in the shapes Nebuly may send (the schema
 * lets unknown shapes through, so each rule must hold for any value): what a reader of a hidden
 * link sees of each field.
 */
const ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";
const redact = (fields: Record<string, unknown>) => redactInteraction({ id: ID, ...fields } as unknown as Interaction);

describe("redactInteraction, field by field", () => {
  it("shows a label trimmed, and drops one that is not a label", () => {
    expect(redact({ topic: "  Billing & refunds  " }).topic).toBe("Billing & refunds");
    expect(redact({ topic: "see https://intranet.example" }).topic).toBeNull();
    expect(redact({ topic: 42 }).topic).toBeNull();
  });

  it("splits a label list written as text at commas and semicolons, with or without spaces", () => {
    expect(redact({ feedback_actions: "thumbs_up,copy ; regenerate;share" }).feedback_actions).toEqual(["thumbs_up", "copy", "regenerate", "share"]);
    expect(redact({ actions: ["open_ticket", { name: "escalate", detail: "ana@example.com" }, "mail:ana"] }).actions).toEqual(["open_ticket", "escalate"]);
    // Neither a list nor text: nothing to show.
    expect(redact({ feedback_actions: 42 }).feedback_actions).toBeNull();
    expect(redact({ actions: { name: "escalate" } }).actions).toBeNull();
  });

  it("shows the conversation and the warning only as text", () => {
    const shown = redact({ user_query: { html: "<b>x</b>" }, input: 7, output: "fine", warning_message: ["a"], conversation: [{ input: "hi", output: { raw: 1 }, timestamp: 5, is_chosen: "yes" }] });
    expect(shown).toMatchObject({ user_query: null, input: null, output: "fine", warning_message: null });
    expect(shown.conversation).toEqual([{ input: "hi", output: null, timestamp: null, is_chosen: false }]);
    expect(redact({ conversation: [{ input: "a", output: "b", timestamp: "2026-11-29T10:00:00Z", is_chosen: true }] }).conversation![0].is_chosen).toBe(true);
  });

  it("shows latency and cost only as finite numbers", () => {
    for (const value of ["12", Number.NaN, Number.POSITIVE_INFINITY, null, { ms: 3 }]) {
      expect(redact({ latency: value, cost: value }), String(value)).toMatchObject({ latency: null, cost: null });
    }
    expect(redact({ latency: 1_250, cost: 0.002 })).toMatchObject({ latency: 1_250, cost: 0.002 });
  });

  it("reads a length or rating written as a plain number in text, and nothing else", () => {
    expect(redact({ verbosity: " 12.5 ", feedback_action_rating: "4" })).toMatchObject({ verbosity: 12.5, feedback_action_rating: 4 });
    expect(redact({ verbosity: 7, feedback_action_rating: 3 })).toMatchObject({ verbosity: 7, feedback_action_rating: 3 });
    for (const value of ["12 words", "abc", "-1", "1e3", "", true]) {
      expect(redact({ verbosity: value }).verbosity, String(value)).toBeNull();
    }
  });

  it("shows emotions as labels, or as named scores, leaving out anything else", () => {
    expect(redact({ emotions: ["joy", "ana@example.com", 3] }).emotions).toEqual(["joy"]);
    expect(redact({ emotions: { joy: 0.8, "ana@example.com": 0.5, anger: "high", calm: Number.NaN } }).emotions).toEqual({ joy: 0.8 });
    expect(redact({ emotions: { "ana@example.com": 0.5 } }).emotions).toBeNull();
    expect(redact({ emotions: null }).emotions).toBeNull();
  });

  it("shows risky behaviour as a flag or as labels", () => {
    expect(redact({ risky_behavior: true }).risky_behavior).toBe(true);
    expect(redact({ risky_behavior: "jailbreak; contact ana@example.com" }).risky_behavior).toEqual(["jailbreak"]);
    expect(redact({ risky_behavior: false }).risky_behavior).toBeNull();
    expect(redact({ risky_behavior: "true" }).risky_behavior).toEqual(["true"]);
  });

  it("says PII was removed only when Nebuly says exactly that", () => {
    expect(redact({ pii_removed: true }).pii_removed).toBe(true);
    for (const value of [false, "yes", 1, null, undefined]) expect(redact({ pii_removed: value }).pii_removed, String(value)).toBe(false);
  });
});
