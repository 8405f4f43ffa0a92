import { beforeAll, describe, expect, it } from "vitest";
import type { Store } from "@/db/client";
import { createLabelRepository, type LabelRepository } from "@/lib/labels/repository";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { openTestStore, testStores } from "@/test/stores";
import { createInteractionRepository, type CachedSearchQuery, type InteractionRepository } from "./repository";

/* How labels (lib/labels) meet the snapshot store: the /cached filter, refresh, Forget and retention. */

const T0 = Date.parse("2026-11-01T10:00:00Z");
let n = 0;
const newId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;

describe.each(testStores())("labels and the snapshot store on %s", (dialect) => {
  let store: Store;
  let repository: InteractionRepository;
  let labels: LabelRepository;

  async function save(id: string, fields: Record<string, unknown>, fetchedAt = new Date(T0)) {
    const body = { id, ...fields };
    await repository.save(id, interactionSchema.parse(body), JSON.stringify(body), fetchedAt, "default");
  }

  async function label(name: string): Promise<string> {
    const id = `label-${name}`;
    await labels.insert({ id, name, nameKey: name.toLowerCase(), color: "blue", createdAt: new Date(T0), createdBy: null, updatedAt: new Date(T0) });
    return id;
  }

  const ids = async (query: Partial<CachedSearchQuery>) => (await repository.search({ sort: "time", limit: 50, offset: 0, ...query })).items.map((item) => item.id);

  beforeAll(async () => {
    store = await openTestStore(dialect);
    repository = createInteractionRepository(store);
    labels = createLabelRepository(store);
  });

  it("filters by labels (all of those given) and leaves out excluded ones, with and without typed text, counting the same", async () => {
    const [refund, angryRefund, other] = [newId(), newId(), newId()];
    await save(refund, { user_query: "refund please", timestamp: new Date(T0 + 3_000).toISOString(), topic: "Billing" });
    await save(angryRefund, { user_query: "refund now", timestamp: new Date(T0 + 2_000).toISOString(), topic: "Billing" });
    await save(other, { user_query: "hello", timestamp: new Date(T0 + 1_000).toISOString() });
    const billing = await label("billing");
    const angry = await label("angry");
    await labels.replaceFor(refund, [billing], new Date(T0), null);
    await labels.replaceFor(angryRefund, [billing, angry], new Date(T0), null);

    expect(await ids({ labels: ["billing"] })).toEqual([refund, angryRefund]);
    expect(await ids({ labels: ["billing", "angry"] })).toEqual([angryRefund]);
    expect(await ids({ labels: ["billing"], excludeLabels: ["angry"] })).toEqual([refund]);
    expect(await ids({ excludeLabels: ["billing"] })).toEqual(expect.arrayContaining([other]));
    expect(await ids({ excludeLabels: ["billing"] })).not.toContain(refund);
    expect(await ids({ labels: ["billing"], topic: "Billing", text: "refund" })).toEqual([refund, angryRefund]);
    expect(await ids({ labels: ["billing"], excludeLabels: ["angry"], text: "refund" })).toEqual([refund]);
    expect(await ids({ labels: ["no such label"] })).toEqual([]);
    expect((await repository.search({ sort: "time", limit: 1, offset: 0, labels: ["billing"] })).count).toBe(2);
    // Attack: a NUL in a label filter from the URL (Postgres refuses NUL in text).
    expect(await ids({ labels: ["bill\u0000ing"] })).toEqual([]);
  });

  it("keeps labels when the snapshot is refreshed, removes them when it is forgotten", async () => {
    const id = newId();
    await save(id, { user_query: "first" });
    const kept = await label("kept");
    await labels.replaceFor(id, [kept], new Date(T0), null);
    await save(id, { user_query: "refreshed" }, new Date(T0 + 60_000));
    expect((await labels.labelsOf([id])).get(id)?.map((row) => row.id)).toEqual([kept]);
    await repository.forget(id, new Date(T0 + 120_000), "ana", "default");
    expect((await labels.labelsOf([id])).has(id)).toBe(false);
  });

  it("retention keeps a labelled snapshot, however old", async () => {
    const [labelled, unlabelled] = [newId(), newId()];
    await save(labelled, { user_query: "old labelled" }, new Date(T0 - 86_400_000 * 400));
    await save(unlabelled, { user_query: "old" }, new Date(T0 - 86_400_000 * 400));
    await labels.replaceFor(labelled, [await label("keep-me")], new Date(T0), null);
    const unused = await repository.unusedSince(new Date(T0 - 86_400_000 * 300), 100);
    expect(unused).toContain(unlabelled);
    expect(unused).not.toContain(labelled);
  });
});
