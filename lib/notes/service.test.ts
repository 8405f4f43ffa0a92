import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { openTestStore } from "@/test/stores";
import { NOTE_MAX_CHARS } from "./limits";
import { createInteractionRepository } from "@/lib/interactions/repository";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { createNoteRepository } from "./repository";
import { cleanDisplayName, cleanNoteBody, createNoteService, type NoteService } from "./service";

const INTERACTION = "00000000-0000-4000-8000-000000000001";
const HIDDEN = "00000000-0000-4000-8000-000000000002";
const ana = { name: "Ana", verified: true };
const bo = { name: "Bo", verified: true };
const viewer = { groups: ["support"] };

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("note service", () => {
  let service: NoteService;

  beforeAll(async () => {
    const store = await openTestStore("sqlite");
    // Notes go on cached interactions: the repository writes none for an id without a snapshot.
    const body = { id: INTERACTION, user_query: "refund" };
    await createInteractionRepository(store).save(INTERACTION, interactionSchema.parse(body), JSON.stringify(body), new Date(), "support");
    let id = 0;
    // Three turns on INTERACTION; HIDDEN is another project's (or not cached): no turns for this viewer.
    service = createNoteService({ repository: createNoteRepository(store), turnsOf: async (interactionId) => (interactionId === INTERACTION ? 3 : undefined), newId: () => `n${++id}` });
  });

  it("answers 404 for an interaction the viewer cannot see or that is not cached, whatever it asks", async () => {
    for (const attempt of [service.list(HIDDEN, viewer, ana), service.add(HIDDEN, { body: "x", turn: null }, viewer, ana), service.remove(HIDDEN, "n1", viewer, ana)]) {
      expect((await failure(attempt)).status).toBe(404);
    }
  });

  it("lets the author edit and delete, and answers 403 to anyone else, 404 to an unknown id", async () => {
    const note = await service.add(INTERACTION, { body: "Mine", turn: 2 }, viewer, ana);
    expect(note).toMatchObject({ author: "Ana", authorVerified: true, turn: 2, mine: true });
    expect((await service.list(INTERACTION, viewer, bo)).find((item) => item.id === note.id)?.mine).toBe(false);

    expect((await failure(service.edit(INTERACTION, note.id, { body: "Bo's" }, viewer, bo))).status).toBe(403);
    expect((await failure(service.remove(INTERACTION, note.id, viewer, bo))).status).toBe(403);
    // The same name, but only claimed by a browser: not the verified author.
    expect((await failure(service.edit(INTERACTION, note.id, { body: "claimed" }, viewer, { name: "Ana", verified: false }))).status).toBe(403);
    expect((await failure(service.edit(INTERACTION, "unknown", { body: "x" }, viewer, ana))).status).toBe(404);
    expect((await failure(service.edit(INTERACTION, "../../etc", { body: "x" }, viewer, ana))).status).toBe(404);

    expect((await service.edit(INTERACTION, note.id, { body: "Mine, edited" }, viewer, ana)).body).toBe("Mine, edited");
    await service.remove(INTERACTION, note.id, viewer, ana);
    expect((await failure(service.remove(INTERACTION, note.id, viewer, ana))).status).toBe(404);
  });

  it("refuses a turn the interaction does not have, naming the field", async () => {
    for (const turn of [0, 4, 1.5]) {
      const error = await failure(service.add(INTERACTION, { body: "x", turn }, viewer, ana));
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/^turn: /);
    }
  });

  it("refuses empty and over-long notes with the field named, and keeps control characters visible", () => {
    expect(() => cleanNoteBody("  \n ")).toThrow(/^body: /);
    expect(() => cleanNoteBody("x".repeat(NOTE_MAX_CHARS + 1))).toThrow(/^body: .*10,000/);
    expect(cleanNoteBody("x".repeat(NOTE_MAX_CHARS))).toHaveLength(NOTE_MAX_CHARS);
    expect(cleanNoteBody("a\u0000b\r\nc\u001bd\ud800")).toBe("a\ufffdb\nc\ufffdd\ufffd");
    expect(cleanNoteBody("<script>alert(1)</script>")).toBe("<script>alert(1)</script>");
  });

  it("reads a name as one line of at most 80 characters", () => {
    expect(cleanDisplayName("  Ana \n\t Lima\u0000 ", "displayName")).toBe("Ana Lima");
    expect(() => cleanDisplayName("   ", "displayName")).toThrow(/^displayName: /);
    expect(() => cleanDisplayName("x".repeat(81), "authorName")).toThrow(/^authorName: .*80/);
  });
});
