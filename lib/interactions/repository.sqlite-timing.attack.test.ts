import { beforeAll, describe, expect, it } from "vitest";
import type { Store } from "@/db/client";
import { createLabelRepository } from "@/lib/labels/repository";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { openTestStore } from "@/test/stores";
import { createInteractionRepository, type CachedSearchQuery, type InteractionRepository } from "./repository";

/*
 * README "Several projects": for anyone else a restricted project does not exist. On SQLite the
 * /cached lists were read through indexes holding every project's rows ((user, timestamp),
 * (timestamp), (last_viewed_at), (topic, timestamp), …), and a hidden project's rows were read and
 * dropped one by one: `/cached?user=ceo@corp` took 40 ms when the CEO had 150,000 chats in a
 * hidden project and 0.5 ms when nobody had that name; the "last viewed" list went from 3 ms to
 * 23 ms when a hidden project viewed 150,000 newer rows. Each project is now read through its own
 * project-led index (repository.sqlite.ts perProject), so these times depend on the viewer's rows only.
 */

const VIEWER = ["support"];
const SAMPLES = 11;

type Raw = Extract<Store, { dialect: "sqlite" }>["db"]["$client"];

function rawOf(store: Store): Raw {
  if (store.dialect !== "sqlite") throw new Error("a SQLite store was expected");
  return store.db.$client;
}

/** The median time of `read`, in ms, over SAMPLES runs. */
async function medianMs(read: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    await read();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(SAMPLES / 2)]!;
}

describe("a hidden project's activity through the time /cached takes (SQLite)", () => {
  let raw: Raw;
  let repository: InteractionRepository;
  const list = (query: Partial<CachedSearchQuery>) => repository.search({ sort: "time", limit: 25, offset: 0, projects: VIEWER, ...query });
  const reads = {
    plain: () => list({}),
    viewed: () => list({ sort: "viewed" }),
    topic: () => list({ topic: "Billing" }),
    recentlyViewed: () => repository.recentlyViewed(10, VIEWER),
    facets: () => repository.facets(VIEWER),
  };
  const before: Partial<Record<keyof typeof reads, number>> = {};

  beforeAll(async () => {
    const store = await openTestStore("sqlite");
    raw = rawOf(store);
    repository = createInteractionRepository(store);
    // The viewer's project: 30,000 chats by 100 people, a few topics, one in ten viewed.
    raw.exec(`WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 30000)
      INSERT INTO interactions (id, raw_json, fetched_at, timestamp, user, topic, sentiment, feedback_type, last_viewed_at, project_slug)
      SELECT '00000000-0000-4000-8000-' || printf('%012d', n), '{"output":"ok"}', 0, 1700000000000 - n * 60000, 'u' || (n % 100) || '@corp',
        CASE n % 3 WHEN 0 THEN 'Billing' WHEN 1 THEN 'Setup' ELSE 'Other' END, 'neutral', 'none',
        CASE WHEN n % 10 = 0 THEN 1700000000000 - n * 1000 END, 'support'
      FROM g`);
    raw.exec("ANALYZE");
    for (const [name, read] of Object.entries(reads)) before[name as keyof typeof reads] = await medianMs(read);
    // The board's project, restricted: the CEO's 150,000 chats, newer than the viewer's, all
    // viewed, under 5,000 topics of its own.
    raw.exec(`WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 150000)
      INSERT INTO interactions (id, raw_json, fetched_at, timestamp, user, topic, sentiment, feedback_type, last_viewed_at, project_slug)
      SELECT '77777777-0000-4000-8000-' || printf('%012d', n), '{"output":"ok"}', 0, 1800000000000 - n * 100, 'ceo@corp',
        CASE WHEN n % 2 = 0 THEN 'Billing' ELSE 'board ' || (n % 5000) END, 'negative', 'thumbs_down', 1800000000000 - n, 'board'
      FROM g`);
    raw.exec("ANALYZE");
  }, 300_000);

  for (const name of ["plain", "viewed", "topic", "recentlyViewed", "facets"] as const) {
    it(`${name}: takes as long after a hidden project cached 150,000 newer chats as before`, async () => {
      const after = await medianMs(reads[name]);
      const was = before[name]!;
      console.log({ read: name, beforeMs: was, afterMs: after });
      expect(after - was, `${name}: ${was.toFixed(1)} ms before, ${after.toFixed(1)} ms after`).toBeLessThan(20);
    }, 120_000);
  }

  it("shows none of the hidden project's rows or values", async () => {
    expect((await reads.plain()).items.every((item) => item.projectSlug === "support")).toBe(true);
    expect((await reads.viewed()).items.every((item) => item.projectSlug === "support")).toBe(true);
    expect((await reads.recentlyViewed()).every((item) => item.projectSlug === "support")).toBe(true);
    expect(await reads.facets()).toEqual({ topics: ["Billing", "Other", "Setup"], sentiments: ["neutral"], feedbackTypes: ["none"] });
  });

  for (const text of [undefined, "hello"]) {
    it(`takes as long to filter by a person only a hidden project knows as by nobody (${text ? "with typed words" : "plain list"})`, async () => {
      const held = await medianMs(async () => expect((await list({ user: "ceo@corp", text })).count).toBe(0));
      const absent = await medianMs(async () => expect((await list({ user: "cfo@corp", text })).count).toBe(0));
      const heldViewed = await medianMs(async () => expect((await list({ user: "ceo@corp", text, sort: "viewed" })).count).toBe(0));
      const absentViewed = await medianMs(async () => expect((await list({ user: "cfo@corp", text, sort: "viewed" })).count).toBe(0));
      console.log({ text, heldMs: held, absentMs: absent, heldViewedMs: heldViewed, absentViewedMs: absentViewed });
      expect(held - absent, `a person with chats only in a hidden project: ${held.toFixed(1)} ms; nobody: ${absent.toFixed(1)} ms`).toBeLessThan(20);
      expect(heldViewed - absentViewed, `last viewed, a person only a hidden project knows: ${heldViewed.toFixed(1)} ms; nobody: ${absentViewed.toFixed(1)} ms`).toBeLessThan(20);
    }, 120_000);
  }
});

