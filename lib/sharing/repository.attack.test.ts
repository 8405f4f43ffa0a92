import { beforeAll, describe, expect, it } from "vitest";
import { openTestStore, testStores } from "@/test/stores";
import { createShareLinkRepository, type ShareLinkRepository } from "./repository";

/*
 * Attack: DELETE /api/share-links/a%00b. The link id comes from the path; SQLite finds no such
 * link (404), Postgres refuses the statement ("invalid byte sequence for encoding UTF8: 0x00"),
 * which answers 500 and logs the query with its parameters.
 */
describe.each(testStores())("share links on %s, looked up by an id holding NUL", (dialect) => {
  let links: ShareLinkRepository;

  beforeAll(async () => {
    links = createShareLinkRepository(await openTestStore(dialect));
  });

  it("finds no link (as for any unknown id) instead of failing", async () => {
    await expect(links.find("ab\u0000cd")).resolves.toBeUndefined();
  });
});
