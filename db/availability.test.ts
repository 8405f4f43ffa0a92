import { sql } from "drizzle-orm";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { afterEach, describe, expect, it } from "vitest";
import { toAppError } from "@/lib/errors";
import { freePort } from "@/test/postgres-server";
import { newPostgresDatabase, testStores } from "@/test/stores";
import { isStoreUnreachable, noteStoreBack, noteStoreLost, onPoolFullCheck, onStoreTransitions, storeErrorForLog, storeLastSeenLost } from "./availability";
import { openDatabase, postgresDb, postgresPool } from "./client";

/** An error as pg or node:net raises it: a message and a code. */
function coded(code: string, message = `failure ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

/** How Drizzle reports a failed query: its own error, the driver's as the cause. */
const drizzleWrapped = (cause: unknown, params: unknown[] = ["a-token-hash"]) => new DrizzleQueryError('select "id" from "sessions" where "token_hash" = $1', params, cause as Error);

afterEach(() => noteStoreBack());

describe("isStoreUnreachable", () => {
  it.each([
    ["ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432"],
    ["ECONNRESET", "read ECONNRESET"],
    ["ETIMEDOUT", "connect ETIMEDOUT"],
    ["ENOTFOUND", "getaddrinfo ENOTFOUND db.internal"],
    ["EAI_AGAIN", "getaddrinfo EAI_AGAIN db.internal"],
    ["08006", "connection failure"],
    ["08001", "could not connect"],
    ["57P01", "terminating connection due to administrator command"],
    ["57P03", "the database system is starting up"],
    ["53300", "sorry, too many clients already"],
    ["SQLITE_CANTOPEN", "unable to open database file"],
    ["SQLITE_IOERR_WRITE", "disk I/O error"],
    ["SQLITE_FULL", "database or disk is full"],
    ["SQLITE_READONLY", "attempt to write a readonly database"],
  ])("takes %s as the store being unreachable, bare or wrapped as Drizzle and callers wrap it", (code, message) => {
    const error = coded(code, message);
    expect(isStoreUnreachable(error)).toBe(true);
    expect(isStoreUnreachable(drizzleWrapped(error))).toBe(true);
    expect(isStoreUnreachable(new Error("Failed query: select 1\nparams: ", { cause: error }))).toBe(true);
    expect(isStoreUnreachable(new Error("could not load the session", { cause: drizzleWrapped(error) }))).toBe(true);
  });

  it.each([
    "Connection terminated unexpectedly",
    "Connection terminated due to connection timeout",
    "timeout exceeded when trying to connect",
    "Client has encountered a connection error and is not queryable",
    "the database is closed: the server is shutting down",
  ])("takes pg's uncoded message %j as the store being unreachable", (message) => {
    expect(isStoreUnreachable(new Error(message))).toBe(true);
    expect(isStoreUnreachable(drizzleWrapped(new Error(message)))).toBe(true);
  });

  it.each([
    ["a unique violation", coded("23505", 'duplicate key value violates unique constraint "share_links_pkey"')],
    ["a syntax error", coded("42601", 'syntax error at or near "selec"')],
    ["a missing table", coded("42P01", 'relation "nope" does not exist')],
    ["a serialization failure", coded("40001", "could not serialize access")],
    ["a SQLite constraint", coded("SQLITE_CONSTRAINT_UNIQUE", "UNIQUE constraint failed: sessions.id")],
    ["a wrapped bug", drizzleWrapped(new TypeError("Cannot read properties of undefined (reading 'id')"))],
    ["a plain bug", new RangeError("Invalid time value")],
    ["a message that only mentions a connection", new Error("Terminating: Connection terminated unexpectedly")],
    ["a string", "ECONNREFUSED"],
    ["null", null],
    ["undefined", undefined],
  ])("does not take %s for the store being unreachable", (_name, error) => {
    expect(isStoreUnreachable(error)).toBe(false);
    expect(storeLastSeenLost()).toBe(false);
  });

  it("looks a few causes deep, and stops on a cycle", () => {
    const looped = new Error("outer") as Error & { cause?: unknown };
    looped.cause = new Error("inner", { cause: looped });
    expect(isStoreUnreachable(looped)).toBe(false);
    const deep = [1, 2, 3].reduce<Error>((cause, level) => new Error(`level ${level}`, { cause }), coded("ECONNREFUSED"));
    expect(isStoreUnreachable(deep)).toBe(true);
  });

  it("notes the loss, until the store is seen back", () => {
    expect(storeLastSeenLost()).toBe(false);
    isStoreUnreachable(coded("23505"));
    expect(storeLastSeenLost()).toBe(false);
    isStoreUnreachable(drizzleWrapped(coded("ECONNREFUSED")));
    expect(storeLastSeenLost()).toBe(true);
    noteStoreBack();
    expect(storeLastSeenLost()).toBe(false);
    noteStoreLost();
    expect(storeLastSeenLost()).toBe(true);
  });

  it("makes toAppError answer 503 storage_unavailable with a retry, and a bug still 500", () => {
    const unavailable = toAppError(drizzleWrapped(coded("57P01", "terminating connection due to administrator command")));
    expect(unavailable.code).toBe("storage_unavailable");
    expect(unavailable.status).toBe(503);
    expect(unavailable.retryAfterSeconds).toBe(5);
    expect(unavailable.message).not.toContain("a-token-hash");
    expect(toAppError(drizzleWrapped(coded("23505"))).code).toBe("internal_error");
  });
});

describe("storeErrorForLog", () => {
  const SECRET = "interaction text: my card number is 4111";

  it("gives the driver's code and message, never Drizzle's text with the parameters", () => {
    const logged = storeErrorForLog(drizzleWrapped(coded("23505", 'duplicate key value violates unique constraint "sessions_pkey"'), [SECRET]));
    // Quoted names and values alike are masked: a driver quotes the value it refused.
    expect(logged).toEqual({ code: "23505", message: 'duplicate key value violates unique constraint "…"' });
    const refused = storeErrorForLog(drizzleWrapped(coded("22P02", `invalid input syntax for type uuid: "${SECRET}"`), []));
    expect(refused).toEqual({ code: "22P02", message: 'invalid input syntax for type uuid: "…"' });
    expect(JSON.stringify(logged)).not.toContain("params:");
    expect(JSON.stringify(logged)).not.toContain(SECRET);
  });

  it("cuts Drizzle's parameters off when no cause carries a code", () => {
    for (const error of [drizzleWrapped(new Error("Connection terminated unexpectedly"), [SECRET]), drizzleWrapped(undefined, [SECRET]), new Error(`Failed query: select 1\nparams: ${SECRET}`)]) {
      const logged = storeErrorForLog(error);
      expect(logged.code).toBeUndefined();
      expect(logged.message).toMatch(/^Failed query: /);
      expect(logged.message).not.toContain("params:");
      expect(logged.message).not.toContain(SECRET);
    }
  });

  it("keeps a log line short, and takes anything thrown", () => {
    expect(storeErrorForLog(coded("XX000", "x".repeat(5_000))).message).toHaveLength(300);
    expect(storeErrorForLog(new Error("y".repeat(5_000))).message).toHaveLength(300);
    expect(storeErrorForLog("a string")).toEqual({ message: "a string" });
    expect(storeErrorForLog(undefined)).toEqual({ message: "undefined" });
  });

  it("never shows the parameters of a real failed SQLite query", () => {
    const db = openDatabase(":memory:");
    let failure: unknown;
    try {
      db.run(sql`INSERT INTO no_such_table (value) VALUES (${SECRET})`);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(Error);
    const logged = JSON.stringify(storeErrorForLog(failure));
    expect(logged).toContain("SQLITE_ERROR");
    expect(logged).toContain("no_such_table");
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain("params:");
    expect(isStoreUnreachable(failure)).toBe(false);
    db.$client.close();
  });

  it("never shows the parameters of a real query on an unreachable Postgres, which it takes for unreachable", async () => {
    const pool = postgresPool(`postgres://inspector:pw@127.0.0.1:${await freePort()}/inspector`, 1);
    let failure: unknown;
    try {
      await postgresDb(pool).execute(sql`select ${SECRET}`);
    } catch (error) {
      failure = error;
    } finally {
      await pool.end();
    }
    expect(failure).toBeInstanceOf(Error);
    // What a log line must not show: Drizzle's message quotes the parameters.
    expect((failure as Error).message).toContain(`params: ${SECRET}`);
    expect(isStoreUnreachable(failure)).toBe(true);
    const logged = JSON.stringify(storeErrorForLog(failure));
    expect(logged).toContain("ECONNREFUSED");
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain("params:");
  });
});

