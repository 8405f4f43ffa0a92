import { asc } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Store } from "@/db/client";
import { auditEvents, type AuditEventRow } from "@/db/schema";
import { auditEvents as postgresAuditEvents } from "@/db/schema.postgres";
import { storeForEachTest } from "@/test/store-for-each-test";
import { testStores } from "@/test/stores";

/**
 * Erasure over the app's own wiring (demo data, an empty store of each kind): what Forget removes,
 * revokes and records, and that an id stored nowhere is not remembered.
 */
const REFUND_ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";
const NEVER_SEEN_ID = "00000000-0000-4000-8000-00000000beef";
const ORIGIN = "https://inspector.example.com";
/** A viewer with no groups: in demo mode it sees both demo projects, which restrict nobody. */
const EVERYONE = {};
const REQUESTER = { actor: "ana", client: "203.0.113.1", viewer: EVERYONE };

type Globals = typeof globalThis & Record<"__inspectorServices" | "__inspectorShareLinks" | "__inspectorAuditLog", unknown> & { __inspectorStore?: Store };
const globals = globalThis as Globals;

function forgetServices() {
  for (const name of ["__inspectorServices", "__inspectorShareLinks", "__inspectorAuditLog"] as const) delete globals[name];
}

async function storedEvents(store: Store): Promise<AuditEventRow[]> {
  if (store.dialect === "sqlite") return store.db.select().from(auditEvents).orderBy(asc(auditEvents.id)).all();
  return store.db.select().from(postgresAuditEvents).orderBy(asc(postgresAuditEvents.id));
}

/** The app's modules as a fresh process loads them. */
async function app() {
  vi.resetModules();
  const [erasure, sharing, interactions] = await Promise.all([import("./index"), import("@/lib/sharing"), import("@/lib/interactions")]);
  return { ...erasure, ...sharing, ...interactions };
}

describe.each(testStores())("forgetInteraction on %s", (dialect) => {
  const store = storeForEachTest(dialect);
  const events = async () => (await storedEvents(store())).map((event) => ({ action: event.action, target: event.target, detail: event.detail && JSON.parse(event.detail) }));

  beforeEach(() => {
    vi.stubEnv("NEBULY_API_KEY", "");
    vi.stubEnv("LOG_LEVEL", "silent");
    globals.__inspectorStore = store();
    forgetServices();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    forgetServices();
    delete globals.__inspectorStore;
  });

  it("deletes the snapshot, revokes its open share links and records both, in the audit log", async () => {
    const { createShareLink, revokeShareLink, forgetInteraction, openShareLink, listShareLinks, forgottenInteraction } = await app();
    const open = await createShareLink({ interactionId: REFUND_ID, expiresIn: "never", hideSensitive: false, createdBy: "ana", origin: ORIGIN, viewer: EVERYONE });
    const revokedBefore = await createShareLink({ interactionId: REFUND_ID, expiresIn: "1d", hideSensitive: false, createdBy: "ana", origin: ORIGIN, viewer: EVERYONE });
    await revokeShareLink(revokedBefore.id, { viewer: EVERYONE });
    const before = (await events()).length;

    expect(await forgetInteraction(REFUND_ID, REQUESTER)).toEqual({ id: REFUND_ID, snapshotDeleted: true, revokedShareLinks: 1, listPagesDeleted: 0, alreadyForgotten: false });
    expect(await forgottenInteraction(REFUND_ID, EVERYONE)).toMatchObject({ forgottenBy: "ana" });
    expect(await openShareLink(open.url.slice(`${ORIGIN}/s/`.length))).toEqual({ state: "closed" });
    const links = await listShareLinks(EVERYONE);
    expect(links.map((link) => [link.id, link.status])).toEqual(expect.arrayContaining([[open.id, "revoked"], [revokedBefore.id, "revoked"]]));
    expect((await events()).slice(before)).toEqual([
      { action: "interaction_forgotten", target: REFUND_ID, detail: expect.any(Object) },
      { action: "share_link_revoked", target: open.id, detail: { interactionId: REFUND_ID, reason: "interaction_forgotten" } },
    ]);
  });

  it("says so when forgetting again, and records nothing more", async () => {
    const { getInteraction, forgetInteraction } = await app();
    await getInteraction(REFUND_ID, EVERYONE);
    await forgetInteraction(REFUND_ID, REQUESTER);
    const before = await events();
    expect(await forgetInteraction(REFUND_ID, REQUESTER)).toEqual({ id: REFUND_ID, snapshotDeleted: false, revokedShareLinks: 0, listPagesDeleted: 0, alreadyForgotten: true });
    expect(await events()).toEqual(before);
  });

  it("answers not found for an id stored nowhere, and does not remember it", async () => {
    const { forgetInteraction, forgottenInteraction } = await app();
    await expect(forgetInteraction(NEVER_SEEN_ID, REQUESTER)).rejects.toMatchObject({ code: "not_found", status: 404 });
    expect(await forgottenInteraction(NEVER_SEEN_ID, EVERYONE)).toBeUndefined();
    expect(await events()).toEqual([]);
  });
});
