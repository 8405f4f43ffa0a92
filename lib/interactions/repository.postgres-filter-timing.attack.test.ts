import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "pg";
import { closeStore, openStore, type Store } from "@/db/client";
import { newPostgresDatabase, testStores } from "@/test/stores";
import { createInteractionRepository, type InteractionRepository } from "./repository";

/*
 * README "Several projects": for anyone else a restricted project does not exist. A /cached list
 * filtered by user (`/cached?user=…`, no typed words: neither gated nor budgeted) is read through
 * the (user, timestamp) index, which holds every project's rows: the rows of a hidden project are
 * read and dropped one by one, so the time the page takes says how many chats that person has in
 * projects the viewer cannot see.
 */

async function seed(databaseUrl: string) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // The viewer's project: 30,000 chats by 100 people.
    await client.query(
      `INSERT INTO interactions (id, raw_json, fetched_at, timestamp, "user", project_slug, search_body, search_folded)
       SELECT '00000000-0000-4000-8000-' || lpad(g::text, 12, '0'), '{"output":"ok"}', now(), now() - g * interval '1 minute', 'u' || (g % 100) || '@corp', 'support', E'hello\\n', E'hello\\n'
       FROM generate_series(1, 30000) AS g`,
    );
    // A restricted project: the CEO's 150,000 chats.
    await client.query(
      `INSERT INTO interactions (id, raw_json, fetched_at, timestamp, "user", project_slug, search_body, search_folded)
       SELECT '77777777-0000-4000-8000-' || lpad(g::text, 12, '0'), '{"output":"ok"}', now(), now() - g * interval '1 second', 'ceo@corp', 'board', E'hello\\n', E'hello\\n'
       FROM generate_series(1, 150000) AS g`,
    );
    await client.query("ANALYZE interactions");
  } finally {
    await client.end();
  }
}

describe.runIf(testStores().includes("postgres"))("a hidden project's people through the time a filtered list takes", () => {
  let store: Store;
  let repository: InteractionRepository;

  beforeAll(async () => {
    const databaseUrl = await newPostgresDatabase();
    await seed(databaseUrl);
    store = await openStore(databaseUrl, { poolMax: 4 });
    repository = createInteractionRepository(store);
  }, 600_000);

  afterAll(async () => {
    if (store) await closeStore(store);
  });

  for (const text of [undefined, "hello"]) {
    it(`takes as long to filter by a person only a hidden project knows as by nobody (${text ? "with typed words" : "plain list"})`, async () => {
      const list = (user: string) => repository.search({ sort: "time", limit: 25, offset: 0, user, text, projects: ["support"] });
      const held: number[] = [];
      const absent: number[] = [];
      for (let i = 0; i < 11; i++) {
        for (const [user, samples] of [["ceo@corp", held], ["cfo@corp", absent]] as const) {
          const start = performance.now();
          const result = await list(user);
          samples.push(performance.now() - start);
          // The viewer sees nothing either way.
          expect(result.count).toBe(0);
        }
      }
      const median = (samples: number[]) => samples.sort((a, b) => a - b)[5]!;
      const [heldMs, absentMs] = [median(held), median(absent)];
      console.log({ text, heldMs, absentMs });
      expect(heldMs - absentMs, `a person with chats only in a hidden project: ${Math.round(heldMs)} ms; nobody: ${Math.round(absentMs)} ms`).toBeLessThan(20);
    }, 300_000);
  }
});
