import { afterAll, describe, expect, inject, it } from "vitest";
import { openTestStore } from "@/test/stores";
import { openStore, closeStore, type Store } from "./client";
import { jobLockKey, runExclusive } from "./job-lock";

/** A promise and the function that settles it: work that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe("jobLockKey", () => {
  it("is a stable signed 64-bit integer per job name", () => {
    const key = jobLockKey("retention");
    expect(key).toMatch(/^-?\d+$/);
    expect(BigInt(key)).toBeGreaterThanOrEqual(-(2n ** 63n));
    expect(BigInt(key)).toBeLessThan(2n ** 63n);
    expect(jobLockKey("retention")).toBe(key);
    expect(jobLockKey("audit-prune")).not.toBe(key);
  });
});

describe("runExclusive on SQLite", () => {
  it("just runs the work, even twice at once (one process per file)", async () => {
    const store = await openTestStore("sqlite");
    const first = gate();
    let runs = 0;
    const a = runExclusive(store, "retention", async () => {
      runs += 1;
      await first.opened;
      return "a";
    });
    const b = runExclusive(store, "retention", async () => {
      runs += 1;
      return "b";
    });
    expect(await b).toBe("b");
    first.open();
    expect(await a).toBe("a");
    expect(runs).toBe(2);
  });

  it("passes the work's failure on", async () => {
    const store = await openTestStore("sqlite");
    await expect(runExclusive(store, "retention", () => Promise.reject(new Error("job failed")))).rejects.toThrow("job failed");
  });
});

describe.skipIf(!inject("postgresAdminUrl"))("runExclusive on Postgres", () => {
  const extraStores: Store[] = [];
  afterAll(async () => {
    for (const store of extraStores.splice(0)) await closeStore(store);
  });

  /** Two replicas: two pools on one database. */
  async function replicas(): Promise<[Store, Store]> {
    const first = await openTestStore("postgres");
    if (first.dialect !== "postgres") throw new Error("expected a Postgres store");
    const url = first.db.$client.options.connectionString;
    if (!url) throw new Error("the test store has no connection string");
    const second = await openStore(url, { poolMax: 2 });
    extraStores.push(second);
    return [first, second];
  }

  it("runs a job on one replica at a time: the other skips the turn with null", async () => {
    const [a, b] = await replicas();
    const holding = gate();
    const started = gate();
    let runs = 0;
    const first = runExclusive(a, "retention", async () => {
      runs += 1;
      started.open();
      await holding.opened;
      return "done by a";
    });
    await started.opened;
    // Started together with the first run still holding the lock, on the other replica and on the same one.
    const [second, third] = await Promise.all([
      runExclusive(b, "retention", async () => {
        runs += 1;
        return "done by b";
      }),
      runExclusive(a, "retention", async () => {
        runs += 1;
        return "done by a again";
      }),
    ]);
    expect(second).toBeNull();
    expect(third).toBeNull();
    holding.open();
    expect(await first).toBe("done by a");
    expect(runs).toBe(1);

    // Once it finished, the next turn runs, on either replica.
    expect(await runExclusive(b, "retention", async () => "next turn on b")).toBe("next turn on b");
    expect(await runExclusive(a, "retention", async () => "next turn on a")).toBe("next turn on a");
  });

  it("when both start at the same moment, exactly one runs its work", async () => {
    const [a, b] = await replicas();
    let runs = 0;
    const work = (name: string) => async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
      return name;
    };
    const results = await Promise.all([runExclusive(a, "retention", work("a")), runExclusive(b, "retention", work("b"))]);
    expect(runs).toBe(1);
    expect(results.filter((result) => result === null)).toHaveLength(1);
    expect(results.filter((result) => result !== null)).toHaveLength(1);
  });

  it("locks per job name: another job runs meanwhile", async () => {
    const [a, b] = await replicas();
    const holding = gate();
    const started = gate();
    const first = runExclusive(a, "retention", async () => {
      started.open();
      await holding.opened;
      return "retention";
    });
    await started.opened;
    expect(await runExclusive(b, "another-job", async () => "another job")).toBe("another job");
    holding.open();
    expect(await first).toBe("retention");
  });

  it("lets the lock go when the work fails, and hands the connection back", async () => {
    const [a, b] = await replicas();
    await expect(runExclusive(a, "retention", () => Promise.reject(new Error("job failed")))).rejects.toThrow("job failed");
    expect(await runExclusive(b, "retention", async () => "ran after the failure")).toBe("ran after the failure");
    if (a.dialect !== "postgres") throw new Error("expected a Postgres store");
    expect(a.db.$client.idleCount).toBe(a.db.$client.totalCount);
  });
});
