import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "@/db/client";
import * as sqliteSchema from "@/db/schema";
import * as postgresSchema from "@/db/schema.postgres";
import { openTestStore, testStores } from "@/test/stores";
import { createInteractionRepository } from "@/lib/interactions/repository";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { createLabelRepository, type LabelRepository, type LabelRow } from "./repository";

const T0 = new Date("2026-11-30T10:00:00Z");
const A = "00000000-0000-4000-8000-000000000001";
const B = "00000000-0000-4000-8000-000000000002";

function row(id: string, name: string, color = "blue"): LabelRow {
  return { id, name, nameKey: name.toLowerCase(), color, createdAt: T0, createdBy: "ana", updatedAt: T0 };
}

describe.each(testStores())("labels on %s", (dialect) => {
  let store: Store;
  let labels: LabelRepository;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    labels = createLabelRepository(store);
    const interactions = createInteractionRepository(store);
    for (const [id, project] of [[A, "support"], [B, "board"]]) {
      const body = { id, user_query: "refund" };
      await interactions.save(id, interactionSchema.parse(body), JSON.stringify(body), T0, project);
    }
  });

  beforeEach(async () => {
    if (store.dialect === "sqlite") {
      store.db.delete(sqliteSchema.interactionLabels).run();
      store.db.delete(sqliteSchema.labels).run();
    } else {
      await store.db.delete(postgresSchema.interactionLabels);
      await store.db.delete(postgresSchema.labels);
    }
  });

  it("stores a label once per name key: a second of the same key is refused, not added", async () => {
    expect(await labels.insert(row("l1", "Billing"))).toEqual(row("l1", "Billing"));
    expect(await labels.insert({ ...row("l2", "BILLING"), nameKey: "billing" })).toBeUndefined();
    expect(await labels.count()).toBe(1);
    expect(await labels.findByKey("billing")).toMatchObject({ id: "l1", name: "Billing" });
  });

  it("renames, and says so when the new name is another label's or the label is gone", async () => {
    await labels.insert(row("l1", "Billing"));
    await labels.insert(row("l2", "Refunds"));
    const later = new Date(T0.getTime() + 1_000);
    expect(await labels.rename("l1", { name: "Invoices", nameKey: "invoices", color: "red" }, later)).toMatchObject({ name: "Invoices", color: "red", updatedAt: later });
    expect(await labels.rename("l1", { name: "refunds", nameKey: "refunds" }, later)).toBe("duplicate");
    expect(await labels.rename("nope", { color: "red" }, later)).toBe("missing");
    expect((await labels.find("l1"))?.name).toBe("Invoices");
  });

  it("replaces an interaction's labels, saying what was added and removed, and lists them per interaction in one call", async () => {
    await labels.insert(row("l1", "Billing"));
    await labels.insert(row("l2", "Angry"));
    await labels.insert(row("l3", "Refunds"));
    expect(await labels.replaceFor(A, ["l1", "l2", "l1"], T0, "ana")).toEqual({ added: expect.arrayContaining(["l1", "l2"]), removed: [] });
    expect(await labels.replaceFor(A, ["l2", "l3"], T0, "ana")).toEqual({ added: ["l3"], removed: ["l1"] });
    await labels.replaceFor(B, ["l1"], T0, null);
    const grouped = await labels.labelsOf([A, B, "00000000-0000-4000-8000-000000000099"]);
    expect(grouped.get(A)?.map((label) => label.name)).toEqual(["Angry", "Refunds"]);
    expect(grouped.get(B)?.map((label) => label.name)).toEqual(["Billing"]);
    expect(grouped.size).toBe(2);
    expect(await labels.replaceFor(A, [], T0, null)).toEqual({ added: [], removed: expect.arrayContaining(["l2", "l3"]) });
    expect((await labels.labelsOf([A])).size).toBe(0);
  });

  it("deleting a label takes it off every interaction, and counts uses in the list", async () => {
    await labels.insert(row("l1", "Billing"));
    await labels.insert(row("l2", "Angry"));
    await labels.replaceFor(A, ["l1", "l2"], T0, null);
    await labels.replaceFor(B, ["l1"], T0, null);
    expect((await labels.list(["support", "board"])).map((label) => [label.name, label.uses])).toEqual([["Angry", 1], ["Billing", 2]]);
    // Attack: a viewer kept out of "board" learns nothing of how its interactions are labelled.
    expect((await labels.list(["support"])).map((label) => [label.name, label.uses])).toEqual([["Angry", 1], ["Billing", 1]]);
    expect((await labels.list([])).map((label) => [label.name, label.uses])).toEqual([["Angry", 0], ["Billing", 0]]);
    expect(await labels.remove("l1")).toMatchObject({ id: "l1" });
    expect(await labels.remove("l1")).toBeUndefined();
    expect((await labels.labelsOf([A, B])).get(A)?.map((label) => label.id)).toEqual(["l2"]);
    expect((await labels.labelsOf([A, B])).has(B)).toBe(false);
  });

  // Attack (review): a label added while Forget runs came back without its snapshot.
  it("writes no label onto an interaction without a snapshot (forgotten after it was checked)", async () => {
    await labels.insert(row("l1", "Billing"));
    const forgotten = "00000000-0000-4000-8000-0000000000ff";
    expect(await labels.replaceFor(forgotten, ["l1"], T0, null)).toBeNull();
    expect((await labels.labelsOf([forgotten])).size).toBe(0);
  });

  // Attack (review): parallel creates past the limit each counted before any inserted.
  it("makes no label past the limit, however many requests race for the last places", async () => {
    for (let n = 0; n < 8; n++) await labels.insert(row(`base${n}`, `Base ${n}`));
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, n) => labels.insert(row(`race${n}`, `Race ${n}`), 10)));
    expect(outcomes.filter((outcome) => outcome !== "full" && outcome !== undefined)).toHaveLength(2);
    expect(await labels.count()).toBe(10);
  });

  // Attack: ids from a path or body holding NUL, which Postgres refuses to compare (a 500 with the query logged).
  it("finds nothing for ids holding NUL instead of failing", async () => {
    await expect(labels.find("a\u0000b")).resolves.toBeUndefined();
    await expect(labels.findMany(["a\u0000b"])).resolves.toEqual([]);
    await expect(labels.remove("a\u0000b")).resolves.toBeUndefined();
    await expect(labels.rename("a\u0000b", { color: "red" }, T0)).resolves.toBe("missing");
    await expect(labels.labelsOf(["a\u0000b"])).resolves.toEqual(new Map());
  });
});