/*
 * The per-project reads must list what one read of every project, kept to the viewer's projects,
 * lists: the same rows in the same order (time or last viewed, newest first, then id; undated
 * rows last), the same count and hasMore, on every page.
 */
describe("lists read project by project equal one read kept to the projects (SQLite)", () => {
  let repository: InteractionRepository;
  const projects = ["support", "sales", "hr"];
  const users = ["ana@corp", "bo@corp", null];
  const topics = ["Billing", "Setup", null];

  beforeAll(async () => {
    const store = await openTestStore("sqlite");
    repository = createInteractionRepository(store);
    const labels = createLabelRepository(store);
    const at = new Date("2026-11-01T00:00:00Z");
    await labels.insert({ id: "label-urgent", name: "urgent", nameKey: "urgent", color: "red", createdAt: at, createdBy: null, updatedAt: at });
    for (let n = 0; n < 90; n++) {
      const id = `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
      // Several rows share a time (ties are broken by id), some have none.
      const timestamp = n % 11 === 0 ? undefined : new Date(Date.parse("2026-10-01T00:00:00Z") + Math.floor(n / 3) * 60_000).toISOString();
      const body = { id, output: `answer ${n}`, timestamp, user: users[n % 3] ?? undefined, topic: topics[n % 4] ?? undefined, sentiment: n % 2 ? "negative" : "positive", feedback_type: n % 5 === 0 ? "none" : undefined };
      await repository.save(id, interactionSchema.parse(body), JSON.stringify(body), at, projects[n % 3]!);
      if (n % 4 === 1) await repository.recordView(id, new Date(Date.parse("2026-11-02T00:00:00Z") + n * 1000));
      if (n % 5 === 2) await labels.replaceFor(id, ["label-urgent"], at, null);
    }
  });

  const variants: Partial<CachedSearchQuery>[] = [
    {},
    { sort: "viewed" },
    { user: "ana@corp" },
    { user: "ana@corp", sort: "viewed" },
    { topic: "Billing", sentiment: "negative" },
    { feedbackType: "none" },
    { labels: ["urgent"] },
    { excludeLabels: ["urgent"], topic: "Setup" },
  ];

  for (const variant of variants) {
    for (const viewer of [["support"], ["support", "hr"], ["hr", "sales", "hr"]]) {
      it(`${JSON.stringify(variant)} in ${viewer.join(", ")}`, async () => {
        const everything = await repository.search({ sort: "time", limit: 1000, offset: 0, ...variant });
        const kept = everything.items.filter((item) => viewer.includes(item.projectSlug));
        for (const offset of [0, 4, 9, 30]) {
          const page = await repository.search({ sort: "time", limit: 5, offset, ...variant, projects: viewer });
          expect(page.items).toEqual(kept.slice(offset, offset + 5));
          expect(page.hasMore).toBe(kept.length > offset + 5);
          expect(page.count).toBe(kept.length);
        }
      });
    }
  }

  it("recently viewed and facets", async () => {
    for (const viewer of [["support"], ["sales", "hr"]]) {
      const viewed = (await repository.recentlyViewed(1000)).filter((item) => viewer.includes(item.projectSlug));
      expect(await repository.recentlyViewed(7, viewer)).toEqual(viewed.slice(0, 7));
      const facets = await repository.facets(viewer);
      const everything = await repository.search({ sort: "time", limit: 1000, offset: 0, projects: viewer });
      const valuesOf = (pick: (item: (typeof everything.items)[number]) => string | null) => [...new Set(everything.items.flatMap((item) => pick(item) ?? []))].sort();
      expect(facets).toEqual({ topics: valuesOf((item) => item.topic), sentiments: valuesOf((item) => item.sentiment), feedbackTypes: valuesOf((item) => item.feedbackType) });
    }
  });
});
