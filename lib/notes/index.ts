import "server-only";
import { getStore } from "@/db/client";
import { nameSession, type Viewer } from "@/lib/access";
import { recordAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { interactionService, parseInteractionId } from "@/lib/interactions";
import { maySeeSlug } from "@/lib/projects";
import { turnsOf } from "@/lib/render/interaction-view";
import { noteHtml } from "@/lib/render/note-html";
import { createNoteRepository } from "./repository";
import { cleanDisplayName, createNoteService, type Note, type NoteAuthor, type NoteService } from "./service";

export { cleanDisplayName } from "./service";
export type { Note, NoteAuthor } from "./service";

/** A note with its Markdown formatted by the messages' renderer (lib/render). */
export interface RenderedNote extends Note {
  html: string;
}

/** Who is asking, for the audit log and for the author's name. */
export interface NoteRequester {
  viewer: Viewer;
  client: string;
  /** The name the request says (open mode; or a session naming itself for the first time). */
  claimedName?: string;
  /** The session cookie, to keep a first-time name in the session. */
  sessionCookie?: string;
}

const holder = globalThis as typeof globalThis & { __inspectorNotes?: NoteService };

/** One service per process; notes are this module's own table, interactions come through their service. */
function notes(): NoteService {
  holder.__inspectorNotes ??= createNoteService({
    repository: createNoteRepository(getStore()),
    async turnsOf(interactionId, viewer) {
      const snapshot = await interactionService().cachedSnapshot(interactionId);
      // Another project's interaction is, for this viewer, no interaction at all: the same 404.
      return snapshot && maySeeSlug(viewer, snapshot.projectSlug) ? turnsOf(snapshot.interaction).length : undefined;
    },
  });
  return holder.__inspectorNotes;
}

/**
 * The author the viewer writes as, when known without asking: the SSO name (verified), a
 * password session's display name, or in open mode the name the browser sends. Only the SSO name
 * is verified: anyone holding the password can give any name at sign-in, an SSO user's included,
 * so a session's name must never count as (or own the notes of) that verified person.
 */
export function knownAuthor(viewer: Viewer, claimedName?: string): NoteAuthor | null {
  if (viewer.via === "trusted-header") return { name: viewer.name, verified: true };
  if (viewer.via === "session") return viewer.displayName ? { name: viewer.displayName, verified: false } : null;
  if (!claimedName) return null;
  try {
    return { name: cleanDisplayName(claimedName, "authorName"), verified: false };
  } catch {
    return null;
  }
}

/** The author of a new note or edit; a session without a name keeps the one given now. */
async function authorOf(requester: NoteRequester): Promise<NoteAuthor> {
  const { viewer, claimedName } = requester;
  const known = viewer.via === "open" ? null : knownAuthor(viewer);
  if (known) return known;
  if (claimedName === undefined) throw new AppError("invalid_request", "authorName: say who you are (a name shown on your notes).");
  const name = cleanDisplayName(claimedName, "authorName");
  if (viewer.via === "session") {
    if (!(await nameSession(requester.sessionCookie, name))) throw new AppError("unauthenticated", "Sign in again to write notes.");
    return { name, verified: false };
  }
  return { name, verified: false };
}

async function rendered(note: Note): Promise<RenderedNote> {
  return { ...note, html: await noteHtml(note.body, `${note.id}@${note.updatedAt ?? note.createdAt}`) };
}

function checkedId(rawId: string): string {
  return parseInteractionId(rawId);
}

export async function listNotes(rawId: string, requester: Pick<NoteRequester, "viewer" | "claimedName">): Promise<RenderedNote[]> {
  const list = await notes().list(checkedId(rawId), requester.viewer, knownAuthor(requester.viewer, requester.claimedName));
  return Promise.all(list.map(rendered));
}

export async function addNote(rawId: string, input: { body: string; turn: number | null }, requester: NoteRequester): Promise<RenderedNote> {
  const interactionId = checkedId(rawId);
  const author = await authorOf(requester);
  const note = await notes().add(interactionId, input, requester.viewer, author);
  // Never the note's text: the audit log says who did what, not what the team wrote.
  await recordAudit({ action: "note_added", actor: requester.viewer.name, client: requester.client, target: note.id, detail: { interactionId, turn: note.turn, author: author.name, verified: author.verified }, viewer: requester.viewer });
  return rendered(note);
}

export async function editNote(rawId: string, noteId: string, input: { body: string }, requester: NoteRequester): Promise<RenderedNote> {
  const interactionId = checkedId(rawId);
  const author = await authorOf(requester);
  const note = await notes().edit(interactionId, noteId, input, requester.viewer, author);
  await recordAudit({ action: "note_edited", actor: requester.viewer.name, client: requester.client, target: note.id, detail: { interactionId, author: author.name }, viewer: requester.viewer });
  return rendered(note);
}

export async function deleteNote(rawId: string, noteId: string, requester: NoteRequester): Promise<void> {
  const interactionId = checkedId(rawId);
  const author = await authorOf(requester);
  await notes().remove(interactionId, noteId, requester.viewer, author);
  await recordAudit({ action: "note_deleted", actor: requester.viewer.name, client: requester.client, target: noteId, detail: { interactionId, author: author.name }, viewer: requester.viewer });
}
