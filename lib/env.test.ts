import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EnvError, envSchema, parseEnv } from "./env";

/** What the app runs with when nothing is set: the README's Configuration table. */
const DEFAULTS = {
  NEBULY_API_KEY: undefined,
  NEBULY_PROJECTS: undefined,
  NEBULY_PROJECTS_FILE: undefined,
  NEBULY_API_URL: "https://backend.nebuly.com",
  DATABASE_URL: "file:./data/inspector.db",
  DATABASE_POOL_MAX: 10,
  CACHE_TTL_SECONDS: 600,
  CACHE_RETENTION_DAYS: 90,
  UPSTREAM_TIMEOUT_MS: 10_000,
  PORT: 3000,
  LOG_LEVEL: "info",
  INSPECTOR_PASSWORD: undefined,
  INSPECTOR_TRUSTED_USER_HEADER: undefined,
  INSPECTOR_TRUSTED_GROUPS_HEADER: undefined,
  SESSION_SECRET: undefined,
  SESSION_TTL_HOURS: 12,
  RATE_LIMIT_PER_MINUTE: 120,
  TRUST_PROXY: undefined,
  PUBLIC_URL: undefined,
  SHUTDOWN_GRACE_SECONDS: 10,
  SHUTDOWN_DRAIN_SECONDS: 2,
  METRICS_TOKEN: undefined,
  NODE_ENV: "production",
  // Not a variable: the projects read from NEBULY_PROJECTS(_FILE) or NEBULY_API_KEY; none is demo mode.
  projects: [],
};

// NODE_ENV is set by Next and the npm scripts, never from a .env line: it has no blank form.
const USER_VARIABLES = Object.keys(envSchema.shape).filter((name) => name !== "NODE_ENV");

/** The EnvError parseEnv throws for `source`; fails the test when it does not throw one. */
function rejection(source: Record<string, string>): EnvError {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return error as EnvError;
  }
  throw new Error(`parseEnv accepted ${JSON.stringify(source)}`);
}

