import { afterAll, describe, expect, inject, it } from "vitest";
import { closeStore, openStore, type Store } from "@/db/client";
import type { NebulyClient } from "@/lib/nebuly/client";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { newPostgresDatabase } from "@/test/stores";
import { fetchLeases } from "./fetch-lease";
import { createInteractionRepository } from "./repository";
import { createInteractionService } from "./service";

const ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";
const SCOPE = { projects: [{ slug: "default", name: "Default project" }] };

/** One Nebuly for every replica: counts calls, answers after `delayMs`, or fails. */
function fakeNebuly(delayMs: number) {
  const state = { calls: 0, fail: false };
  const client: NebulyClient = {
    async getInteraction(id) {
      state.calls++;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (state.fail) throw Object.assign(new Error("upstream down"), { code: "ECONNRESET_UPSTREAM" });
      const rawJson = JSON.stringify({ id, topic: "Billing", timestamp: "2026-11-20T10:00:00" });
      return { interaction: interactionSchema.parse(JSON.parse(rawJson)), rawJson };
    },
    async listInteractions() {
      throw new Error("not used");
    },
  };
  return { client, state };
}

/** Replicas: each its own pool and service (its own in-process single-flight), one database. */
describe.skipIf(!inject("postgresAdminUrl"))("single-flight across replicas sharing Postgres", () => {
  const stores: Store[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((store) => closeStore(store)));
  });

  async function replicas(count: number, client: NebulyClient, leaseMs = 10_000) {
    const url = await newPostgresDatabase();
    return Promise.all(
      Array.from({ length: count }, async () => {
        const store = await openStore(url, { poolMax: 5 });
        stores.push(store);
        return createInteractionService({ repository: createInteractionRepository(store), clientFor: () => client, ttlMs: 60_000, leases: fetchLeases(store, leaseMs) });
      }),
    );
  }

  it("makes one upstream call for 200 concurrent cold requests spread over two replicas", async () => {
    const nebuly = fakeNebuly(300);
    const [a, b] = await replicas(2, nebuly.client);
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a! : b!).get(ID, SCOPE)));
    expect(nebuly.state.calls).toBe(1);
    expect(new Set(answers.map((answer) => answer.interaction.topic))).toEqual(new Set(["Billing"]));
    expect(answers.every((answer) => answer.id === ID)).toBe(true);
  });

  it("lets a waiting replica fetch itself when the holder's fetch failed", async () => {
    const nebuly = fakeNebuly(200);
    const [a, b] = await replicas(2, nebuly.client);
    nebuly.state.fail = true;
    const first = a!.get(ID, SCOPE).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = b!.get(ID, SCOPE).catch((error: unknown) => error);
    await first;
    nebuly.state.fail = false;
    const answer = await second;
    expect(answer).toMatchObject({ id: ID, cache: "MISS" });
    expect(nebuly.state.calls).toBe(2);
  });

  it("takes over a lease its holder never released (a replica killed mid-fetch) once it lapses", async () => {
    const nebuly = fakeNebuly(10);
    const url = await newPostgresDatabase();
    const store = await openStore(url, { poolMax: 2 });
    stores.push(store);
    const leases = fetchLeases(store, 300);
    // A holder that never comes back: its fetch never settles.
    void leases.runOrWait(`${ID}|default`, () => new Promise(() => undefined));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const service = createInteractionService({ repository: createInteractionRepository(store), clientFor: () => nebuly.client, ttlMs: 60_000, leases });
    const startedAt = Date.now();
    await expect(service.get(ID, SCOPE)).resolves.toMatchObject({ id: ID });
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    expect(nebuly.state.calls).toBe(1);
  });
});
