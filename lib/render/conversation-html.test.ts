import { beforeAll, describe, expect, it } from "vitest";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { toInteractionView } from "@/lib/render/interaction-view";
import { PATHOLOGICAL_MARKDOWN } from "@/test/pathological-markdown";
import { useBundledWorker } from "@/test/render-worker";
import { conversationHtml, formattedTurnsHtml, FULL_TURNS_LIMIT, isFormattedOnLoad } from "./conversation-html";
import { timeBudget } from "@/test/time-budget";

const view = (body: Record<string, unknown>) =>
  toInteractionView(interactionSchema.parse({ id: "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01", ...body }));

let key = 0;
const html = (body: Record<string, unknown>, options: { shared?: boolean } = {}) => conversationHtml(view(body), `snapshot-${++key}`, options);

beforeAll(() => useBundledWorker());

describe("conversationHtml", () => {
  it("escapes hostile input text instead of emitting markup", async () => {
    const out = await html({ conversation: [{ input: '<img src=x onerror="alert(1)"></textarea><script>x</script>', output: "ok" }] });
    expect(out).not.toMatch(/<img|<script/);
    expect(out).toContain("&#x3C;img src=x onerror=");
  });

  it("marks the chosen turn and gives every turn an anchor", async () => {
    const out = await html({ conversation: [{ input: "a", output: "b" }, { input: "c", output: "d", is_chosen: true }] });
    expect(out).toContain('id="turn-1"');
    expect(out).toMatch(/<article id="turn-2"[^>]*aria-current="true"/);
    expect(out).not.toMatch(/<article id="turn-1"[^>]*aria-current/);
  });

  it("formats turns near the chosen one and leaves distant turns as plain text in long conversations", async () => {
    const turns = Array.from({ length: FULL_TURNS_LIMIT + 300 }, (_, i) => ({ input: `q${i}`, output: `**a${i + 1}**`, is_chosen: i === 399 }));
    const out = await html({ conversation: turns });
    expect(out).toContain("<strong>a400</strong>");
    expect(out).toContain('data-lite="250"');
    expect(out).toContain("**a250**");
    expect(isFormattedOnLoad(250, 500, 400)).toBe(false);
    expect(isFormattedOnLoad(5, 500, 400)).toBe(true);
    expect(isFormattedOnLoad(250, FULL_TURNS_LIMIT, 1)).toBe(true);
  });

  it("serves formatted fragments for a range of turns", async () => {
    const fragments = await formattedTurnsHtml(view({ conversation: [{ output: "*x*" }, { output: "**y**" }, { output: "z" }] }), "fragments", 2, 3);
    expect(fragments.map((fragment) => fragment.number)).toEqual([2, 3]);
    expect(fragments[0].html).toContain("<strong>y</strong>");
  });

  it("answers quickly for a conversation made of pathological Markdown, hostile turns as escaped plain text", async () => {
    const texts = Object.values(PATHOLOGICAL_MARKDOWN).map((make) => `<script>alert(1)</script>${make(49_000)}`);
    const body = { conversation: texts.map((text) => ({ input: text, output: text })) };
    for (const shared of [false, true]) {
      const started = performance.now();
      const out = await html(body, { shared });
      // The page waits at most FORMAT_WAIT_MS for formatting; the pre-scan answers most turns at once.
      expect(performance.now() - started).toBeLessThan(timeBudget(2_500));
      expect(out).not.toMatch(/<script/i);
      expect(out).toContain("Shown as plain text: this message is too complex to format.");
      expect(out.match(/<article /g)).toHaveLength(texts.length);
    }
  });

  it("says why a message is plain text", async () => {
    const out = await html({ conversation: [{ output: "- ".repeat(5_000) }, { output: "a".repeat(150_000) }] });
    expect(out).toContain("Shown as plain text: this message is too complex to format.");
    expect(out).toContain("Shown as plain text: this message is too long (150k characters) to format.");
  });
});
