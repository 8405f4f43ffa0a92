import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { NEBULY_TEST_KEY, type AppServer } from "../support/app-server";
import type { FakeNebuly } from "../support/fake-nebuly";
import { startLiveApp, type LiveApp } from "../support/live-app";
import {
  BARE_ID,
  HUGE_ID,
  RICH_ID,
  XSS_ID,
  XSS_PAYLOADS,
  bareInteraction,
  hugeInteraction,
  richInteraction,
  xssInteraction,
} from "../support/fixtures";

let live: LiveApp;
let nebuly: FakeNebuly;
let app: AppServer;

test.beforeAll(async () => {
  live = await startLiveApp("ui", [richInteraction(), xssInteraction(), hugeInteraction(), bareInteraction()]);
  ({ nebuly, app } = live);
});

test.afterAll(async () => {
  await live?.stop();
});

test.afterEach(() => {
  expect(app.output()).not.toContain(NEBULY_TEST_KEY);
});

const pageUrl = (id: string) => `${app.url}/interactions/${id}`;

/** Opens a page and waits until its client controls are live (hydrated). */
async function open(page: Page, url: string) {
  await page.goto(url);
  await expect(page.locator("html[data-enhanced]")).toHaveCount(1);
}

test.describe("conversation", () => {
  test("every turn is an article with an anchor, and the chosen turn is marked and highlighted", async ({ page }) => {
    await page.goto(pageUrl(RICH_ID));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("How do I rotate my API key?");
    await expect(page.getByRole("heading", { name: "Conversation" })).toBeVisible();
    const turns = page.locator("article[id^='turn-']");
    await expect(turns).toHaveCount(4);
    await expect(turns.nth(0)).toHaveAttribute("id", "turn-1");
    const chosen = page.locator("#turn-2");
    await expect(chosen).toHaveAttribute("aria-current", "true");
    await expect(page.locator("article[aria-current='true']")).toHaveCount(1);
    await expect(chosen.getByText("Chosen turn")).toBeVisible();
    expect(await chosen.evaluate((element) => getComputedStyle(element).borderColor)).not.toBe(
      await page.locator("#turn-1").evaluate((element) => getComputedStyle(element).borderColor),
    );
    // Inputs keep their line breaks.
    await expect(page.locator("#turn-1").getByText("hi\nsecond line")).toBeVisible();
  });

  test("a #turn-N link highlights and shows that turn instead of the chosen one", async ({ page }) => {
    await open(page, `${pageUrl(RICH_ID)}#turn-4`);
    await expect(page.locator("#turn-4")).toHaveAttribute("data-targeted", "true");
    await expect(page.locator("#turn-4")).toBeInViewport();
    await expect(page.locator("#turn-2")).not.toHaveAttribute("data-targeted", "true");
  });

  test("outputs render as Markdown with highlighted code and safe external links; Raw shows the exact text", async ({ page }) => {
    await open(page, pageUrl(RICH_ID));
    const turn = page.locator("#turn-2");
    await expect(turn.locator("table td", { hasText: "Settings" })).toBeVisible();
    await expect(turn.locator("pre code.language-python .hljs-keyword").first()).toHaveText("def");
    const link = turn.getByRole("link", { name: "the guide" });
    await expect(link).toHaveAttribute("target", "_blank");
    await expect(link).toHaveAttribute("rel", /noopener/);
    await expect(link).toHaveAttribute("rel", /noreferrer/);

    await turn.getByRole("button", { name: "Raw" }).click();
    await expect(turn.locator("pre[data-raw]")).toBeVisible();
    await expect(turn.locator("pre[data-raw]")).toContainText("Use the **Rotate** button.");
    await expect(turn.locator("[data-rendered]")).toBeHidden();
    await turn.getByRole("button", { name: "Raw" }).click();
    await expect(turn.locator("[data-rendered]")).toBeVisible();
  });

  test("an interaction without a conversation shows its input and output as one turn", async ({ page }) => {
    await page.goto(pageUrl(HUGE_ID));
    await expect(page.locator("article[id^='turn-']")).toHaveCount(1);
    await expect(page.locator("#turn-1")).toHaveAttribute("aria-current", "true");
  });

  test("an interaction with only an id still renders, saying what is missing", async ({ page }) => {
    const response = await page.goto(pageUrl(BARE_ID));
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Interaction ${BARE_ID}`);
    await expect(page.getByText("The user gave no feedback on this interaction.")).toBeVisible();
    await expect(page.getByText("No output recorded.")).toBeVisible();
  });
});

test.describe("feedback, analysis, sources and raw", () => {
  test("feedback shows actions by name, the rating out of its scale, the comment and the turn", async ({ page }) => {
    await page.goto(pageUrl(RICH_ID));
    const feedback = page.locator("section", { has: page.getByRole("heading", { name: "Feedback" }) });
    await expect(feedback.getByText("Thumbs down")).toBeVisible();
    await expect(feedback.getByText("Regenerated")).toBeVisible();
    await expect(feedback.getByText("custom signal")).toBeVisible();
    await expect(feedback).toContainText("2 / 5");
    await expect(feedback.getByText("“The first answer was wrong.”")).toBeVisible();
    await expect(feedback).toContainText("Explicit negative feedback");
    await expect(feedback.getByRole("link", { name: "turn 2" })).toHaveAttribute("href", "#turn-2");
  });

  test("analysis shows topic, intent, emotion bars, tags, and risk prominently", async ({ page }) => {
    await page.goto(pageUrl(RICH_ID));
    const analysis = page.locator("section", { has: page.getByRole("heading", { name: "Analysis" }) });
    await expect(analysis).toContainText("Security");
    await expect(analysis).toContainText("Rotate key");
    await expect(analysis.getByRole("img", { name: "frustration: 80%" })).toBeVisible();
    await expect(analysis).toContainText("plan");
    await expect(analysis).toContainText("pro");
    await expect(analysis.getByText("Risky behaviour: hallucination")).toBeVisible();
    await expect(page.getByText("PII removed")).toBeVisible();
    await expect(page.getByText("Answer cited a deprecated endpoint.").first()).toBeVisible();
  });

  test("header shows latency and cost in human units", async ({ page }) => {
    await page.goto(pageUrl(RICH_ID));
    const header = page.locator("header", { has: page.getByRole("heading", { level: 1 }) });
    await expect(header).toContainText("2.50 s");
    await expect(header).toContainText("$0.0123");
    await expect(header).toContainText("412 characters");
    await expect(header).toContainText("conv-rich-1");
  });

  test("sources expand to their details", async ({ page }) => {
    await page.goto(pageUrl(RICH_ID));
    const sources = page.locator("section", { has: page.getByRole("heading", { name: /Sources/ }) });
    await sources.locator("summary", { hasText: "Key rotation guide" }).click();
    await expect(sources.getByRole("link", { name: "https://docs.example.com/keys" })).toBeVisible();
    await expect(sources.locator("pre")).toContainText('"score": 0.9');
  });

  test("raw JSON loads on demand and downloads under the interaction's name", async ({ page }) => {
    await open(page, pageUrl(RICH_ID));
    const raw = page.locator("section", { has: page.getByRole("heading", { name: "Raw" }) });
    await raw.getByText("Show the interaction exactly as Nebuly returned it").click();
    await expect(raw.locator("pre[data-raw-json-target]")).toContainText('"conversation_id": "conv-rich-1"');
    const download = page.waitForEvent("download");
    await raw.getByRole("link", { name: "Download JSON" }).click();
    expect((await download).suggestedFilename()).toBe(`interaction-${RICH_ID}.json`);
  });
});

test.describe("sharing and keyboard", () => {
  test.use({ permissions: ["clipboard-read", "clipboard-write"] });

  const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

  test("Copy link copies the page URL and confirms with a toast; a turn's link copies #turn-N", async ({ page }) => {
    await open(page, pageUrl(RICH_ID));
    await page.getByRole("button", { name: /Copy link/ }).first().click();
    await expect(page.locator("#toast")).toHaveText("Link copied");
    expect(await clipboard(page)).toBe(pageUrl(RICH_ID));

    await page.getByRole("link", { name: "Copy link to turn 3" }).click();
    await expect(page.locator("#toast")).toContainText("turn 3");
    expect(await clipboard(page)).toBe(`${pageUrl(RICH_ID)}#turn-3`);
    await expect(page).toHaveURL(`${pageUrl(RICH_ID)}#turn-3`);
  });

  test("Copy as Markdown copies what the page shows: details, flags, feedback, analysis, sources and every turn", async ({ page }) => {
    await open(page, pageUrl(RICH_ID));
    await page.getByRole("button", { name: "Copy as Markdown" }).click();
    await expect(page.locator("#toast")).toHaveText("Conversation copied as Markdown");
    const transcript = await clipboard(page);
    for (const part of [
      "# How do I rotate my API key?",
      `(<${pageUrl(RICH_ID)}>)`,
      "- User: ana@example.com",
      "**Risky behaviour:** hallucination",
      "**Warning:** Answer cited a deprecated endpoint.",
      "- Type: explicit negative",
      "- Actions: Thumbs down, Regenerated, custom signal",
      "- Rating: 2 / 5",
      "The first answer was wrong.",
      "- Topic: Security",
      "- Intent: Rotate key",
      "- Tags: plan: pro, channel: web",
      "### Source 1: Key rotation guide",
      "<https://docs.example.com/keys>",
      "### Turn 2 (chosen, feedback)",
      "### Turn 4",
      "```markdown\nUse the **Rotate** button.",
      "hi\nsecond line",
    ]) {
      expect(transcript).toContain(part);
    }
  });

  test("Copy as Markdown keeps hostile text as text: every message sits in a fence longer than its backtick runs", async ({ page }) => {
    await open(page, pageUrl(XSS_ID));
    await page.getByRole("button", { name: "Copy as Markdown" }).click();
    await expect(page.locator("#toast")).toHaveText("Conversation copied as Markdown");
    const transcript = await clipboard(page);
    // Outside code blocks, no line is raw HTML or a heading other than the transcript's own.
    const outside: string[] = [];
    let fence: string | null = null;
    for (const line of transcript.split("\n")) {
      if (fence === null) {
        const opening = /^(`{3,})[a-z]*$/.exec(line);
        if (opening) fence = opening[1];
        else outside.push(line);
      } else if (line === fence) {
        fence = null;
      }
    }
    expect(fence).toBeNull();
    expect(outside.filter((line) => /^#/.test(line) && !/^(# |## (Details|Feedback|Analysis|Sources|Conversation)|### (Turn|Source) )/.test(line))).toEqual([]);
    expect(outside.filter((line) => /(^|[^\\])<(script|img|svg|iframe|a |details|style|form)/i.test(line))).toEqual([]);
    expect(transcript).toContain(XSS_PAYLOADS[0]);
  });

  test("j and k move between turns and update the URL; c copies; ? shows the shortcuts", async ({ page }) => {
    await open(page, `${pageUrl(RICH_ID)}#turn-1`);
    await page.locator("h1").click();
    await page.keyboard.press("j");
    await expect(page).toHaveURL(/#turn-2$/);
    await page.keyboard.press("j");
    await expect(page).toHaveURL(/#turn-3$/);
    await expect(page.locator("#turn-3")).toHaveAttribute("data-targeted", "true");
    await page.keyboard.press("k");
    await expect(page).toHaveURL(/#turn-2$/);

    // c copies the link as the address shows it, #turn-N included.
    await page.keyboard.press("c");
    await expect(page.locator("#toast")).toHaveText("Link to turn 2 copied");
    expect(await clipboard(page)).toBe(`${pageUrl(RICH_ID)}#turn-2`);

    await page.keyboard.press("?");
    await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog")).toBeHidden();
  });

  test("shortcuts are not captured while typing", async ({ page }) => {
    await open(page, `${pageUrl(RICH_ID)}#turn-1`);
    await page.evaluate(() => {
      const input = document.createElement("input");
      input.id = "probe-input";
      document.querySelector("main")!.prepend(input);
    });
    await page.locator("#probe-input").fill("");
    await page.locator("#probe-input").pressSequentially("jkc?");
    await expect(page.locator("#probe-input")).toHaveValue("jkc?");
    await expect(page).toHaveURL(/#turn-1$/);
    await expect(page.getByRole("dialog")).toBeHidden();
  });

  test("title and Open Graph metadata describe the interaction", async ({ page }) => {
    await page.goto(pageUrl(RICH_ID));
    await expect(page).toHaveTitle("How do I rotate my API key? · Interaction Inspector");
    const description = await page.locator('meta[property="og:description"]').getAttribute("content");
    expect(description).toContain("Sentiment: negative");
    expect(description).toContain("explicit negative");
    await expect(page.locator('meta[name="twitter:card"]')).toHaveAttribute("content", "summary");
  });

  test("Refresh fetches again from Nebuly", async ({ page }) => {
    await open(page, pageUrl(RICH_ID));
    const before = nebuly.callsFor(RICH_ID).length;
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(page.getByText("Fetched the latest version from Nebuly.")).toBeVisible();
    expect(nebuly.callsFor(RICH_ID).length).toBe(before + 1);
  });
});

test.describe("untrusted content", () => {
  test("an XSS corpus in every text field runs nothing and is shown as text", async ({ page }) => {
    const dialogs: string[] = [];
    page.on("dialog", async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));

    await page.goto(pageUrl(XSS_ID));
    await expect(page.locator("main").getByRole("link", { name: /Image: tracker/ })).toHaveAttribute("href", "https://evil.example/pixel.png");
    // Open every <details> and wait for each one's toggle event: a payload's ontoggle would have run by then.
    await page.locator("details").evaluateAll((elements) =>
      Promise.all(
        elements.map(
          (element) =>
            new Promise<void>((resolve) => {
              const details = element as HTMLDetailsElement;
              if (details.open) return resolve();
              details.addEventListener("toggle", () => resolve(), { once: true });
              details.open = true;
            }),
        ),
      ),
    );
    const turn = page.locator("#turn-1");
    await turn.getByRole("button", { name: "Raw" }).click();
    await expect(turn.locator("pre[data-raw]")).toBeVisible();
    await expect(turn.locator("pre[data-raw]")).toContainText(XSS_PAYLOADS[1]);
    // Whatever a payload made the browser fetch (and fail to load, firing onerror) has settled.
    await page.waitForLoadState("networkidle");

    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(requests.filter((url) => url.includes("evil.example"))).toEqual([]);
    await expect(page.locator("body")).toBeVisible();

    const main = page.locator("main");
    await expect(main.locator("img, iframe, object, embed, svg[onload], math")).toHaveCount(0);
    await expect(main.locator("script")).toHaveCount(0);
    await expect(main.locator("style")).toHaveCount(0);
    await expect(main.locator("form[action*='evil']")).toHaveCount(0);
    await expect(main.locator("a[href^='javascript:' i], a[href^='data:' i]")).toHaveCount(0);
    const handlers = await main.evaluate((root) =>
      Array.from(root.querySelectorAll("*")).flatMap((element) =>
        Array.from(element.attributes)
          .filter((attribute) => attribute.name.startsWith("on"))
          .map((attribute) => `${element.tagName}.${attribute.name}`),
      ),
    );
    expect(handlers).toEqual([]);

    await expect(page.locator("h1")).toHaveText(XSS_PAYLOADS[0]);
    await expect(page).toHaveTitle(`${XSS_PAYLOADS[0]} · Interaction Inspector`);
    await expect(page.getByText("<script>window.__xss=1</script>").first()).toBeVisible();
    await expect(page.getByText('<img src=x onerror="window.__xss=1">').first()).toBeVisible();
  });
});

test.describe("outcomes other than a fresh interaction", () => {
  test("an invalid id answers 404 and says the id is not valid", async ({ page }) => {
    const response = await page.goto(`${app.url}/interactions/not-an-id`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Not a valid interaction id" })).toBeVisible();
    await expect(page).toHaveTitle(/Not a valid interaction id/);
  });

  test("a broken URL encoding answers 404 too, never 500", async ({ page }) => {
    const response = await page.goto(`${app.url}/interactions/%E0%A4%A`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Not a valid interaction id" })).toBeVisible();
  });

  test("an unknown id answers 404 and says it was not found, with one Nebuly call", async ({ page }) => {
    const id = "99999999-0000-4000-8000-000000000001";
    const response = await page.goto(pageUrl(id));
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Interaction not found" })).toBeVisible();
    expect(nebuly.callsFor(id)).toHaveLength(1);
  });

  test("Nebuly failing with nothing cached answers 502 with a retry that works", async ({ page }) => {
    const id = "99999999-0000-4000-8000-000000000002";
    nebuly.script(id, [{ status: 500 }]);
    const response = await page.goto(pageUrl(id));
    expect(response?.status()).toBe(502);
    await expect(page.getByRole("heading", { name: "Nebuly is unavailable" })).toBeVisible();

    nebuly.serveInteraction(id, { user_query: "Recovered" });
    await page.getByRole("button", { name: "Try again" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Recovered");
  });

  test("a Nebuly timeout with nothing cached answers 504", async ({ page }) => {
    const id = "99999999-0000-4000-8000-000000000003";
    nebuly.script(id, [{ delayMs: 2_500, body: { id } }]);
    const response = await page.goto(pageUrl(id));
    expect(response?.status()).toBe(504);
    await expect(page.getByText("Nebuly did not answer in time.")).toBeVisible();
  });

  test("the key appears nowhere in the page", async ({ page }) => {
    await page.goto(pageUrl(RICH_ID));
    expect(await page.content()).not.toContain(NEBULY_TEST_KEY);
  });
});

test.describe("accessibility", () => {
  for (const colorScheme of ["light", "dark"] as const) {
    test(`no serious or critical axe violations (${colorScheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await page.goto(pageUrl(RICH_ID));
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
      expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(", ")}`)).toEqual([]);
    });
  }

  test("the page fits a 375 px phone without horizontal scrolling", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(pageUrl(RICH_ID));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
