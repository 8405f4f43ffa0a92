import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "pg";
import { closeStore, openStore, type Store } from "@/db/client";
import { newPostgresDatabase, testStores } from "@/test/stores";
import { createInteractionRepository, type InteractionRepository } from "./repository";

/*
 * README "Several projects": for anyone else a restricted project does not exist. /cached (the
 * plain list, and a typed search's walk when its matches are common) walks the timestamp index,
 * which holds every project's rows, and drops other projects' rows one by one
 * (EXPLAIN: "Index Scan using interactions_timestamp_idx … Filter: project_slug = ANY(…) …
 * Rows Removed by Filter"): the time page 1 takes says how many chats a hidden project got lately.
 */

const DATABASE = { url: "" };

async function sql(text: string) {
  const client = new Client({ connectionString: DATABASE.url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

describe.runIf(testStores().includes("postgres"))("a hidden project's activity through the time /cached takes", () => {
  let store: Store;
  let repository: InteractionRepository;

  beforeAll(async () => {
    DATABASE.url = await newPostgresDatabase();
    await sql(`INSERT INTO interactions (id, raw_json, fetched_at, timestamp, project_slug, search_body, search_folded)
       SELECT '00000000-0000-4000-8000-' || lpad(g::text, 12, '0'), '{"output":"ok"}', now(), now() - interval '1 day' - g * interval '1 minute', 'support', E'hello refund\\n', E'hello refund\\n'
       FROM generate_series(1, 30000) AS g`);
    await sql("ANALYZE interactions");
    store = await openStore(DATABASE.url, { poolMax: 4 });
    repository = createInteractionRepository(store);
  }, 600_000);

  afterAll(async () => {
    if (store) await closeStore(store);
  });

  async function medianMs(text: string | undefined): Promise<number> {
    const samples: number[] = [];
    for (let i = 0; i < 9; i++) {
      const start = performance.now();
      const result = await repository.search({ sort: "time", limit: 25, offset: 0, text, projects: ["support"] });
      samples.push(performance.now() - start);
      expect(result.items.every((item) => item.projectSlug === "support")).toBe(true);
    }
    return samples.sort((a, b) => a - b)[4]!;
  }

  it("page 1 takes as long after a hidden project cached 150,000 chats today as before", async () => {
    const before = { plain: await medianMs(undefined), typed: await medianMs("refund") };
    // The board's project, restricted, caches a busy day's chats (newer than the viewer's).
    await sql(`INSERT INTO interactions (id, raw_json, fetched_at, timestamp, project_slug, search_body, search_folded)
       SELECT '77777777-0000-4000-8000-' || lpad(g::text, 12, '0'), '{"output":"ok"}', now(), now() - g * interval '100 milliseconds', 'board', E'minutes\\n', E'minutes\\n'
       FROM generate_series(1, 150000) AS g`);
    await sql("ANALYZE interactions");
    const after = { plain: await medianMs(undefined), typed: await medianMs("refund") };
    console.log({ before, after });
    expect(after.plain - before.plain, `plain list: ${Math.round(before.plain)} ms before, ${Math.round(after.plain)} ms after`).toBeLessThan(20);
    expect(after.typed - before.typed, `"refund": ${Math.round(before.typed)} ms before, ${Math.round(after.typed)} ms after`).toBeLessThan(20);
  }, 600_000);
});
