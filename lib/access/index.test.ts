import { afterEach, describe, expect, it, vi } from "vitest";
import { openDatabase, type Db } from "@/db/client";
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

describe("access mode and the SSO user header", () => {
  const identity = (mayCarryUserHeader: boolean): ClientIdentity => ({ address: "127.0.0.1", peer: "127.0.0.1", peerTrusted: false, mayCarryUserHeader, proto: "http", host: "inspector.local" });

  /** lib/access as a fresh start with these settings would see them (configuration is read once). */
  async function accessWith(settings: Record<string, string>) {
    vi.resetModules();
    for (const name of ["INSPECTOR_PASSWORD", "INSPECTOR_TRUSTED_USER_HEADER", "INSPECTOR_TRUSTED_GROUPS_HEADER", "TRUST_PROXY"]) vi.stubEnv(name, settings[name] ?? "");
    delete (globalThis as { __inspectorAccess?: unknown }).__inspectorAccess;
    return import("./index");
  }

  afterEach(() => {
    vi.unstubAllEnvs();
    delete (globalThis as { __inspectorAccess?: unknown }).__inspectorAccess;
  });

  it("is open, letting anyone in, with neither a password nor an SSO header configured", async () => {
    const access = await accessWith({});
    expect(access.accessMode()).toBe("open");
    expect(access.passwordLoginEnabled()).toBe(false);
    expect(access.viewerOf(new Headers(), undefined, identity(false))).toEqual({ name: "anyone", via: "open" });
  });

  it("with an SSO header configured, names the user from a proxy allowed to set it, and no one else", async () => {
    const access = await accessWith({ INSPECTOR_TRUSTED_USER_HEADER: "X-Forwarded-User" });
    expect(access.accessMode()).toBe("protected");
    expect(access.passwordLoginEnabled()).toBe(false);
    const headers = new Headers({ "x-forwarded-user": "  ana@example.com " });
    expect(access.viewerOf(headers, undefined, identity(true))).toEqual({ name: "ana@example.com", via: "trusted-header" });
    // The same header from a peer that may not set it is just a header.
    expect(access.viewerOf(headers, undefined, identity(false))).toBeNull();
    // An empty header names nobody, and a name is kept to 200 characters.
    expect(access.viewerOf(new Headers({ "x-forwarded-user": " " }), undefined, identity(true))).toBeNull();
    expect(access.viewerOf(new Headers(), undefined, identity(true))).toBeNull();
    expect(access.viewerOf(new Headers({ "x-forwarded-user": "a".repeat(500) }), undefined, identity(true))?.name).toBe("a".repeat(200));
  });

  it("takes the viewer's groups only beside a user named by a proxy allowed to set it, never alone", async () => {
    const access = await accessWith({ INSPECTOR_TRUSTED_USER_HEADER: "X-Forwarded-User", INSPECTOR_TRUSTED_GROUPS_HEADER: "X-Forwarded-Groups" });
    const both = new Headers({ "x-forwarded-user": "ana@example.com", "x-forwarded-groups": "support, sales" });
    expect(access.viewerOf(both, undefined, identity(true))).toEqual({ name: "ana@example.com", via: "trusted-header", groups: ["support", "sales"] });
    // From a peer that may not set the headers, neither counts.
    expect(access.viewerOf(both, undefined, identity(false))).toBeNull();
    // Groups without a user name nobody.
    expect(access.viewerOf(new Headers({ "x-forwarded-groups": "support" }), undefined, identity(true))).toBeNull();
    // A user without groups sees only the projects open to everyone.
    expect(access.viewerOf(new Headers({ "x-forwarded-user": "ana@example.com" }), undefined, identity(true))).toEqual({ name: "ana@example.com", via: "trusted-header" });
  });

  it("ignores a groups header nobody configured", async () => {
    const access = await accessWith({ INSPECTOR_TRUSTED_USER_HEADER: "X-Forwarded-User" });
    const headers = new Headers({ "x-forwarded-user": "ana@example.com", "x-forwarded-groups": "admins" });
    expect(access.viewerOf(headers, undefined, identity(true))).toEqual({ name: "ana@example.com", via: "trusted-header" });
  });

  it("never gives a password session groups, whatever headers the request carries", async () => {
    const dbHolder = globalThis as typeof globalThis & { __inspectorDb?: Db };
    dbHolder.__inspectorDb = openDatabase(":memory:");
    try {
      vi.stubEnv("SESSION_SECRET", "s".repeat(48));
      const access = await accessWith({ INSPECTOR_PASSWORD: "correct-horse-battery", INSPECTOR_TRUSTED_USER_HEADER: "X-Forwarded-User", INSPECTOR_TRUSTED_GROUPS_HEADER: "X-Forwarded-Groups" });
      const signedIn = access.login("correct-horse-battery", "203.0.113.1", undefined);
      if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.reason}`);
      const viewer = access.viewerOf(new Headers({ "x-forwarded-groups": "admins" }), signedIn.cookie, identity(false));
      expect(viewer).toEqual({ name: "password", via: "session" });
    } finally {
      dbHolder.__inspectorDb?.$client.close();
      delete dbHolder.__inspectorDb;
    }
  });

  it("with only a password configured, is protected and signs in by password", async () => {
    const access = await accessWith({ INSPECTOR_PASSWORD: "correct-horse-battery" });
    expect(access.accessMode()).toBe("protected");
    expect(access.passwordLoginEnabled()).toBe(true);
  });

  it("computes the password's tag once per process, not on every request", async () => {
    const dbHolder = globalThis as typeof globalThis & { __inspectorDb?: Db };
    dbHolder.__inspectorDb = openDatabase(":memory:");
    try {
      vi.stubEnv("SESSION_SECRET", "s".repeat(48));
      const access = await accessWith({ INSPECTOR_PASSWORD: "correct-horse-battery" });
      const { passwordTag } = await import("./sessions");
      vi.mocked(passwordTag).mockClear();
      const signedIn = access.login("correct-horse-battery", "203.0.113.1", undefined);
      if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.reason}`);
      for (let request = 0; request < 5; request++) {
        expect(access.viewerOf(new Headers(), signedIn.cookie, identity(false))).toEqual({ name: "password", via: "session" });
      }
      expect(access.viewerOf(new Headers(), "forged.cookie", identity(false))).toBeNull();
      expect(access.revokeSessionsOfOldPasswords()).toBe(0);
      expect(passwordTag).toHaveBeenCalledTimes(1);
    } finally {
      dbHolder.__inspectorDb?.$client.close();
      delete dbHolder.__inspectorDb;
    }
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
