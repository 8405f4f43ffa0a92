import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Store } from "@/db/client";
import { storeForEachTest } from "@/test/store-for-each-test";
import { testStores } from "@/test/stores";
import type { ClientIdentity } from "./client-identity";
import { cookieHeader, currentViewer, isPublicPath, parseGroups, VIEWER_HEADER } from "./index";

// Counts how often the password's tag is computed; the real function still does the work.
vi.mock("./sessions", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./sessions")>();
  return { ...actual, passwordTag: vi.fn(actual.passwordTag) };
});

describe("isPublicPath: what anyone may request when access is protected", () => {
  it.each([
    ["/api/health", "GET"],
    ["/api/health", "HEAD"],
    ["/api/ready", "GET"],
    ["/api/ready", "HEAD"],
    ["/login", "GET"],
    ["/login", "HEAD"],
    ["/api/session", "POST"],
    ["/api/session", "DELETE"],
    ["/s/abc_DEF-123", "GET"],
    ["/s/abc_DEF-123/", "HEAD"],
  ])("%s %s is public", (path, method) => {
    expect(isPublicPath(path, method)).toBe(true);
  });

  it.each([
    // Writes to the read-only public pages (a server action posts to a page).
    ["/login", "POST"],
    ["/s/abc", "POST"],
    ["/s/abc", "DELETE"],
    ["/api/health", "POST"],
    ["/api/ready", "POST"],
    ["/api/ready/x", "GET"],
    ["/api/session", "GET"],
    ["/api/session", "PUT"],
    // Look-alikes of public paths.
    ["/s/", "GET"],
    ["/s/abc/x", "GET"],
    ["/x/s/abc", "GET"],
    ["/api/health/x", "GET"],
    ["/api/healthz", "GET"],
    ["/login/x", "GET"],
    ["/api/session/x", "POST"],
    // Everything else, reads included.
    ["/", "GET"],
    ["/interactions/0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01", "GET"],
    ["/api/interactions", "GET"],
    ["/api/share-links", "GET"],
    ["/shared", "GET"],
  ])("%s %s needs a viewer", (path, method) => {
    expect(isPublicPath(path, method)).toBe(false);
  });
});

describe("cookieHeader", () => {
  it("sets an HttpOnly, SameSite=Lax cookie for the whole site, Secure only over https", () => {
    expect(cookieHeader("inspector_session", "abc.def", 43_200, false)).toBe("inspector_session=abc.def; Path=/; HttpOnly; SameSite=Lax; Max-Age=43200");
    expect(cookieHeader("inspector_session", "", 0, true)).toBe("inspector_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure");
  });
});

describe("currentViewer", () => {
  it("reads the viewer proxy.ts attached, and falls back to anyone when there is none or it is unreadable", () => {
    const viewer = { name: "ana@example.com", via: "trusted-header" };
    expect(currentViewer(new Headers({ [VIEWER_HEADER]: JSON.stringify(viewer) }))).toEqual(viewer);
    expect(currentViewer(new Headers())).toEqual({ name: "anyone", via: "open" });
    expect(currentViewer(new Headers({ [VIEWER_HEADER]: "{not json" }))).toEqual({ name: "anyone", via: "open" });
  });
});

const identity = (mayCarryUserHeader: boolean): ClientIdentity => ({ address: "127.0.0.1", peer: "127.0.0.1", peerTrusted: false, mayCarryUserHeader, proto: "http", host: "inspector.local" });

/** lib/access as a fresh start with these settings would see them (configuration is read once). */
async function accessWith(settings: Record<string, string>) {
  vi.resetModules();
  for (const name of ["INSPECTOR_PASSWORD", "INSPECTOR_TRUSTED_USER_HEADER", "INSPECTOR_TRUSTED_GROUPS_HEADER", "TRUST_PROXY", "SESSION_SECRET"]) {
    if (settings[name] !== undefined || name !== "SESSION_SECRET") vi.stubEnv(name, settings[name] ?? "");
  }
  delete (globalThis as { __inspectorAccess?: unknown }).__inspectorAccess;
  return import("./index");
}

