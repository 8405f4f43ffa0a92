import type { Viewer } from "@/lib/access";
import { randomToken } from "@/lib/access/tokens";
import { AppError } from "@/lib/errors";
import { DISPLAY_NAME_MAX_CHARS, NOTE_MAX_CHARS, NOTES_PER_INTERACTION_MAX } from "./limits";
import type { NoteRepository, NoteRow } from "./repository";

/** Who writes: a name, and whether the inspector vouches for it (SSO, a signed-in session) or only the browser says so (open mode). */
export interface NoteAuthor {
  name: string;
  verified: boolean;
}

/** A note as the API and the page show it. */
export interface Note {
  id: string;
  interactionId: string;
  /** The turn it is pinned to (#turn-N), or null for the whole interaction. */
  turn: number | null;
  body: string;
  author: string;
  authorVerified: boolean;
  createdAt: string;
  updatedAt: string | null;
  /** Whether the viewer asking wrote it (may edit and delete it). */
  mine: boolean;
}

export interface NoteServiceDeps {
  repository: NoteRepository;
  /**
   * How many turns the interaction has, when it is cached here and the viewer may see its
   * project; undefined otherwise (it is then, for this viewer, an interaction with no notes page: 404).
   */
  turnsOf: (interactionId: string, viewer: ViewerGroups) => Promise<number | undefined>;
  now?: () => number;
  newId?: () => string;
}

// C0 controls but tab and line feed, and DEL: kept visible as U+FFFD (Postgres cannot store NUL,
// and neither store should hold what a person cannot see or type).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
const LONE_SURROGATE = /\p{Cs}/gu;
const NAME_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// Bidirectional controls and invisible characters: with them a name reads as another person's
// ("\u202eroc@ecila" shows as "alice@cor"), so a name holding one is refused.
const NAME_DECEPTIVE = /[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;

/** A note's text as stored: well-formed, line ends as \n, control characters shown as U+FFFD. */
export function cleanNoteBody(body: string): string {
  const text = body.replace(LONE_SURROGATE, "\ufffd").replace(/\r\n?/g, "\n").replace(CONTROL, "\ufffd");
  if (text.trim() === "") throw new AppError("invalid_request", "body: a note needs some text.");
  if (text.length > NOTE_MAX_CHARS) throw new AppError("invalid_request", `body: a note is at most ${NOTE_MAX_CHARS.toLocaleString("en")} characters (this one has ${text.length.toLocaleString("en")}).`);
  return text;
}

/** A person's name as stored: one line, spaces collapsed, at most DISPLAY_NAME_MAX_CHARS. `field` names it in errors. */
export function cleanDisplayName(name: string, field: string): string {
  const text = name.replace(LONE_SURROGATE, "\ufffd").replace(NAME_CONTROL, " ").replace(/\s+/g, " ").trim();
  if (text === "") throw new AppError("invalid_request", `${field}: give a name for your notes.`);
  if (NAME_DECEPTIVE.test(text)) throw new AppError("invalid_request", `${field}: a name cannot hold invisible or direction-changing characters.`);
  if (text.length > DISPLAY_NAME_MAX_CHARS) throw new AppError("invalid_request", `${field}: a name is at most ${DISPLAY_NAME_MAX_CHARS} characters.`);
  return text;
}

const isOwn = (row: NoteRow, author: NoteAuthor | null) => author !== null && row.author === author.name && row.authorVerified === author.verified;

function noteOf(row: NoteRow, author: NoteAuthor | null): Note {
  return {
    id: row.id,
    interactionId: row.interactionId,
    turn: row.turn,
    body: row.body,
    author: row.author,
    authorVerified: row.authorVerified,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt?.toISOString() ?? null,
    mine: isOwn(row, author),
  };
}

/** Whose view it is: the groups that decide which projects' interactions (and so notes) it sees. */
type ViewerGroups = Pick<Viewer, "groups">;

const NOTE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const notFound = () => new AppError("not_found", "There is no note with this id on this interaction.");

/**
 * Notes: who may read and write them (whoever may see the interaction), who may change one (its
 * author), and the limits. The facade (index.ts) supplies the viewer's interaction and author.
 */
export function createNoteService({ repository, turnsOf, now = Date.now, newId = () => randomToken(12) }: NoteServiceDeps) {
  async function visibleTurns(interactionId: string, viewer: ViewerGroups): Promise<number> {
    const turns = await turnsOf(interactionId, viewer);
    if (turns === undefined) throw new AppError("not_found", "This interaction is not cached here, or you may not see it: it has no notes.");
    return turns;
  }

  /** The note, when it is on this interaction and written by `author`. */
  async function own(interactionId: string, noteId: string, viewer: ViewerGroups, author: NoteAuthor): Promise<NoteRow> {
    await visibleTurns(interactionId, viewer);
    const row = NOTE_ID.test(noteId) ? await repository.find(noteId) : undefined;
    if (!row || row.interactionId !== interactionId) throw notFound();
    if (!isOwn(row, author)) throw new AppError("forbidden", "Only its author can change or delete a note.");
    return row;
  }

  return {
    async list(interactionId: string, viewer: ViewerGroups, viewerAuthor: NoteAuthor | null): Promise<Note[]> {
      await visibleTurns(interactionId, viewer);
      return (await repository.list(interactionId)).map((row) => noteOf(row, viewerAuthor));
    },

    async add(interactionId: string, input: { body: string; turn: number | null }, viewer: ViewerGroups, author: NoteAuthor): Promise<Note> {
      const turns = await visibleTurns(interactionId, viewer);
      const body = cleanNoteBody(input.body);
      if (input.turn !== null && (!Number.isInteger(input.turn) || input.turn < 1 || input.turn > turns)) {
        throw new AppError("invalid_request", `turn: this interaction has turns 1 to ${turns}.`);
      }
      const row: NoteRow = { id: newId(), interactionId, turn: input.turn, body, author: author.name, authorVerified: author.verified, createdAt: new Date(now()), updatedAt: null };
      const outcome = await repository.insert(row, NOTES_PER_INTERACTION_MAX);
      if (outcome === "full") throw new AppError("invalid_request", `body: an interaction holds at most ${NOTES_PER_INTERACTION_MAX} notes; delete one first.`);
      // Forgotten between the check above and the write.
      if (outcome === "gone") throw new AppError("not_found", "There is no interaction with this id cached here; open it once, then write a note.");
      return noteOf(row, author);
    },

    async edit(interactionId: string, noteId: string, input: { body: string }, viewer: ViewerGroups, author: NoteAuthor): Promise<Note> {
      await own(interactionId, noteId, viewer, author);
      const body = cleanNoteBody(input.body);
      const row = await repository.update(noteId, { body, updatedAt: new Date(now()) });
      if (!row) throw notFound();
      return noteOf(row, author);
    },

    async remove(interactionId: string, noteId: string, viewer: ViewerGroups, author: NoteAuthor): Promise<void> {
      await own(interactionId, noteId, viewer, author);
      if (!(await repository.delete(noteId))) throw notFound();
    },
  };
}

export type NoteService = ReturnType<typeof createNoteService>;