describe("parseEnv", () => {
  it("fills in documented defaults and demo mode when nothing is set", () => {
    // Every variable the schema reads has a default listed here, so a new one cannot go untested.
    expect(Object.keys(DEFAULTS).filter((name) => name !== "projects").sort()).toEqual(Object.keys(envSchema.shape).sort());
    expect(parseEnv({})).toEqual(DEFAULTS);
  });

  // `KEY=` lines in .env files, and values that are only spaces, mean "unset": the app must start
  // with the default, not refuse to start or run with an empty key, URL or password.
  it.each(["", " ", "\t"])("treats a blank value (%j) of every variable as unset", (blank) => {
    const source = Object.fromEntries(USER_VARIABLES.map((name) => [name, blank]));
    expect(parseEnv(source)).toEqual(DEFAULTS);
  });

  it.each(USER_VARIABLES)("a blank %s alone falls back to its default", (name) => {
    expect(parseEnv({ [name]: "" })[name as keyof typeof DEFAULTS]).toEqual(DEFAULTS[name as keyof typeof DEFAULTS]);
    expect(parseEnv({ [name]: "  " })).toEqual(DEFAULTS);
  });

  it("reads set values, converting numbers and normalising names", () => {
    expect(
      parseEnv({
        NEBULY_API_KEY: "key-1",
        NEBULY_API_URL: "http://127.0.0.1:9000/",
        CACHE_TTL_SECONDS: "0",
        UPSTREAM_TIMEOUT_MS: "250",
        PORT: "8080",
        INSPECTOR_TRUSTED_USER_HEADER: "X-Forwarded-User",
        SESSION_TTL_HOURS: "1.5",
        TRUST_PROXY: "10.0.0.0/8, 127.0.0.1",
        PUBLIC_URL: "https://inspector.example.com/",
        SHUTDOWN_GRACE_SECONDS: "30",
        SHUTDOWN_DRAIN_SECONDS: "0.5",
      }),
    ).toMatchObject({
      NEBULY_API_KEY: "key-1",
      NEBULY_API_URL: "http://127.0.0.1:9000",
      CACHE_TTL_SECONDS: 0,
      UPSTREAM_TIMEOUT_MS: 250,
      PORT: 8080,
      INSPECTOR_TRUSTED_USER_HEADER: "x-forwarded-user",
      SESSION_TTL_HOURS: 1.5,
      TRUST_PROXY: "10.0.0.0/8, 127.0.0.1",
      PUBLIC_URL: "https://inspector.example.com",
      SHUTDOWN_GRACE_SECONDS: 30,
      SHUTDOWN_DRAIN_SECONDS: 0.5,
    });
  });

  it("takes a SQLite file or a Postgres URL as DATABASE_URL, and a pool size of 1 to 100", () => {
    expect(parseEnv({ DATABASE_URL: "file:/data/inspector.db" }).DATABASE_URL).toBe("file:/data/inspector.db");
    expect(parseEnv({ DATABASE_URL: "postgres://inspector:pw@db.internal:5432/inspector" }).DATABASE_URL).toBe("postgres://inspector:pw@db.internal:5432/inspector");
    expect(parseEnv({ DATABASE_URL: "postgresql://inspector:pw@db.internal/inspector" }).DATABASE_URL).toBe("postgresql://inspector:pw@db.internal/inspector");
    expect(parseEnv({ DATABASE_POOL_MAX: "1" }).DATABASE_POOL_MAX).toBe(1);
    expect(parseEnv({ DATABASE_POOL_MAX: "100" }).DATABASE_POOL_MAX).toBe(100);
  });

  it("never echoes a database password in an error", () => {
    const error = rejection({ DATABASE_URL: "mysql://inspector:hunter2-secret@db.internal/inspector" });
    expect(error.issues).toEqual([expect.stringMatching(/^DATABASE_URL: must be a SQLite file .* or a Postgres URL/)]);
    expect(String(error)).not.toContain("hunter2-secret");
    expect(String(rejection({ DATABASE_URL: "postgres://inspector:hunter2-secret@db.internal" }))).not.toContain("hunter2-secret");
  });

  it("strips a trailing slash from the API URL", () => {
    expect(parseEnv({ NEBULY_API_URL: "http://127.0.0.1:9000/" }).NEBULY_API_URL).toBe("http://127.0.0.1:9000");
  });

  it("takes CACHE_RETENTION_DAYS in whole days, 0 meaning keep forever", () => {
    expect(parseEnv({ CACHE_RETENTION_DAYS: "0" }).CACHE_RETENTION_DAYS).toBe(0);
    expect(parseEnv({ CACHE_RETENTION_DAYS: "30" }).CACHE_RETENTION_DAYS).toBe(30);
    expect(rejection({ CACHE_RETENTION_DAYS: "-5" }).message).toContain("CACHE_RETENTION_DAYS: must be 0 (keep forever) or more days");
  });

  it.each([
    ["NEBULY_API_URL", "not a url"],
    ["NEBULY_API_URL", "ftp://example.com"],
    ["DATABASE_URL", "file:"],
    ["DATABASE_URL", "mysql://user:pass@db.example.com/inspector"],
    ["DATABASE_URL", "postgres://user:pass@db.example.com"],
    ["DATABASE_URL", "postgres:///inspector"],
    ["DATABASE_POOL_MAX", "0"],
    ["DATABASE_POOL_MAX", "101"],
    ["DATABASE_POOL_MAX", "2.5"],
    ["DATABASE_POOL_MAX", "many"],
    ["CACHE_TTL_SECONDS", "-1"],
    ["CACHE_TTL_SECONDS", "1.5"],
    ["CACHE_RETENTION_DAYS", "-1"],
    ["CACHE_RETENTION_DAYS", "30.5"],
    ["CACHE_RETENTION_DAYS", "forever"],
    ["CACHE_RETENTION_DAYS", "100000"],
    ["UPSTREAM_TIMEOUT_MS", "fast"],
    ["UPSTREAM_TIMEOUT_MS", "0"],
    ["PORT", "70000"],
    ["PORT", "0"],
    ["LOG_LEVEL", "loud"],
    ["INSPECTOR_PASSWORD", "short"],
    ["INSPECTOR_TRUSTED_USER_HEADER", "X User: evil"],
    ["INSPECTOR_TRUSTED_GROUPS_HEADER", "X Groups: evil"],
    ["SESSION_SECRET", "too-short"],
    ["SESSION_TTL_HOURS", "0"],
    ["SESSION_TTL_HOURS", "721"],
    ["RATE_LIMIT_PER_MINUTE", "0"],
    ["TRUST_PROXY", "11"],
    ["TRUST_PROXY", "10.0.0.0/33"],
    ["TRUST_PROXY", "proxy.example.com"],
    ["PUBLIC_URL", "https://inspector.example.com/app"],
    ["PUBLIC_URL", "inspector.example.com"],
    ["SHUTDOWN_GRACE_SECONDS", "0"],
    ["SHUTDOWN_GRACE_SECONDS", "ten"],
    ["SHUTDOWN_GRACE_SECONDS", "2.5"],
    ["SHUTDOWN_DRAIN_SECONDS", "-1"],
    ["SHUTDOWN_DRAIN_SECONDS", "61"],
    ["METRICS_TOKEN", "too-short"],
    ["METRICS_TOKEN", "a token with spaces in it"],
  ])("rejects %s=%s with a message naming the variable", (name, value) => {
    const error = rejection({ [name]: value });
    // One problem, and it starts with the variable's name: what the start-up log shows the operator.
    expect(error.issues).toEqual([expect.stringMatching(new RegExp(`^${name}: `))]);
    expect(error.message).toContain(`${name}: `);
  });

  it("names every bad variable at once", () => {
    expect(rejection({ PORT: "x", CACHE_TTL_SECONDS: "-1" }).issues.map((issue) => issue.split(":")[0]).sort()).toEqual([
      "CACHE_TTL_SECONDS",
      "PORT",
    ]);
  });

  it("never echoes the key or the password in an error", () => {
    const error = rejection({ NEBULY_API_KEY: "secret-value-123", INSPECTOR_PASSWORD: "short", PORT: "x" });
    expect(error.message).toContain("PORT: ");
    expect(String(error)).not.toContain("secret-value-123");
    expect(String(error)).not.toContain('"short"');
  });

  it("takes a metrics token as given, and never echoes a rejected one", () => {
    expect(parseEnv({ METRICS_TOKEN: "0123456789abcdef-_.~" }).METRICS_TOKEN).toBe("0123456789abcdef-_.~");
    expect(String(rejection({ METRICS_TOKEN: "short-metric" }))).not.toContain("short-metric");
  });

  it("refuses INSPECTOR_TRUSTED_GROUPS_HEADER without INSPECTOR_TRUSTED_USER_HEADER", () => {
    const error = rejection({ INSPECTOR_TRUSTED_GROUPS_HEADER: "X-Forwarded-Groups" });
    expect(error.issues).toEqual([expect.stringMatching(/^INSPECTOR_TRUSTED_GROUPS_HEADER: needs INSPECTOR_TRUSTED_USER_HEADER/)]);
    expect(
      parseEnv({ INSPECTOR_TRUSTED_GROUPS_HEADER: "X-Forwarded-Groups", INSPECTOR_TRUSTED_USER_HEADER: "X-Forwarded-User" }).INSPECTOR_TRUSTED_GROUPS_HEADER,
    ).toBe("x-forwarded-groups");
  });

  it("makes NEBULY_API_KEY one project, and reads NEBULY_PROJECTS_FILE through the reader it is given", () => {
    const key = `k-${randomUUID()}`;
    expect(parseEnv({ NEBULY_API_KEY: key, NEBULY_API_URL: "http://127.0.0.1:9000/" }).projects).toEqual([
      { slug: "default", name: "Default project", apiKey: key, apiUrl: "http://127.0.0.1:9000" },
    ]);
    const config = parseEnv({ NEBULY_PROJECTS_FILE: "/run/secrets/projects.json" }, () => JSON.stringify([{ slug: "sales", name: "Sales", apiKey: key }]));
    expect(config.projects.map((project) => project.slug)).toEqual(["sales"]);
  });

  it("stops the start on a bad project list, naming it and never the keys, beside other problems", () => {
    const key = `k-${randomUUID()}`;
    const error = rejection({ NEBULY_API_KEY: key, NEBULY_PROJECTS: JSON.stringify([{ slug: "a", name: "A", apiKey: key }]), INSPECTOR_TRUSTED_GROUPS_HEADER: "X-Groups" });
    expect(error.issues).toEqual([
      expect.stringMatching(/^INSPECTOR_TRUSTED_GROUPS_HEADER: /),
      expect.stringMatching(/^NEBULY_API_KEY and NEBULY_PROJECTS are all set/),
    ]);
    expect(String(error)).not.toContain(key);
  });
});
