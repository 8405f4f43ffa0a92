import { beforeAll, describe, expect, it } from "vitest";
import type { Store } from "@/db/client";
import { openTestStore, testStores } from "@/test/stores";
import { parseAuditQuery } from "./query";
import { createAuditLog } from "./service";

/*
 * Attack: GET /api/audit?cursor=… accepts any `<digits>.<digits>` of up to 15 digits each (the
 * cursor is read back from the query string, so anyone signed in chooses it). The id half is
 * compared with audit_events.id, an integer (int4) column on Postgres: an id past 2^31 makes
 * Postgres refuse the query ("out of range for type integer"), a 500 with the query and its
 * parameters in the log, where SQLite answers an empty page.
 */
describe.each(testStores())("the audit log on %s, with a cursor the client made up", (dialect) => {
  let store: Store;

  beforeAll(async () => {
    store = await openTestStore(dialect);
  });

  for (const direction of ["older", "newer"]) {
    it(`answers a page (not an error) for an id past 2^31 (direction=${direction})`, async () => {
      const audit = createAuditLog(store);
      await audit.record({ action: "sign_in", actor: "password", client: "203.0.113.1" }, new Date("2026-11-30T10:00:00Z"));
      const query = parseAuditQuery(new URLSearchParams({ cursor: `${Date.parse("2026-11-30T10:00:00Z")}.999999999999999`, direction }));
      await expect(audit.list(query)).resolves.toMatchObject({ events: expect.any(Array) });
    });
  }
});
