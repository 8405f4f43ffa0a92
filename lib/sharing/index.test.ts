import { asc } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Store } from "@/db/client";
import { auditEvents, shareLinks, type AuditEventRow, type ShareLinkRow } from "@/db/schema";
import { auditEvents as postgresAuditEvents, shareLinks as postgresShareLinks } from "@/db/schema.postgres";
import { sha256 } from "@/lib/access/tokens";
import { storeForEachTest } from "@/test/store-for-each-test";
import { testStores } from "@/test/stores";
import { HIDDEN_SHARE_HIDES } from "./redaction";

/**
 * The share-link service over the app's own wiring (demo data, an empty store of each kind): what
 * a link stores, what opening, listing and revoking it do, and what the audit log records.
 */
const REFUND_ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";
const ORIGIN = "https://inspector.example.com";
const HOUR = 3_600_000;
const START = Date.parse("2026-11-29T10:00:00Z");
/** A viewer with no groups: in demo mode it sees both demo projects, which restrict nobody. */
const EVERYONE = {};

type Globals = typeof globalThis & Record<"__inspectorServices" | "__inspectorShareLinks" | "__inspectorAuditLog", unknown> & { __inspectorStore?: Store };
const globals = globalThis as Globals;

function forgetServices() {
  for (const name of ["__inspectorServices", "__inspectorShareLinks", "__inspectorAuditLog"] as const) delete globals[name];
}

/** lib/sharing as a fresh process would see it (its view log is per process). */
async function sharing() {
  vi.resetModules();
  return import("./index");
}

/** Every share link the store holds, read from the store itself. */
async function storedLinks(store: Store): Promise<ShareLinkRow[]> {
  if (store.dialect === "sqlite") return store.db.select().from(shareLinks).all();
  return store.db.select().from(postgresShareLinks);
}

/** Every audit event the store holds, oldest first. */
async function storedEvents(store: Store): Promise<AuditEventRow[]> {
  if (store.dialect === "sqlite") return store.db.select().from(auditEvents).orderBy(asc(auditEvents.id)).all();
  return store.db.select().from(postgresAuditEvents).orderBy(asc(postgresAuditEvents.id));
}

const tokenOf = (url: string) => url.slice(`${ORIGIN}/s/`.length);