describe("access mode and the SSO user header", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    delete (globalThis as { __inspectorAccess?: unknown }).__inspectorAccess;
  });

  it("is open, letting anyone in, with neither a password nor an SSO header configured", async () => {
    const access = await accessWith({});
    expect(access.accessMode()).toBe("open");
    expect(access.passwordLoginEnabled()).toBe(false);
    expect(await access.viewerOf(new Headers(), undefined, identity(false))).toEqual({ name: "anyone", via: "open" });
  });

  it("with an SSO header configured, names the user from a proxy allowed to set it, and no one else", async () => {
    const access = await accessWith({ INSPECTOR_TRUSTED_USER_HEADER: "X-Forwarded-User" });
    expect(access.accessMode()).toBe("protected");
    expect(access.passwordLoginEnabled()).toBe(false);
    const headers = new Headers({ "x-forwarded-user": "  ana@example.com " });
    expect(await access.viewerOf(headers, undefined, identity(true))).toEqual({ name: "ana@example.com", via: "trusted-header" });
    // The same header from a peer that may not set it is just a header.
    expect(await access.viewerOf(headers, undefined, identity(false))).toBeNull();
    // An empty header names nobody, and a name is kept to 200 characters.
    expect(await access.viewerOf(new Headers({ "x-forwarded-user": " " }), undefined, identity(true))).toBeNull();
    expect(await access.viewerOf(new Headers(), undefined, identity(true))).toBeNull();
    expect((await access.viewerOf(new Headers({ "x-forwarded-user": "a".repeat(500) }), undefined, identity(true)))?.name).toBe("a".repeat(200));
  });

  it("takes the viewer's groups only beside a user named by a proxy allowed to set it, never alone", async () => {
    const access = await accessWith({ INSPECTOR_TRUSTED_USER_HEADER: "X-Forwarded-User", INSPECTOR_TRUSTED_GROUPS_HEADER: "X-Forwarded-Groups" });
    const both = new Headers({ "x-forwarded-user": "ana@example.com", "x-forwarded-groups": "support, sales" });
    expect(await access.viewerOf(both, undefined, identity(true))).toEqual({ name: "ana@example.com", via: "trusted-header", groups: ["support", "sales"] });
    // From a peer that may not set the headers, neither counts.
    expect(await access.viewerOf(both, undefined, identity(false))).toBeNull();
    // Groups without a user name nobody.
    expect(await access.viewerOf(new Headers({ "x-forwarded-groups": "support" }), undefined, identity(true))).toBeNull();
    // A user without groups sees only the projects open to everyone.
    expect(await access.viewerOf(new Headers({ "x-forwarded-user": "ana@example.com" }), undefined, identity(true))).toEqual({ name: "ana@example.com", via: "trusted-header" });
  });

  it("ignores a groups header nobody configured", async () => {
    const access = await accessWith({ INSPECTOR_TRUSTED_USER_HEADER: "X-Forwarded-User" });
    const headers = new Headers({ "x-forwarded-user": "ana@example.com", "x-forwarded-groups": "admins" });
    expect(await access.viewerOf(headers, undefined, identity(true))).toEqual({ name: "ana@example.com", via: "trusted-header" });
  });

  it("with only a password configured, is protected and signs in by password", async () => {
    const access = await accessWith({ INSPECTOR_PASSWORD: "correct-horse-battery" });
    expect(access.accessMode()).toBe("protected");
    expect(access.passwordLoginEnabled()).toBe(true);
  });

});