describe("store transitions", () => {
  it("tells of the loss once however many failures follow, and of the return once, with how long it lasted", () => {
    const seen: string[] = [];
    onStoreTransitions({ lost: (error) => seen.push(`lost: ${(error as Error).message}`), back: (ms) => seen.push(`back after ${ms} ms`) });
    const refused = Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:5432"), { code: "ECONNREFUSED" });
    for (let i = 0; i < 5; i++) expect(isStoreUnreachable(refused)).toBe(true);
    noteStoreLost(Date.now() + 100);
    noteStoreBack(Date.now() + 2_000);
    noteStoreBack();
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe("lost: connect ECONNREFUSED 10.0.0.5:5432");
    expect(seen[1]).toMatch(/^back after (19|20)\d\d ms$/);
    onStoreTransitions({ lost: () => undefined, back: () => undefined });
  });
});

describe("a pool with every connection busy", () => {
  afterEach(() => onPoolFullCheck(() => false));

  it.runIf(testStores().includes("postgres"))("answers 503 but is not a lost store (proxy.ts would then ping through the same full pool)", async () => {
    // A real pool of one connection, held: the next query waits connectionTimeoutMillis and fails.
    const url = await newPostgresDatabase();
    const pool = postgresPool(url, 1);
    pool.options.connectionTimeoutMillis = 200;
    onPoolFullCheck(() => pool.totalCount >= 1 && pool.idleCount === 0);
    const held = await pool.connect();
    try {
      const error = await pool.query("select 1").catch((caught: unknown) => caught);
      expect(isStoreUnreachable(error)).toBe(true);
      expect(storeLastSeenLost()).toBe(false);
    } finally {
      held.release();
      await pool.end();
    }
  });

  it("is a lost store when the pool was not full (no answer from the server in time)", () => {
    onPoolFullCheck(() => false);
    expect(isStoreUnreachable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(storeLastSeenLost()).toBe(true);
  });
});