describe.each(testStores())("on %s", (dialect) => {
  const store = storeForEachTest(dialect);
  const actions = async () => (await storedEvents(store())).map((event) => event.action);

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(START);
    vi.stubEnv("NEBULY_API_KEY", "");
    vi.stubEnv("LOG_LEVEL", "silent");
    globals.__inspectorStore = store();
    forgetServices();
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
    forgetServices();
    delete globals.__inspectorStore;
  });

  describe("createShareLink", () => {
    it("returns a URL on the given origin with a long random token, and stores only the token's hash", async () => {
      const { createShareLink } = await sharing();
      const link = await createShareLink({ interactionId: REFUND_ID, expiresIn: "1d", hideSensitive: false, createdBy: "ana", origin: ORIGIN, viewer: EVERYONE, actor: "ana", client: "203.0.113.1" });
      expect(link.url).toMatch(new RegExp(`^${ORIGIN}/s/[A-Za-z0-9_-]{43}$`));
      const token = tokenOf(link.url);
      expect(link.url).not.toContain(REFUND_ID);
      const rows = await storedLinks(store());
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: link.id, tokenHash: sha256(token), interactionId: REFUND_ID, createdBy: "ana", hideSensitive: false, views: 0 });
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(link.id).toMatch(/^[A-Za-z0-9_-]{12}$/);
      // Every link gets its own token and id.
      const second = await createShareLink({ interactionId: REFUND_ID, expiresIn: "1d", hideSensitive: false, createdBy: "ana", origin: ORIGIN, viewer: EVERYONE });
      expect(tokenOf(second.url)).not.toBe(token);
      expect(second.id).not.toBe(link.id);
    });

    it("expires after the chosen time, or never", async () => {
      const { createShareLink } = await sharing();
      const day = await createShareLink({ interactionId: REFUND_ID, expiresIn: "1d", hideSensitive: false, createdBy: null, origin: ORIGIN, viewer: EVERYONE });
      expect(day.expiresAt).toBe(new Date(START + 24 * HOUR).toISOString());
      const never = await createShareLink({ interactionId: REFUND_ID, expiresIn: "never", hideSensitive: false, createdBy: null, origin: ORIGIN, viewer: EVERYONE });
      expect(never.expiresAt).toBeNull();
    });

    it("refuses an id that is not an interaction id, and one Nebuly does not know, storing nothing", async () => {
      const { createShareLink } = await sharing();
      await expect(createShareLink({ interactionId: "not-an-id", expiresIn: "1d", hideSensitive: false, createdBy: null, origin: ORIGIN, viewer: EVERYONE })).rejects.toMatchObject({ code: "invalid_interaction_id" });
      await expect(createShareLink({ interactionId: "00000000-0000-4000-8000-000000000000", expiresIn: "1d", hideSensitive: false, createdBy: null, origin: ORIGIN, viewer: EVERYONE })).rejects.toMatchObject({ code: "not_found" });
      expect((await storedLinks(store()))).toHaveLength(0);
    });

    it("records who created which link, for which interaction, with its options", async () => {
      const { createShareLink } = await sharing();
      const link = await createShareLink({ interactionId: REFUND_ID, expiresIn: "7d", hideSensitive: true, createdBy: "ana", origin: ORIGIN, viewer: EVERYONE, actor: "ana", client: "203.0.113.1" });
      const [event] = await storedEvents(store());
      expect(event).toMatchObject({ action: "share_link_created", actor: "ana", client: "203.0.113.1", target: link.id });
      expect(JSON.parse(event.detail!)).toEqual({ interactionId: REFUND_ID, expiresIn: "7d", hideSensitive: true });
    });
  });

  describe("openShareLink and shareTokenState", () => {
    it("opens a live link by its token, counts the view and shows the cached interaction", async () => {
      const { createShareLink, openShareLink, shareTokenState, listShareLinks } = await sharing();
      const { url, id } = await createShareLink({ interactionId: REFUND_ID, expiresIn: "1d", hideSensitive: false, createdBy: null, origin: ORIGIN, viewer: EVERYONE });
      expect(await shareTokenState(tokenOf(url))).toBe("open");
      // Asking the state counts nothing.
      expect((await listShareLinks(EVERYONE))[0].views).toBe(0);
      vi.setSystemTime(START + HOUR);
      const opened = await openShareLink(tokenOf(url), { client: "198.51.100.7" });
      if (opened.state !== "open") throw new Error(`expected an open link, got ${opened.state}`);
      expect(opened.link).toEqual({ id, expiresAt: new Date(START + 24 * HOUR), hideSensitive: false });
      expect(opened.view.id).toBe(REFUND_ID);
      expect((await listShareLinks(EVERYONE))[0]).toMatchObject({ views: 1, lastViewedAt: new Date(START + HOUR).toISOString() });
      await openShareLink(tokenOf(url), { client: "198.51.100.7" });
      expect((await listShareLinks(EVERYONE))[0].views).toBe(2);
    });

    it("a hidden link's view leaves out the user", async () => {
      const { createShareLink, openShareLink } = await sharing();
      const { url } = await createShareLink({ interactionId: REFUND_ID, expiresIn: "1d", hideSensitive: true, createdBy: null, origin: ORIGIN, viewer: EVERYONE });
      const opened = await openShareLink(tokenOf(url));
      if (opened.state !== "open") throw new Error(`expected an open link, got ${opened.state}`);
      expect(opened.link.hideSensitive).toBe(true);
      expect(opened.view.user).toBeFalsy();
    });

    it("knows nothing of a token it never issued, a tampered one or one of the wrong shape", async () => {
      const { createShareLink, openShareLink, shareTokenState } = await sharing();
      const { url } = await createShareLink({ interactionId: REFUND_ID, expiresIn: "1d", hideSensitive: false, createdBy: null, origin: ORIGIN, viewer: EVERYONE });
      const token = tokenOf(url);
      const row = (await storedLinks(store()))[0]!;
      // The stored hash is not a token: knowing the database gives no way in.
      for (const guess of [`${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`, token.slice(0, 20), row.tokenHash, row.id, "a".repeat(19), `${token}/x`, "", "a".repeat(101)]) {
        expect(await shareTokenState(guess), guess).toBe("unknown");
        expect(await openShareLink(guess), guess).toEqual({ state: "unknown" });
      }
    });

    it("a revoked or expired link is closed, and says nothing more", async () => {
      const { createShareLink, openShareLink, revokeShareLink, shareTokenState } = await sharing();
      const revoked = await createShareLink({ interactionId: REFUND_ID, expiresIn: "never", hideSensitive: false, createdBy: null, origin: ORIGIN, viewer: EVERYONE });
      await revokeShareLink(revoked.id, { viewer: EVERYONE });
      expect(await shareTokenState(tokenOf(revoked.url))).toBe("closed");
      expect(await openShareLink(tokenOf(revoked.url))).toEqual({ state: "closed" });

      const hourly = await createShareLink({ interactionId: REFUND_ID, expiresIn: "1h", hideSensitive: false, createdBy: null, origin: ORIGIN, viewer: EVERYONE });
      vi.setSystemTime(START + HOUR - 1);
      expect(await shareTokenState(tokenOf(hourly.url))).toBe("open");
      vi.setSystemTime(START + HOUR);
      expect(await shareTokenState(tokenOf(hourly.url))).toBe("closed");
      expect(await openShareLink(tokenOf(hourly.url))).toEqual({ state: "closed" });
    });

    it("logs one view per link and client a minute, anonymously", async () => {
      const { createShareLink, openShareLink } = await sharing();
      const { url, id } = await createShareLink({ interactionId: REFUND_ID, expiresIn: "1d", hideSensitive: false, createdBy: "ana", origin: ORIGIN, viewer: EVERYONE });
      for (let reload = 0; reload < 3; reload++) await openShareLink(tokenOf(url), { client: "198.51.100.7" });
      await openShareLink(tokenOf(url), { client: "198.51.100.8" });
      const views = (await storedEvents(store())).filter((event) => event.action === "share_link_viewed");
      expect(views.map((event) => [event.actor, event.client, event.target])).toEqual([
        [null, "198.51.100.7", id],
        [null, "198.51.100.8", id],
      ]);
      expect(JSON.parse(views[0].detail!)).toEqual({ interactionId: REFUND_ID });
    });
  });

  describe("listShareLinks and revokeShareLink", () => {
    it("lists links newest first with their interaction, options and status", async () => {
      const { createShareLink, listShareLinks, revokeShareLink } = await sharing();
      const first = await createShareLink({ interactionId: REFUND_ID, expiresIn: "1h", hideSensitive: true, createdBy: "ana", origin: ORIGIN, viewer: EVERYONE });
      vi.setSystemTime(START + 1_000);
      const second = await createShareLink({ interactionId: REFUND_ID, expiresIn: "30d", hideSensitive: false, createdBy: "bo", origin: ORIGIN, viewer: EVERYONE });
      await revokeShareLink(second.id, { viewer: EVERYONE });
      vi.setSystemTime(START + 2 * HOUR);
      const [newest, oldest] = await listShareLinks(EVERYONE);
      expect(newest).toMatchObject({ id: second.id, createdBy: "bo", expiresIn: "30d", hideSensitive: false, hiddenFields: [], status: "revoked", revokedAt: new Date(START + 1_000).toISOString() });
      expect(oldest).toMatchObject({ id: first.id, interactionId: REFUND_ID, createdBy: "ana", expiresIn: "1h", hideSensitive: true, status: "expired", revokedAt: null, views: 0, lastViewedAt: null });
      expect(oldest.hiddenFields).toEqual([...HIDDEN_SHARE_HIDES]);
      expect(oldest.interactionTitle).toBeTruthy();
      expect(oldest.createdAt).toBe(new Date(START).toISOString());
      // The list never carries the token or its hash.
      expect(JSON.stringify(await listShareLinks(EVERYONE))).not.toMatch(/tokenHash|\/s\//);
    });

    it("revokes once: a second revocation changes nothing and logs nothing; an unknown id is not found", async () => {
      const { createShareLink, listShareLinks, revokeShareLink } = await sharing();
      const { id } = await createShareLink({ interactionId: REFUND_ID, expiresIn: "1d", hideSensitive: false, createdBy: null, origin: ORIGIN, viewer: EVERYONE });
      await revokeShareLink(id, { actor: "ana", client: "203.0.113.1", viewer: EVERYONE });
      vi.setSystemTime(START + HOUR);
      await revokeShareLink(id, { actor: "bo", client: "203.0.113.2", viewer: EVERYONE });
      expect((await listShareLinks(EVERYONE))[0].revokedAt).toBe(new Date(START).toISOString());
      expect(await actions()).toEqual(["share_link_created", "share_link_revoked"]);
      const revoked = (await storedEvents(store()))[1];
      expect(revoked).toMatchObject({ actor: "ana", client: "203.0.113.1", target: id });
      expect(JSON.parse(revoked.detail!)).toEqual({ interactionId: REFUND_ID });
      await expect(revokeShareLink("no-such-link", { viewer: EVERYONE })).rejects.toMatchObject({ code: "not_found" });
    });
  });
});

