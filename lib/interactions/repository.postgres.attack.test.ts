import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeStore, openStore, type Store } from "@/db/client";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { COMMON_WORDS, seedCommonRows } from "@/test/common-rows";
import { newPostgresDatabase, testStores } from "@/test/stores";
import { createInteractionRepository, type InteractionRepository } from "./repository";
import { createPostgresInteractionRepository } from "./repository.postgres";

/*
 * Attacks on the Postgres snapshot store. Everything a search carries is chosen by whoever types
 * it (any signed-in viewer, anyone on an open inspector; /cached is outside the request budget),
 * and every stored field can come from a hostile chat (prompt injection, a chosen user id).
 */

/**
 * 32 two-word phrases of words every row holds, in an order no row holds them, ORed: within the
 * 32 items and 1,000 characters a search reads. Each phrase's trigrams are in every row, so each
 * LIKE's bitmap is the whole table and every row is rechecked 32 times, then the same for the
 * tsquery; nothing matches, so nothing stops early.
 */
function costlySearch(): string {
  const pairs = Array.from({ length: 32 }, (_, i) => `"${COMMON_WORDS[i % 18]} ${COMMON_WORDS[(i + (i < 18 ? 0 : 1)) % 18]}"`);
  return pairs.join(" OR ");
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await run();
  return [value, performance.now() - start];
}

describe.runIf(testStores().includes("postgres"))("Postgres search under hostile input", () => {
  let store: Store;
  let repository: InteractionRepository;

  beforeAll(async () => {
    const databaseUrl = await newPostgresDatabase();
    await seedCommonRows(databaseUrl, 30_000, "support");
    store = await openStore(databaseUrl, { poolMax: 4 });
    if (store.dialect !== "postgres") throw new Error("expected Postgres");
    repository = createInteractionRepository(store);
    // A project the viewer may not see holds long chats that mention a secret name.
    const filler = Array.from({ length: 20_000 }, (_, i) => `lorem${i % 97}`).join(" ");
    for (let k = 0; k < 50; k++) {
      const id = `44444444-0000-4000-8000-${String(k).padStart(12, "0")}`;
      const body = { id, timestamp: new Date().toISOString(), user_query: "board minutes", conversation: [{ input: "summarise", output: `${filler} acmecorp` }] };
      await repository.save(id, interactionSchema.parse(body), JSON.stringify(body), new Date(), "board");
    }
    await store.db.$client.query("ANALYZE interactions");
  }, 180_000);

  afterAll(async () => {
    if (store) await closeStore(store);
  });

  it("stops a search of 32 common-word phrases within its budget of database time, and the next search is answered", async () => {
    // An ordinary search for comparison: answered.
    const [common, commonMs] = await timed(() => repository.search({ sort: "time", limit: 25, offset: 0, text: "refund", projects: ["support"] }));
    expect(common.count).toBeGreaterThan(0);
    // All its statements together get the search budget (1 s): Postgres stops it there (57014),
    // which the page reports as a search that took too long, rather than holding a core for seconds.
    const [outcome, ms] = await timed(() => repository.search({ sort: "time", limit: 25, offset: 0, text: costlySearch(), projects: ["support"] }).catch((error: unknown) => error));
    if (!(outcome instanceof Error)) expect((outcome as { count: number }).count).toBe(0);
    else expect((outcome as Error & { code?: string }).code).toBe("57014");
    expect(ms, `the costly search took ${Math.round(ms)} ms; "refund" took ${Math.round(commonMs)} ms`).toBeLessThan(1_600);
    // Its connection went back to the pool usable: the transaction was rolled back, the bound lifted.
    const again = await repository.search({ sort: "time", limit: 25, offset: 0, text: "invoice", projects: ["support"] });
    expect(again.count).toBeGreaterThan(0);
    if (store.dialect !== "postgres") throw new Error("expected Postgres");
    const pool = store.db.$client;
    // Every pooled connection at once (poolMax 4): each is back at the pool's own bound.
    const clients = await Promise.all(Array.from({ length: 4 }, () => pool.connect()));
    const timeouts = await Promise.all(clients.map(async (client) => (await client.query<{ timeout: string }>("SELECT current_setting('statement_timeout') AS timeout")).rows[0]!.timeout));
    clients.forEach((client) => client.release());
    expect(timeouts).toEqual(["5s", "5s", "5s", "5s"]);
  }, 120_000);

  it("stops at the budget it was given: with 60 ms, the costly search ends within a fraction of a second", async () => {
    if (store.dialect !== "postgres") throw new Error("expected Postgres");
    const tight = createPostgresInteractionRepository(store.db, { searchBudgetMs: 60 });
    const [outcome, ms] = await timed(() => tight.search({ sort: "time", limit: 25, offset: 0, text: costlySearch(), projects: ["support"] }).catch((error: unknown) => error));
    expect((outcome as Error & { code?: string }).code).toBe("57014");
    expect(ms).toBeLessThan(400);
  });

  async function medianMs(text: string): Promise<number> {
    const samples: number[] = [];
    for (let i = 0; i < 7; i++) {
      const [result, ms] = await timed(() => repository.search({ sort: "time", limit: 25, offset: 0, text, projects: ["support"] }));
      // Neither search shows the viewer anything: the word exists only in the hidden project.
      expect(result.count).toBe(0);
      samples.push(ms);
    }
    return samples.sort((a, b) => a - b)[3]!;
  }

  it("takes as long for a word only a hidden project holds as for a word nobody holds", async () => {
    const repeat = (word: string) => Array.from({ length: 32 }, () => word).join(" ");
    await medianMs(repeat("warmup"));
    const absent = await medianMs(repeat("acmecorq"));
    const hiddenOnly = await medianMs(repeat("acmecorp"));
    // README: "For anyone else a restricted project does not exist". A many times slower answer says it does.
    expect(hiddenOnly - absent, `hidden-only word: ${Math.round(hiddenOnly)} ms, absent word: ${Math.round(absent)} ms`).toBeLessThan(50);
  }, 120_000);
});
