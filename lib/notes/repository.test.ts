import { beforeAll, describe, expect, it } from "vitest";
import type { Dialect, Store } from "@/db/client";
import { createInteractionRepository, type InteractionRepository } from "@/lib/interactions/repository";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { openTestStore, testStores } from "@/test/stores";
import { createNoteRepository, type NoteRepository, type NoteRow } from "./repository";

/*
 * Notes on both stores: one behaviour, and the interaction's search text kept in step with its
 * notes (added, edited, deleted; and across a refresh of the snapshot), Forget removing them, and
 * retention keeping a snapshot that has notes.
 */

let n = 0;
const newId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;

describe.each(testStores())("notes on %s", (dialect: Dialect) => {
  let store: Store;
  let interactions: InteractionRepository;
  let notes: NoteRepository;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    interactions = createInteractionRepository(store);
    notes = createNoteRepository(store);
  });

  async function cache(fields: Record<string, unknown> = {}, fetchedAt = new Date()) {
    const id = newId();
    const body = { id, timestamp: "2026-03-01T10:00:00Z", input: "How do I reset my password?", output: "Use the reset link.", ...fields };
    await interactions.save(id, interactionSchema.parse(body), JSON.stringify(body), fetchedAt, "default");
    return { id, body };
  }

  const note = (interactionId: string, body: string, extra: Partial<NoteRow> = {}): NoteRow => ({
    id: `note${++n}`,
    interactionId,
    turn: null,
    body,
    author: "Ana",
    authorVerified: true,
    createdAt: new Date(Date.UTC(2026, 3, 1, 0, 0, n)),
    updatedAt: null,
    ...extra,
  });

  const found = async (text: string) => (await interactions.search({ text, sort: "time", limit: 50, offset: 0 })).items.map((item) => item.id);

  it("adds, lists oldest first, edits and deletes notes", async () => {
    const { id } = await cache();
    const first = note(id, "First thought", { turn: 1 });
    const second = note(id, "Second thought", { authorVerified: false, author: "Bo" });
    expect(await notes.insert(second, 200)).toBe("added");
    expect(await notes.insert(first, 200)).toBe("added");
    expect((await notes.list(id)).map((row) => row.body)).toEqual(["First thought", "Second thought"]);
    expect(await notes.find(first.id)).toEqual(first);

    const edited = await notes.update(first.id, { body: "Changed my mind", updatedAt: new Date(Date.UTC(2026, 4, 1)) });
    expect(edited).toMatchObject({ body: "Changed my mind", turn: 1, author: "Ana" });
    expect(edited?.updatedAt?.toISOString()).toBe("2026-05-01T00:00:00.000Z");

    expect(await notes.delete(first.id)).toBe(true);
    expect(await notes.delete(first.id)).toBe(false);
    expect(await notes.update(first.id, { body: "x", updatedAt: new Date() })).toBeUndefined();
    expect((await notes.list(id)).map((row) => row.id)).toEqual([second.id]);
  });

  it("refuses a note past the per-interaction limit, writing nothing", async () => {
    const { id } = await cache();
    expect(await notes.insert(note(id, "one"), 2)).toBe("added");
    expect(await notes.insert(note(id, "two"), 2)).toBe("added");
    expect(await notes.insert(note(id, "three"), 2)).toBe("full");
    expect(await notes.list(id)).toHaveLength(2);
  });

  it("stores HTML, script and odd characters as the text they are", async () => {
    const { id } = await cache();
    const body = `<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) 'quotes' "double" \u{1F600} \u200b`;
    const row = note(id, body);
    await notes.insert(row, 200);
    expect((await notes.find(row.id))?.body).toBe(body);
  });

  it("puts a note's words in the interaction's search, and takes a deleted note's words out", async () => {
    const { id } = await cache();
    expect(await found("zanzibarish")).not.toContain(id);
    const row = note(id, "Escalate: the zanzibarish refund policy is wrong");
    await notes.insert(row, 200);
    expect(await found("zanzibarish")).toEqual([id]);
    // Inside words too (the trigram tier).
    expect(await found("anzibari")).toEqual([id]);

    await notes.update(row.id, { body: "Escalate: the quixotical refund policy is wrong", updatedAt: new Date() });
    expect(await found("zanzibarish")).toEqual([]);
    expect(await found("quixotical")).toEqual([id]);

    await notes.delete(row.id);
    expect(await found("quixotical")).toEqual([]);
    // The interaction's own words are still found.
    expect(await found("reset password")).toContain(id);
  });

  it("keeps notes and their words across a refresh of the snapshot", async () => {
    const { id, body } = await cache();
    await notes.insert(note(id, "Customer mentioned flibbertigibbet twice"), 200);
    const refreshed = { ...body, output: "Use the new reset link." };
    await interactions.save(id, interactionSchema.parse(refreshed), JSON.stringify(refreshed), new Date(), "default");
    expect(await notes.list(id)).toHaveLength(1);
    expect(await found("flibbertigibbet")).toEqual([id]);
    expect(await found("new reset link")).toContain(id);
  });

  it("removes notes (and their words) when the interaction is forgotten", async () => {
    const { id } = await cache();
    await notes.insert(note(id, "Mention of hullabaloozle here"), 200);
    const outcome = await interactions.forget(id, new Date(), "Ana", "default");
    expect(outcome).toMatchObject({ snapshot: true });
    expect(await notes.list(id)).toEqual([]);
    expect(await found("hullabaloozle")).toEqual([]);
  });

  // Attack (review): a note posted while Forget runs passed the visibility check, then outlived the erasure.
  it("writes no note for an interaction forgotten after it was checked, even racing the forget", async () => {
    const { id } = await cache();
    await interactions.forget(id, new Date(), "Ana", "default");
    expect(await notes.insert(note(id, "Written after the forget"), 200)).toBe("gone");
    const racing = await cache();
    const [outcome] = await Promise.all([notes.insert(note(racing.id, "Racing the forget"), 200), interactions.forget(racing.id, new Date(), "Ana", "default")]);
    // Either order is fine; a note left behind without its snapshot is not.
    expect(["added", "gone"]).toContain(outcome);
    expect(await notes.list(racing.id)).toEqual([]);
  });

  it("retention never offers a snapshot that has notes", async () => {
    const old = new Date(Date.UTC(2020, 0, 1));
    const annotated = await cache({}, old);
    const plain = await cache({}, old);
    await notes.insert(note(annotated.id, "keep me"), 200);
    const unused = await interactions.unusedSince(new Date(Date.UTC(2021, 0, 1)), 100);
    expect(unused).toContain(plain.id);
    expect(unused).not.toContain(annotated.id);
  });

  it("finds no note for an id it never stored, including one with a NUL", async () => {
    expect(await notes.find("nope")).toBeUndefined();
    expect(await notes.find("no\u0000pe")).toBeUndefined();
    expect(await notes.delete("no\u0000pe")).toBe(false);
  });
});
