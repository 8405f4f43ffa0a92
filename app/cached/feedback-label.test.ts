import { describe, expect, it } from "vitest";
import { feedbackLabel } from "./feedback-label";

describe("feedbackLabel", () => {
  it.each([
    ["explicit_negative", "Explicit negative"],
    ["explicit_positive", "Explicit positive"],
    ["implicit_negative", "Implicit negative"],
    ["IMPLICIT_POSITIVE", "Implicit positive"],
    ["explicit", "Explicit"],
    ["negative", "Negative"],
    ["thumbs_down_given", "Thumbs down given"],
    ["<b>odd</b>", "<b>odd</b>"],
  ])("says %j as %j", (raw, words) => {
    expect(feedbackLabel(raw)).toBe(words);
  });
});
