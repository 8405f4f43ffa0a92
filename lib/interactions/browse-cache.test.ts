import { beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { createBrowseCache, type BrowseCache } from "./browse-cache";
import { createInteractionRepository, type InteractionRepository } from "./repository";

let repository: InteractionRepository;
let cache: BrowseCache;
let n = 0;

function save(fields: Record<string, unknown>) {
  const id = `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;
  const body = { id, timestamp: new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString(), ...fields };
  repository.save(id, interactionSchema.parse(body), JSON.stringify(body), new Date(), "default");
  return id;
}

beforeEach(() => {
  const db = openDatabase(":memory:");
  repository = createInteractionRepository(db);
  cache = createBrowseCache(db);
});

describe("browse suggestions from the cache", () => {
  it("offers the users, intents, problem types and tags of cached interactions, sorted and without repeats", () => {
    save({ user: "maria.lopez@northwind.example", intent: "Request refund", tags: { plan: "pro", region: "eu" } });
    save({ user: "anon-77c1", intent: "Prompt injection", risky_behavior: ["prompt_injection", { name: "credential_exfiltration_attempt" }], tags: { plan: "team" } });
    save({ user: "maria.lopez@northwind.example", intent: "Request refund", tags: ["channel:web"] });
    expect(cache.suggestions()).toEqual({
      users: ["anon-77c1", "maria.lopez@northwind.example"],
      intents: ["Prompt injection", "Request refund"],
      problems: ["credential_exfiltration_attempt", "prompt_injection"],
      tagNames: ["channel", "plan", "region"],
      tagValues: ["eu", "pro", "team", "web"],
    });
  });

  it("skips values Browse would refuse and shapes it cannot use", () => {
    save({ user: "u".repeat(201), intent: { nested: true }, tags: { ["k".repeat(101)]: "v", ok: "x".repeat(201) }, risky_behavior: 42 });
    expect(cache.suggestions()).toEqual({ users: [], intents: [], problems: ["42"], tagNames: ["ok"], tagValues: ["v"] });
  });

  it("reads only the most recent interactions' bodies", () => {
    save({ intent: "oldest" });
    for (let index = 0; index < 200; index++) save({ intent: "recent" });
    expect(cache.suggestions().intents).toEqual(["recent"]);
  });

  it("is empty for an empty cache", () => {
    expect(cache.suggestions()).toEqual({ users: [], intents: [], problems: [], tagNames: [], tagValues: [] });
  });
});

describe("summaries of listed ids", () => {
  it("returns the badge fields of the cached ones only", () => {
    const billing = save({ user_query: "Refund please", topic: "Billing", sentiment: "negative", feedback_type: "explicit_negative" });
    const bare = save({});
    const summaries = cache.summaries([billing, "ffffffff-0000-4000-8000-000000000000", bare, billing]);
    expect([...summaries.keys()].sort()).toEqual([billing, bare].sort());
    expect(summaries.get(billing)).toEqual({ title: "Refund please", topic: "Billing", sentiment: "negative", feedbackType: "explicit_negative" });
    expect(summaries.get(bare)).toEqual({ title: null, topic: null, sentiment: null, feedbackType: null });
  });

  it("asks nothing for no ids", () => {
    expect(cache.summaries([]).size).toBe(0);
  });
});

describe("suggestions and summaries for a viewer of some projects", () => {
  function saveIn(projectSlug: string, fields: Record<string, unknown>) {
    const id = `00000000-0000-4000-9000-${String(++n).padStart(12, "0")}`;
    const body = { id, timestamp: new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString(), ...fields };
    repository.save(id, interactionSchema.parse(body), JSON.stringify(body), new Date(), projectSlug);
    return id;
  }

  it("offers only the values of the projects the viewer may see", () => {
    saveIn("support", { user: "ana@example.com", intent: "Request refund", tags: { plan: "pro" } });
    saveIn("hr", { user: "bob@example.com", intent: "Salary question", tags: { team: "finance" } });
    expect(cache.suggestions(["support"])).toEqual({ users: ["ana@example.com"], intents: ["Request refund"], problems: [], tagNames: ["plan"], tagValues: ["pro"] });
    expect(cache.suggestions([])).toEqual({ users: [], intents: [], problems: [], tagNames: [], tagValues: [] });
    expect(cache.suggestions().users).toEqual(["ana@example.com", "bob@example.com"]);
  });

  it("summarises only the listed ids of those projects", () => {
    const support = saveIn("support", { topic: "Billing" });
    const hr = saveIn("hr", { topic: "Payroll" });
    expect([...cache.summaries([support, hr], ["support"]).keys()]).toEqual([support]);
    expect(cache.summaries([support, hr], []).size).toBe(0);
  });
});
