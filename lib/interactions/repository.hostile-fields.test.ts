import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Store } from "@/db/client";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { createShareLinkRepository } from "@/lib/sharing/repository";
import { openTestStore, testStores } from "@/test/stores";
import { createBrowseCache } from "./browse-cache";
import { parseBrowseQuery, browseCacheKey } from "./browse-query";
import { createInteractionRepository, type InteractionRepository } from "./repository";

/*
 * Found by an attack review of the Postgres store: values SQLite stores without a second thought
 * that Postgres refused (a btree entry past ~2.7 kB, a number past jsonb's numeric range), each of
 * which failed a save or every list showing the row. Every stored field can come from a hostile
 * chat (prompt injection, a chosen user id).
 */
describe.each(testStores())("hostile field sizes (%s): what SQLite stores, Postgres must store too", (dialect) => {
  let store: Store;
  let repository: InteractionRepository;
  let n = 0;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    repository = createInteractionRepository(store);
  });

  // Nebuly passes these through from the chatbot's integration (user ids, conversation ids) or its
  // own analysis; nothing bounds their length. 3,000 characters that do not compress.
  for (const field of ["user", "conversation_id", "topic"]) {
    it(`saves and reads back an interaction whose ${field} is 3,000 characters`, async () => {
      const id = `55555555-0000-4000-8000-${String(++n).padStart(12, "0")}`;
      const body = { id, timestamp: new Date().toISOString(), user_query: "hi", [field]: randomBytes(3_000).toString("base64").slice(0, 3_000), conversation: [{ input: "hi", output: "hello" }] };
      const saved = await repository.save(id, interactionSchema.parse(body), JSON.stringify(body), new Date(), "support");
      expect(saved?.id).toBe(id);
      expect((await repository.find(id))?.id).toBe(id);
    });
  }

  it("finds an interaction by its 3,000-character user id, and not by another id sharing its start", async () => {
    const id = `55555555-0000-4000-8000-${String(++n).padStart(12, "0")}`;
    const user = randomBytes(3_000).toString("base64").slice(0, 3_000);
    const body = { id, timestamp: new Date().toISOString(), user_query: "hi", user, conversation: [{ input: "hi", output: "hello" }] };
    await repository.save(id, interactionSchema.parse(body), JSON.stringify(body), new Date(), "support");
    const found = await repository.search({ user, sort: "time", limit: 10, offset: 0 });
    expect(found.items.map((item) => item.id)).toEqual([id]);
    const other = await repository.search({ user: `x${user.slice(1)}`, sort: "time", limit: 10, offset: 0 });
    expect(other.items).toEqual([]);
  });

  it("caches a Browse page whose filters make a long key (15 user ids of 200 characters)", async () => {
    const params = new URLSearchParams();
    for (let i = 0; i < 15; i++) params.append("user", randomBytes(150).toString("base64").slice(0, 200));
    const key = `support:${browseCacheKey(parseBrowseQuery(params))}`;
    await repository.saveList(key, JSON.stringify({ total: 0, data: [] }), new Date());
    expect((await repository.findList(key))?.key).toBe(key);
  });

  it("keeps Browse badges, suggestions and the share-link list working when one body holds a number jsonb cannot (1e400000)", async () => {
    const id = `55555555-0000-4000-8000-${String(++n).padStart(12, "0")}`;
    // Valid JSON (JSON.parse reads Infinity; SQLite's JSON functions read it), kept byte for byte
    // as Nebuly sent it. jsonb refuses it ("value overflows numeric format"), and it holds no \u
    // escape, which is the only thing title.postgres.ts checks before casting.
    const rawJson = `{"id":"${id}","timestamp":"${new Date().toISOString()}","user_query":"hello","intent":"ask","metadata":{"score":1e400000},"conversation":[{"input":"hello","output":"hi"}]}`;
    await repository.save(id, interactionSchema.parse(JSON.parse(rawJson)), rawJson, new Date(), "support");
    const browse = createBrowseCache(store);
    expect((await browse.summaries([id], ["support"])).get(id)?.title).toBe("hello");
    await expect(browse.suggestions(["support"])).resolves.toBeTruthy();
    const links = createShareLinkRepository(store);
    await links.insert({ id: `link-${n}`, tokenHash: `hash-${n}`, interactionId: id, createdAt: new Date(), createdBy: null, expiresAt: null, hideSensitive: false });
    expect((await links.list()).map((link) => link.interactionTitle)).toContain("hello");
  });
});
