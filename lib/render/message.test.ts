import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ElementContent } from "hast";
import { toHtml } from "hast-util-to-html";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledWorkerEntry } from "@/test/render-worker";
import { PATHOLOGICAL_MARKDOWN, PATHOLOGICAL_SIZES } from "@/test/pathological-markdown";
import { createMessageRenderer, messageKey, PREVIEW_CHARS, snapshotKey, splitPoint, type MessageRenderer } from "./message";
import { createRenderPool, type RenderPool } from "./render-pool";
import { timeBudget } from "@/test/time-budget";

describe("splitPoint", () => {
  it("does not split short messages", () => {
    expect(splitPoint("short")).toBeNull();
  });

  it("splits at a blank line after the preview length", () => {
    const text = `${"a".repeat(PREVIEW_CHARS + 10)}\n\n${"b".repeat(PREVIEW_CHARS * 2)}`;
    expect(text.slice(0, splitPoint(text)!)).toBe("a".repeat(PREVIEW_CHARS + 10) + "\n");
  });

  it("never splits inside a fenced code block", () => {
    const code = Array.from({ length: 400 }, (_, i) => `line ${i}`).join("\n");
    const text = `intro\n\n\`\`\`\n${code}\n\n${code}\n\`\`\`\n\nafter\n\n${"tail ".repeat(200)}`;
    const at = splitPoint(text)!;
    const head = text.slice(0, at);
    expect((head.match(/```/g) ?? []).length % 2).toBe(0);
  });
});

const htmlOf = (nodes: ElementContent[] | null) => (nodes ? toHtml(nodes) : "");
const textOf = (nodes: ElementContent[] | null) => (nodes ?? []).map((node) => (node.type === "text" ? node.value : "")).join("");

/** A pool that counts the jobs it is given. */
function countingPool(pool: RenderPool): RenderPool & { jobs: number } {
  const counted = {
    jobs: 0,
    render(parts: string[]) {
      counted.jobs += 1;
      return pool.render(parts);
    },
    close: () => pool.close(),
  };
  return counted;
}

describe("renderMessage", () => {
  let pool: ReturnType<typeof countingPool>;
  let renderer: MessageRenderer;
  const events: { outcome: string }[] = [];
  let key = 0;
  const nextKey = () => messageKey(snapshotKey("test", new Date(0)), ++key, "output");

  beforeAll(() => {
    pool = countingPool(createRenderPool({ timeoutMs: 10_000, maxQueue: 100, entry: bundledWorkerEntry() }));
    renderer = createMessageRenderer({ pool, report: (event) => events.push(event) });
  });

  afterAll(() => renderer.close());

  it("formats Markdown on the worker", async () => {
    const rendered = await renderer.render("**bold** and `code`", nextKey());
    expect(rendered.format).toBe("markdown");
    expect(htmlOf(rendered.preview)).toBe("<p><strong>bold</strong> and <code>code</code></p>");
  });

  it("renders a megabyte as plain text with a preview, without the worker", async () => {
    const text = "word ".repeat(210_000);
    const jobs = pool.jobs;
    const rendered = await renderer.render(text, nextKey());
    expect(rendered).toMatchObject({ format: "plain", reason: "too_long" });
    expect(textOf(rendered.preview) + textOf(rendered.rest)).toBe(text);
    expect(pool.jobs).toBe(jobs);
  });

  it("remembers every outcome per snapshot and message, failures included", async () => {
    const formattedKey = nextKey();
    const refusedKey = nextKey();
    await renderer.render("# Title", formattedKey);
    await renderer.render("- ".repeat(4_000), refusedKey);
    const jobs = pool.jobs;
    expect((await renderer.render("# Title", formattedKey)).format).toBe("markdown");
    expect(await renderer.render("- ".repeat(4_000), refusedKey)).toMatchObject({ format: "plain", reason: "too_deep" });
    expect(pool.jobs).toBe(jobs);
  });

  it("asks the worker once for concurrent views of the same message", async () => {
    const shared = nextKey();
    const jobs = pool.jobs;
    const results = await Promise.all([1, 2, 3].map(() => renderer.render("*once*", shared)));
    expect(pool.jobs).toBe(jobs + 1);
    expect(results.every((result) => result.format === "markdown")).toBe(true);
  });

  // The incident: 8 KB of "- " froze the server for 11 s; 49 KB for minutes; ">" × 2,000 overflowed the stack.
  for (const [name, make] of Object.entries(PATHOLOGICAL_MARKDOWN)) {
    it(`renders ${name} within bounds at ${PATHOLOGICAL_SIZES.join(", ")} characters`, async () => {
      for (const size of PATHOLOGICAL_SIZES) {
        const text = `<script>alert(1)</script>\n\n${make(size)}`;
        const started = performance.now();
        const rendered = await renderer.render(text, nextKey());
        const elapsed = performance.now() - started;
        expect(elapsed, `${name} at ${size}: ${rendered.format} ${rendered.reason ?? ""}`).toBeLessThan(timeBudget(500));
        const html = htmlOf(rendered.preview) + htmlOf(rendered.rest);
        expect(typeof html).toBe("string");
        expect(html).not.toMatch(/<script/i);
        if (rendered.format === "plain") {
          // The fallback is the message itself, as text: nothing lost, nothing turned into markup.
          expect(textOf(rendered.preview) + textOf(rendered.rest)).toBe(text);
        }
      }
    });
  }
});

describe("render pool", () => {
  let hanging: URL;

  beforeAll(() => {
    // A worker that never answers: what a message the pre-scan missed would look like at worst.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "inspector-hang-")), "hang.mjs");
    fs.writeFileSync(file, 'import { parentPort } from "node:worker_threads";\nparentPort.on("message", () => { for (;;) {} });\n');
    hanging = pathToFileURL(file);
  });

  it("ends a job past its time limit while the main thread keeps serving, and remembers the verdict", async () => {
    const pool = countingPool(createRenderPool({ timeoutMs: 300, maxQueue: 10, entry: hanging }));
    const events: { outcome: string }[] = [];
    const renderer = createMessageRenderer({ pool, report: (event) => events.push(event) });
    let longestGap = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 10);
    const started = performance.now();
    const rendered = await renderer.render("*never formatted*", "hang#1:output");
    clearInterval(ticker);
    expect(performance.now() - started).toBeLessThan(timeBudget(2_000));
    expect(rendered).toMatchObject({ format: "plain", reason: "timeout" });
    expect(events.map((event) => event.outcome)).toEqual(["timeout"]);
    // The event loop went on ticking while the worker spun.
    expect(longestGap).toBeLessThan(timeBudget(150));
    expect((await renderer.render("*never formatted*", "hang#1:output")).reason).toBe("timeout");
    expect(pool.jobs).toBe(1);
    await renderer.close();
  });

  it("answers at the caller's deadline, and remembers the result when it arrives", async () => {
    const pool = countingPool(createRenderPool({ timeoutMs: 5_000, maxQueue: 10, entry: bundledWorkerEntry() }));
    const renderer = createMessageRenderer({ pool });
    // The first job also starts the worker, which takes longer than no time at all.
    const early = await renderer.render("**late**", "late#1:output", { deadline: Date.now() });
    expect(early).toMatchObject({ format: "plain", reason: "pending" });
    await expect.poll(async () => (await renderer.render("**late**", "late#1:output", { deadline: Date.now() })).format).toBe("markdown");
    expect(pool.jobs).toBe(1);
    await renderer.close();
  });

  it("answers busy instead of queueing without limit", async () => {
    const pool = createRenderPool({ timeoutMs: 200, maxQueue: 1, entry: hanging });
    const outcomes = await Promise.all([pool.render(["a"]), pool.render(["b"]), pool.render(["c"])]);
    expect(outcomes.map((outcome) => (outcome.ok ? "ok" : outcome.reason))).toEqual(["timeout", "timeout", "busy"]);
    await pool.close();
  });

  it("says unavailable, and is not remembered, when the worker cannot start", async () => {
    const pool = countingPool(createRenderPool({ timeoutMs: 2_000, maxQueue: 10, entry: pathToFileURL(path.join(os.tmpdir(), "no-such-worker.mjs")) }));
    const renderer = createMessageRenderer({ pool });
    expect(await renderer.render("*x*", "missing#1:output")).toMatchObject({ format: "plain", reason: "pending" });
    await renderer.render("*x*", "missing#1:output");
    expect(pool.jobs).toBe(2);
    await renderer.close();
  });
});
