import { describe, expect, it } from "vitest";
import { buildDemoInteractions } from "@/lib/demo/interactions";
import { PATHOLOGICAL_MARKDOWN, PATHOLOGICAL_SIZES } from "@/test/pathological-markdown";
import { MARKDOWN_LIMIT, MAX_LINES, MAX_NESTING, markdownComplexity } from "./complexity";
import { timeBudget } from "@/test/time-budget";

const demoOutputs = buildDemoInteractions(Date.UTC(2026, 10, 26)).flatMap((interaction) => {
  const turns = (interaction.conversation as { output?: string }[] | undefined) ?? [];
  return [interaction.output, ...turns.map((turn) => turn.output)].filter((text): text is string => typeof text === "string" && text !== "");
});

describe("markdownComplexity", () => {
  it("lets ordinary model output through: every demo message", () => {
    expect(demoOutputs.length).toBeGreaterThan(20);
    for (const text of demoOutputs) expect(markdownComplexity(text), text.slice(0, 80)).toEqual({ ok: true });
  });

  it("lets a long, well-formed answer through", () => {
    const section = "## Step\n\nDo this **now**, then `that`:\n\n- one [link](https://x.example)\n- two\n  - nested\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\ndef f(x):\n    return x * 2\n```\n\n> note\n\n";
    expect(markdownComplexity(section.repeat(40))).toEqual({ ok: true });
  });

  it.each([
    ["a dash list on one line", "- ".repeat(20), "too_deep"],
    ["quotes deeper than the limit", ">".repeat(MAX_NESTING + 1), "too_deep"],
    ["nested footnote definitions", "[^a]: ".repeat(20), "too_deep"],
    ["a list item indented 40 columns", `${" ".repeat(40)}- deep`, "too_deep"],
    ["too many lines", "a\n".repeat(MAX_LINES + 1), "too_many_lines"],
    ["more than the Markdown limit", "a".repeat(MARKDOWN_LIMIT + 1), "too_long"],
    ["600 emphasis openers in a paragraph", "*a".repeat(600), "too_complex"],
    ["200 pipes on a line", "|".repeat(200), "too_complex"],
    ["a 900-row table", `|a|b|\n|-|-|\n${"|x|y|\n".repeat(900)}`, "too_complex"],
    ["20,000 html-like openers", "<a ".repeat(20_000), "too_complex"],
    ["a backtick ladder", Array.from({ length: 300 }, (_, i) => "`".repeat(i + 1)).join(" "), "too_complex"],
  ])("refuses %s", (_label, text, reason) => {
    expect(markdownComplexity(text)).toEqual({ ok: false, reason });
  });

  it("counts nesting as containers, not as indentation alone", () => {
    expect(markdownComplexity(`${" ".repeat(60)}code, not a list`).ok).toBe(true);
    expect(markdownComplexity("> > > - a\n>   - b").ok).toBe(true);
    expect(markdownComplexity("----\n***\n1.5 is a number, not a list").ok).toBe(true);
  });

  it("scans 200 KB of anything in linear time", () => {
    let total = 0;
    for (const [name, make] of Object.entries(PATHOLOGICAL_MARKDOWN)) {
      for (const size of PATHOLOGICAL_SIZES) {
        const text = make(size);
        // CPU time, not wall time: other work on a shared machine must not fail this.
        const started = process.cpuUsage();
        markdownComplexity(text);
        const used = process.cpuUsage(started);
        const elapsed = (used.user + used.system) / 1_000;
        total += elapsed;
        // Generous: one pass over 200 KB takes about a millisecond.
        expect(elapsed, `${name} at ${size}`).toBeLessThan(timeBudget(100));
      }
    }
    expect(total).toBeLessThan(timeBudget(1_000));
  });
});