describe.each(testStores())("password sessions and the session secret on %s", (dialect) => {
  const storeHolder = globalThis as typeof globalThis & { __inspectorStore?: Store };
  const emptyStore = storeForEachTest(dialect);
  let store: Store;

  beforeEach(() => {
    store = emptyStore();
  });

  afterAll(() => {
    delete storeHolder.__inspectorStore;
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    delete (globalThis as { __inspectorAccess?: unknown }).__inspectorAccess;
  });

  /** lib/access over the test store, as the app's getStore() hands it out. */
  async function accessOverStore(settings: Record<string, string>) {
    storeHolder.__inspectorStore = store;
    return accessWith(settings);
  }

  it("never gives a password session groups, whatever headers the request carries", async () => {
    const access = await accessOverStore({
      SESSION_SECRET: "s".repeat(48),
      INSPECTOR_PASSWORD: "correct-horse-battery",
      INSPECTOR_TRUSTED_USER_HEADER: "X-Forwarded-User",
      INSPECTOR_TRUSTED_GROUPS_HEADER: "X-Forwarded-Groups",
    });
    const signedIn = await access.login("correct-horse-battery", "203.0.113.1", undefined);
    if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.reason}`);
    const viewer = await access.viewerOf(new Headers({ "x-forwarded-groups": "admins" }), signedIn.cookie, identity(false));
    expect(viewer).toEqual({ name: "password", via: "session" });
  });

  it("signs in with the right password only, and signs out one session or all of them", async () => {
    const access = await accessOverStore({ SESSION_SECRET: "s".repeat(48), INSPECTOR_PASSWORD: "correct-horse-battery" });
    expect(await access.login("wrong-horse-battery", "203.0.113.2", undefined)).toMatchObject({ ok: false, reason: "invalid" });
    const first = await access.login("correct-horse-battery", "203.0.113.1", undefined);
    const second = await access.login("correct-horse-battery", "203.0.113.1", undefined);
    if (!first.ok || !second.ok) throw new Error("sign-in failed");
    expect(first.maxAgeSeconds).toBe(12 * 3_600);
    expect(first.cookie).not.toBe(second.cookie);
    expect(await access.viewerOf(new Headers(), first.cookie, identity(false))).toEqual({ name: "password", via: "session" });

    expect(await access.logout(first.cookie)).toBe("password");
    expect(await access.viewerOf(new Headers(), first.cookie, identity(false))).toBeNull();
    expect(await access.logout(first.cookie)).toBeNull();
    expect(await access.viewerOf(new Headers(), second.cookie, identity(false))).toEqual({ name: "password", via: "session" });

    const third = await access.login("correct-horse-battery", "203.0.113.1", undefined);
    if (!third.ok) throw new Error("sign-in failed");
    expect(await access.logoutEverywhere(third.cookie)).toEqual({ viewer: "password", count: 2 });
    expect(await access.viewerOf(new Headers(), second.cookie, identity(false))).toBeNull();
    expect(await access.viewerOf(new Headers(), third.cookie, identity(false))).toBeNull();
    expect(await access.logoutEverywhere(third.cookie)).toBeNull();
  });

  it("computes the password's tag once per process, not on every request", async () => {
    const access = await accessOverStore({ SESSION_SECRET: "s".repeat(48), INSPECTOR_PASSWORD: "correct-horse-battery" });
    const { passwordTag } = await import("./sessions");
    vi.mocked(passwordTag).mockClear();
    const signedIn = await access.login("correct-horse-battery", "203.0.113.1", undefined);
    if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.reason}`);
    for (let request = 0; request < 5; request++) {
      expect(await access.viewerOf(new Headers(), signedIn.cookie, identity(false))).toEqual({ name: "password", via: "session" });
    }
    expect(await access.viewerOf(new Headers(), "forged.cookie", identity(false))).toBeNull();
    expect(await access.revokeSessionsOfOldPasswords()).toBe(0);
    expect(passwordTag).toHaveBeenCalledTimes(1);
  });

  it("ends the sessions of an earlier password at the next start", async () => {
    const before = await accessOverStore({ SESSION_SECRET: "s".repeat(48), INSPECTOR_PASSWORD: "correct-horse-battery" });
    const signedIn = await before.login("correct-horse-battery", "203.0.113.1", undefined);
    if (!signedIn.ok) throw new Error("sign-in failed");
    const after = await accessOverStore({ SESSION_SECRET: "s".repeat(48), INSPECTOR_PASSWORD: "a-new-password-now" });
    expect(await after.viewerOf(new Headers(), signedIn.cookie, identity(false))).toBeNull();
    expect(await after.revokeSessionsOfOldPasswords()).toBeGreaterThanOrEqual(1);
    expect(await after.revokeSessionsOfOldPasswords()).toBe(0);
  });

  /** The stored session secret, read from the store itself; undefined when none was generated. */
  async function storedSecret(): Promise<string | undefined> {
    if (store.dialect === "sqlite") return (store.db.$client.prepare("SELECT value FROM app_settings WHERE key = 'session_secret'").get() as { value: string } | undefined)?.value;
    return (await store.db.$client.query<{ value: string }>("SELECT value FROM app_settings WHERE key = 'session_secret'")).rows[0]?.value;
  }

  async function forgetStoredSecret(): Promise<void> {
    if (store.dialect === "sqlite") store.db.$client.prepare("DELETE FROM app_settings WHERE key = 'session_secret'").run();
    else await store.db.$client.query("DELETE FROM app_settings WHERE key = 'session_secret'");
  }

  it("generates the session secret once and keeps it in the store, for every later start and replica", async () => {
    await forgetStoredSecret();
    const first = await accessOverStore({ INSPECTOR_PASSWORD: "correct-horse-battery" });
    expect(() => first.sessionSecret()).toThrow(/before loadSessionSecret\(\) ran/);
    const secret = await first.loadSessionSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(await storedSecret()).toBe(secret);
    expect(first.sessionSecret()).toBe(secret);
    const signedIn = await first.login("correct-horse-battery", "203.0.113.1", undefined);
    if (!signedIn.ok) throw new Error("sign-in failed");

    // Another process on the same store reads the same secret, so the cookie holds there too.
    const second = await accessOverStore({ INSPECTOR_PASSWORD: "correct-horse-battery" });
    expect(await second.loadSessionSecret()).toBe(secret);
    expect(await second.viewerOf(new Headers(), signedIn.cookie, identity(false))).toEqual({ name: "password", via: "session" });
  });

  it("takes SESSION_SECRET as given, never writing one to the store", async () => {
    await forgetStoredSecret();
    const configured = "c".repeat(48);
    const access = await accessOverStore({ SESSION_SECRET: configured });
    expect(access.sessionSecret()).toBe(configured);
    expect(await access.loadSessionSecret()).toBe(configured);
    expect(await storedSecret()).toBeUndefined();
  });
});

describe("parseGroups", () => {
  it("reads a comma-separated list, trimming names and dropping empty ones and repeats", () => {
    expect(parseGroups(" support ,sales,, ,support,Ops Team ")).toEqual(["support", "sales", "Ops Team"]);
    expect(parseGroups("")).toEqual([]);
    expect(parseGroups(null)).toEqual([]);
    expect(parseGroups(" , ,")).toEqual([]);
  });

  it("ignores names longer than 200 characters", () => {
    expect(parseGroups(`${"g".repeat(201)},sales,${"h".repeat(200)}`)).toEqual(["sales", "h".repeat(200)]);
  });

  it("keeps at most 100 groups, however long the header", () => {
    const many = Array.from({ length: 5_000 }, (_, index) => `group-${index}`).join(",");
    const groups = parseGroups(many);
    expect(groups).toHaveLength(100);
    expect(groups[0]).toBe("group-0");
    expect(groups[99]).toBe("group-99");
  });
});
