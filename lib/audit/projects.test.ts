import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Store } from "@/db/client";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { openTestStore, testStores } from "@/test/stores";

/**
 * The audit log with two projects, "open" (everyone's) and "closed" (team-b only), through the
 * app's own holders: which events each viewer sees.
 */
const holder = globalThis as typeof globalThis & { __inspectorStore?: Store; __inspectorServices?: unknown; __inspectorAuditLog?: unknown };
const CLOSED_ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";
const UNKNOWN_ID = "1c2e4a6b-8d0f-4a2c-9e4b-6d8f0a2c4e61";
const ann = { groups: ["team-a"] };
const bob = { groups: ["team-b"] };

beforeAll(() => {
  vi.stubEnv("LOG_LEVEL", "silent");
  vi.stubEnv("INSPECTOR_TRUSTED_USER_HEADER", "X-Forwarded-User");
  vi.stubEnv("INSPECTOR_TRUSTED_GROUPS_HEADER", "X-Forwarded-Groups");
  vi.stubEnv(
    "NEBULY_PROJECTS",
    JSON.stringify([
      { slug: "open", name: "Open bot", apiKey: `k-${randomUUID()}`, apiUrl: "http://127.0.0.1:9" },
      { slug: "closed", name: "Closed bot", apiKey: `k-${randomUUID()}`, apiUrl: "http://127.0.0.1:9", allowGroups: ["team-b"] },
    ]),
  );
});

afterAll(() => {
  vi.unstubAllEnvs();
  delete holder.__inspectorStore;
  delete holder.__inspectorServices;
  delete holder.__inspectorAuditLog;
});

describe.each(testStores())("audit events and projects on %s", (dialect) => {
  beforeAll(async () => {
    holder.__inspectorStore = await openTestStore(dialect);
    delete holder.__inspectorServices;
    delete holder.__inspectorAuditLog;
  });

  it("hides events about another project's interaction, but never a viewer's own event about an id it cannot see", async () => {
    const { interactionService } = await import("@/lib/interactions");
    const { recordAudit, listAuditEvents, parseAuditQuery } = await import("./index");
    const { createInteractionRepository } = await import("@/lib/interactions/repository");
    const body = { id: CLOSED_ID, timestamp: "2026-11-20T10:00:00Z" };
    await createInteractionRepository(holder.__inspectorStore!).save(CLOSED_ID, interactionSchema.parse(body), JSON.stringify(body), new Date(), "closed");
    expect(await interactionService().holding(CLOSED_ID)).toEqual({ kind: "snapshot", projectSlug: "closed" });

    await recordAudit({ action: "interaction_refreshed", actor: "bob", client: null, target: CLOSED_ID, viewer: bob });
    // Ann refreshing the hidden id and an unknown one: both are, for her, ids that do not exist.
    await recordAudit({ action: "interaction_refreshed", actor: "ann", client: null, target: CLOSED_ID, viewer: ann });
    await recordAudit({ action: "interaction_refreshed", actor: "ann", client: null, target: UNKNOWN_ID, viewer: ann });

    const seen = async (viewer: { groups: string[] }) =>
      (await listAuditEvents(parseAuditQuery(new URLSearchParams()), viewer)).events.map((event) => `${event.actor} ${event.target}`);
    expect(await seen(ann)).toEqual([`ann ${UNKNOWN_ID}`, `ann ${CLOSED_ID}`]);
    expect(await seen(bob)).toEqual([`ann ${UNKNOWN_ID}`, `ann ${CLOSED_ID}`, `bob ${CLOSED_ID}`]);
    const { auditActors } = await import("./index");
    expect(await auditActors(ann)).toEqual(["ann"]);
    expect(await auditActors(bob)).toEqual(["ann", "bob"]);
  });
});
