import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createInteractionRepository } from "@/lib/interactions/repository";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { shippedHead } from "@/test/migrations";
import { storeForEachTest } from "@/test/store-for-each-test";
import { testStores } from "@/test/stores";
import { closeStore, openDatabase, type Store } from "./client";
import { pingStore, snapshotCount, storeBytes, storeSchemaState, writeProbe } from "./probe";

async function setting(store: Store, key: string): Promise<string | undefined> {
  if (store.dialect === "sqlite") return (store.db.$client.prepare("SELECT value FROM app_settings WHERE key = ?").get(key) as { value: string } | undefined)?.value;
  return (await store.db.$client.query<{ value: string }>("SELECT value FROM app_settings WHERE key = $1", [key])).rows[0]?.value;
}

describe.each(testStores())("store probes on %s", (dialect) => {
  const store = storeForEachTest(dialect);

  it("reads, and writes one row however often it is asked", async () => {
    await expect(pingStore(store())).resolves.toBeUndefined();
    await writeProbe(store(), new Date("2026-11-30T10:00:00Z"));
    await writeProbe(store(), new Date("2026-11-30T10:00:01Z"));
    expect(await setting(store(), "ready_probe_at")).toBe("2026-11-30T10:00:01.000Z");
  });

  it("finds the schema at this release's head", async () => {
    expect(await storeSchemaState(store())).toEqual({ codeHead: shippedHead(dialect), databaseHead: shippedHead(dialect) });
  });

  it("counts the cached snapshots", async () => {
    expect(await snapshotCount(store())).toBe(0);
    const repository = createInteractionRepository(store());
    for (const id of ["0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01", "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f02"]) {
      const rawJson = JSON.stringify({ id, output: "answer" });
      await repository.save(id, interactionSchema.parse(JSON.parse(rawJson)), rawJson, new Date(), "default");
    }
    expect(await snapshotCount(store())).toBe(2);
  });

  it("measures the database on disk", async () => {
    const bytes = await storeBytes(store());
    // An in-memory SQLite database has no file; a Postgres database always takes some megabytes.
    if (dialect === "sqlite") expect(bytes).toBe(0);
    else expect(bytes).toBeGreaterThan(1_000_000);
  });
});

describe("storeBytes of a SQLite file", () => {
  it("counts the file and its write-ahead log", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "inspector-probe-")), "inspector.db");
    const store: Store = { dialect: "sqlite", db: openDatabase(file) };
    store.db.$client.prepare("INSERT INTO app_settings (key, value) VALUES ('filler', ?)").run("x".repeat(100_000));
    const size = (candidate: string) => (fs.existsSync(candidate) ? fs.statSync(candidate).size : 0);
    expect(await storeBytes(store)).toBe(size(file) + size(`${file}-wal`));
    expect(size(`${file}-wal`)).toBeGreaterThan(0);
    await closeStore(store);
  });
});
