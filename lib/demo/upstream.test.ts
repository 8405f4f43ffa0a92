import { describe, expect, it } from "vitest";
import { createNebulyClient, type NebulyClient } from "@/lib/nebuly/client";
import { buildDemoInteractions } from "./interactions";
import { DEMO_PROJECTS } from "./projects";
import { createDemoFetch } from "./upstream";

const NOW = Date.parse("2026-11-26T10:00:00Z");
const [SUPPORT, BILLING] = DEMO_PROJECTS as [(typeof DEMO_PROJECTS)[number], (typeof DEMO_PROJECTS)[number]];

/** A real client over the demo stand-in, holding one demo project's key. */
const clientWith = (apiKey: string): NebulyClient =>
  createNebulyClient({ baseUrl: "http://demo.invalid", apiKey, timeoutMs: 5_000, fetch: createDemoFetch(NOW) });

/** Every id one key lists, paging through. */
async function listedIds(client: NebulyClient): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await client.listInteractions({ time_range: { start: "2000-01-01T00:00:00Z", end: "2100-01-01T00:00:00Z" }, filters: [], limit: 100, offset });
    ids.push(...page.data.map((item) => String(item.id)));
    if (page.data.length < 100) return ids;
  }
}

describe("demo projects", () => {
  it("are two, named, with distinct slugs", () => {
    expect(DEMO_PROJECTS.map((project) => [project.slug, project.name])).toEqual([
      ["support", "Support bot"],
      ["billing", "Billing assistant"],
    ]);
  });

  it("split the bundled data in two halves, each listed only with its own key", async () => {
    const all = buildDemoInteractions(NOW).map((interaction) => String(interaction.id));
    const support = await listedIds(clientWith(SUPPORT.apiKey));
    const billing = await listedIds(clientWith(BILLING.apiKey));
    expect(support.length).toBeGreaterThan(0);
    expect(billing.length).toBeGreaterThan(0);
    expect(support.filter((id) => billing.includes(id))).toEqual([]);
    expect([...support, ...billing].sort()).toEqual([...all].sort());
  });

  it("open an id only with the key of its own project: the other key gets a 404", async () => {
    const support = clientWith(SUPPORT.apiKey);
    const billing = clientWith(BILLING.apiKey);
    const [supportId] = await listedIds(support);
    const [billingId] = await listedIds(billing);
    const own = await support.getInteraction(supportId!);
    const other = await billing.getInteraction(billingId!);
    expect(own.interaction.id).toBe(supportId);
    expect(other.interaction.id).toBe(billingId);
    // Each half carries its own Nebuly project id.
    expect(own.interaction.project_id).not.toBe(other.interaction.project_id);
    await expect(billing.getInteraction(supportId!)).rejects.toMatchObject({ code: "not_found", status: 404 });
    await expect(support.getInteraction(billingId!)).rejects.toMatchObject({ code: "not_found", status: 404 });
  });

  it("show nothing to a key that is no demo project's", async () => {
    const stranger = clientWith("not-a-demo-key");
    expect(await listedIds(stranger)).toEqual([]);
    const [supportId] = await listedIds(clientWith(SUPPORT.apiKey));
    await expect(stranger.getInteraction(supportId!)).rejects.toMatchObject({ code: "not_found" });
  });
});
