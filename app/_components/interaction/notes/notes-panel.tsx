"use client";

import { useEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { LocalTimeText } from "@/app/_components/local-time-text";
import { DISPLAY_NAME_MAX_CHARS, NOTE_MAX_CHARS, OPEN_NAME_STORAGE_KEY } from "@/lib/notes/limits";

/** A note as the API returns it; `html` is the server's sanitised rendering (null while a save is on its way). */
export interface PanelNote {
  id: string;
  turn: number | null;
  body: string;
  html: string | null;
  author: string;
  authorVerified: boolean;
  createdAt: string;
  updatedAt: string | null;
  mine: boolean;
}

/**
 * Who the viewer writes as: a name the inspector vouches for (SSO, or a session's display name), a
 * password session that has not said its name yet (asked in the form), or an open inspector's
 * browser (a name it remembers, shown as unverified).
 */
/**
 * Who writes: a name the server knows ("verified" kind: SSO, where `verified` is true, or a
 * password session's name given at sign-in, which anyone with the password could give), a
 * password session still to name itself, or an open inspector's browser.
 */
export type AuthorMode = { kind: "verified"; name: string; verified: boolean } | { kind: "unnamed-session" } | { kind: "open"; name: string | null };

const DANGER_BUTTON =
  "btn border-red-700 bg-red-700 text-white hover:bg-red-800 dark:border-red-400 dark:bg-red-400 dark:text-canvas dark:hover:bg-red-300";
const NAME_FIRST = "Give your name first: it is shown on your notes.";

/** Why a request failed, in words: the server's own message, or that nothing answered (never the browser's "Failed to fetch"). */
async function failureMessage(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `the inspector answered ${response.status}`;
}
class Refused extends Error {}
const reasonOf = (failure: unknown) => (failure instanceof Refused ? failure.message.replace(/\.$/, "") : "the inspector did not answer");

/** An open inspector's name lives in this browser, in a cookie the server reads (so the page knows which notes are "mine"). */
function rememberOpenName(name: string) {
  document.cookie = `${OPEN_NAME_STORAGE_KEY}=${encodeURIComponent(name)}; Path=/; Max-Age=31536000; SameSite=Lax`;
}

/**
 * Unsaved text is kept in this tab's sessionStorage (per interaction for a new note, per note for
 * an edit), so stepping to the next interaction and back, or a reload, loses nothing. Storage can
 * be full or switched off: then drafts simply are not kept.
 */
const newDraftKey = (interactionId: string) => `inspector-note-draft:${interactionId}`;
const editDraftKey = (noteId: string) => `inspector-note-edit:${noteId}`;
interface NewDraft {
  body: string;
  turn: string;
  name: string;
}
function readStored<T>(key: string): T | null {
  try {
    const text = sessionStorage.getItem(key);
    return text === null ? null : (JSON.parse(text) as T);
  } catch {
    return null;
  }
}
function writeStored(key: string, value: unknown) {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Full or disabled storage: the draft is not kept, the box still works.
  }
}

/** Writes drafts a moment after the last change (`now` for a save's clean-up), and all at once on `flush`. */
function createDraftWriter() {
  const pending = new Map<string, unknown>();
  let timer: number | undefined;
  const flush = () => {
    window.clearTimeout(timer);
    for (const [key, value] of pending) writeStored(key, value);
    pending.clear();
  };
  const store = (key: string, value: unknown, { now = false } = {}) => {
    pending.set(key, value);
    window.clearTimeout(timer);
    if (now) flush();
    else timer = window.setTimeout(flush, 300);
  };
  return { flush, store };
}

let pendingCount = 0;

export function NotesPanel({
  interactionId,
  initialNotes,
  author,
  turns,
  renderedAt,
}: {
  interactionId: string;
  initialNotes: PanelNote[];
  author: AuthorMode;
  turns: number;
  renderedAt: number;
}) {
  const [notes, setNotes] = useState(initialNotes);
  const [formError, setFormError] = useState("");
  const [noteErrors, setNoteErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState("");
  const [body, setBody] = useState("");
  const [turn, setTurn] = useState("");
  const [name, setName] = useState(author.kind === "open" ? (author.name ?? "") : author.kind === "verified" ? author.name : "");
  const [draftRestored, setDraftRestored] = useState(false);
  const [editing, setEditing] = useState<{ id: string; body: string } | null>(null);
  /** Edits left unsaved (Escape, Cancel, or stepping away), by note id: Edit takes them up again. */
  const [keptEdits, setKeptEdits] = useState<Record<string, string>>({});
  const [confirmingDelete, setConfirmingDelete] = useState<string | null>(null);
  const [focusRequest, setFocusRequest] = useState<{ id: string } | null>(null);
  const [targets, setTargets] = useState<Map<number, HTMLElement>>(new Map());
  const textarea = useRef<HTMLTextAreaElement>(null);
  const nameField = useRef<HTMLInputElement>(null);
  const newForm = useRef<HTMLFormElement>(null);
  const base = `/api/interactions/${encodeURIComponent(interactionId)}/notes`;
  const asksName = author.kind !== "verified";
  const needsName = asksName && name.trim() === "";

  // Drafts are written a moment after typing stops, and at once when the panel goes (a client-side
  // step to another interaction) or the page is hidden.
  const [drafts] = useState(createDraftWriter);
  const storeDraft = drafts.store;
  useEffect(() => {
    window.addEventListener("pagehide", drafts.flush);
    return () => {
      window.removeEventListener("pagehide", drafts.flush);
      drafts.flush();
    };
  }, [drafts]);

  function storeNewDraft(next: NewDraft) {
    const empty = next.body === "" && next.turn === "";
    storeDraft(newDraftKey(interactionId), empty ? null : { ...next, name: asksName ? next.name : "" });
  }

  // Restore after hydration (the server cannot see this tab's storage).
  useEffect(() => {
    const draft = readStored<NewDraft>(newDraftKey(interactionId));
    const kept: Record<string, string> = {};
    for (const note of initialNotes) {
      const edit = note.mine ? readStored<string>(editDraftKey(note.id)) : null;
      if (typeof edit === "string" && edit !== note.body) kept[note.id] = edit;
    }
    // One batch of state from storage, once, after the first render.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setKeptEdits(kept);
    if (!draft || typeof draft.body !== "string") return;
    setBody(draft.body);
    if (typeof draft.turn === "string" && (draft.turn === "" || Number(draft.turn) <= turns)) setTurn(draft.turn);
    if (asksName && typeof draft.name === "string" && draft.name) setName((current) => current || draft.name);
    if (draft.body) setDraftRestored(true);
    // Once per interaction: the panel is keyed by it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Focus asked for by a save or a delete, once the list has re-rendered.
  useEffect(() => {
    if (!focusRequest) return;
    document.getElementById(focusRequest.id)?.focus();
  }, [focusRequest]);

  // `n` starts a note (when not typing, and no dialog is open), like the page's other single keys:
  // at the name field while the name the note needs is missing, else at the note box.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "n" || event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest("input, textarea, select, [contenteditable='true']") || document.querySelector("dialog[open]")) return;
      event.preventDefault();
      const field = needsName ? nameField.current : textarea.current;
      field?.focus();
      field?.scrollIntoView({ block: "center" });
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [needsName]);

  // Pinned notes are shown beside their turn too: a link in the turn's article to the note.
  const pinnedTurns = [...new Set(notes.flatMap((note) => (note.turn === null ? [] : [note.turn])))].sort((a, b) => a - b);
  const pinnedKey = pinnedTurns.join(",");
  useEffect(() => {
    const found = new Map<number, HTMLElement>();
    for (const number of pinnedKey ? pinnedKey.split(",").map(Number) : []) {
      const article = document.getElementById(`turn-${number}`);
      if (!article) continue;
      let slot = article.querySelector<HTMLElement>(":scope > [data-note-slot]");
      if (!slot) {
        slot = document.createElement("div");
        slot.dataset.noteSlot = "";
        article.append(slot);
      }
      found.set(number, slot);
    }
    // After the browser has the slots in place (the turns are server-rendered HTML, not React's).
    const frame = requestAnimationFrame(() => setTargets(found));
    return () => cancelAnimationFrame(frame);
  }, [pinnedKey]);

  function withName(payload: Record<string, unknown>): Record<string, unknown> {
    if (!asksName) return payload;
    if (author.kind === "open") rememberOpenName(name.trim());
    return { ...payload, authorName: name };
  }

  const setNoteError = (id: string, message: string) =>
    setNoteErrors((current) => {
      const next = { ...current };
      if (message) next[id] = message;
      else delete next[id];
      return next;
    });

  /** Ctrl+Enter (Cmd+Enter on a Mac) sends the form the box is in, as its submit button would. */
  function submitOnCtrlEnter(event: React.KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    event.currentTarget.form?.requestSubmit();
  }

  async function add(event: React.FormEvent) {
    event.preventDefault();
    setFormError("");
    if (needsName) {
      setFormError(NAME_FIRST);
      nameField.current?.focus();
      return;
    }
    if (body.trim() === "") {
      setFormError("Write the note first.");
      textarea.current?.focus();
      return;
    }
    const pinned = turn ? Number(turn) : null;
    const draft = body;
    const temporary: PanelNote = {
      id: `pending-${(pendingCount += 1)}`,
      turn: pinned,
      body: draft,
      html: null,
      author: name.trim() || "you",
      authorVerified: author.kind === "verified" && author.verified,
      createdAt: new Date().toISOString(),
      updatedAt: null,
      mine: true,
    };
    // Shown at once; taken back, with the text returned to the box, if the save fails. The stored
    // draft stays until the server has the note.
    setNotes((current) => [...current, temporary]);
    setBody("");
    setDraftRestored(false);
    setStatus("Saving your note…");
    try {
      const response = await fetch(base, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(withName({ body: draft, turn: pinned })) });
      if (!response.ok) throw new Refused(await failureMessage(response));
      const saved = (await response.json()) as PanelNote;
      setNotes((current) => current.map((note) => (note.id === temporary.id ? saved : note)));
      // Cleared unless the box already holds newer text (typed while this one was on its way).
      drafts.flush();
      const stored = readStored<NewDraft>(newDraftKey(interactionId));
      if (!stored || stored.body === draft) storeDraft(newDraftKey(interactionId), null, { now: true });
      setStatus("Note saved.");
    } catch (failure) {
      setNotes((current) => current.filter((note) => note.id !== temporary.id));
      setBody((current) => current || draft);
      setStatus("");
      setFormError(`Your note was not saved: ${reasonOf(failure)}. Your text is kept in the box.`);
    }
  }

  function startEdit(note: PanelNote) {
    // Another note's open edit is kept, as Escape would keep it.
    const open = editing && notes.find((item) => item.id === editing.id);
    if (open && open.id !== note.id) closeEdit(open, { moveFocus: false });
    setNoteError(note.id, "");
    setConfirmingDelete(null);
    setEditing({ id: note.id, body: keptEdits[note.id] ?? note.body });
  }

  /** Escape or Cancel: a changed text is kept (Edit takes it up again), never silently dropped. */
  function closeEdit(note: PanelNote, { moveFocus = true } = {}) {
    if (!editing) return;
    const changed = editing.body !== note.body;
    setKeptEdits((current) => {
      const next = { ...current };
      if (changed) next[note.id] = editing.body;
      else delete next[note.id];
      return next;
    });
    storeDraft(editDraftKey(note.id), changed ? editing.body : null, { now: true });
    setEditing(null);
    setStatus(changed ? "Your unsaved change is kept: Resume editing takes it up again." : "");
    if (moveFocus) setFocusRequest({ id: `note-${note.id}-edit` });
  }

  function discardKeptEdit(note: PanelNote) {
    setKeptEdits((current) => {
      const next = { ...current };
      delete next[note.id];
      return next;
    });
    storeDraft(editDraftKey(note.id), null, { now: true });
    setStatus("Unsaved change discarded.");
    setFocusRequest({ id: `note-${note.id}-edit` });
  }

  async function saveEdit(note: PanelNote, text: string) {
    setNoteError(note.id, "");
    if (asksName && name.trim() === "") {
      setNoteError(note.id, NAME_FIRST);
      nameField.current?.focus();
      return;
    }
    const before = note;
    setNotes((current) => current.map((item) => (item.id === note.id ? { ...item, body: text, html: null, updatedAt: new Date().toISOString() } : item)));
    setEditing(null);
    setStatus("Saving your change…");
    setFocusRequest({ id: `note-${note.id}` });
    try {
      const response = await fetch(`${base}/${encodeURIComponent(note.id)}`, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(withName({ body: text })) });
      if (!response.ok) throw new Refused(await failureMessage(response));
      const saved = (await response.json()) as PanelNote;
      setNotes((current) => current.map((item) => (item.id === note.id ? saved : item)));
      setKeptEdits((current) => {
        const next = { ...current };
        delete next[note.id];
        return next;
      });
      storeDraft(editDraftKey(note.id), null, { now: true });
      setStatus("Change saved.");
    } catch (failure) {
      setNotes((current) => current.map((item) => (item.id === note.id ? before : item)));
      setEditing({ id: note.id, body: text });
      storeDraft(editDraftKey(note.id), text, { now: true });
      setStatus("");
      setNoteError(note.id, `Your change was not saved: ${reasonOf(failure)}. Your text is kept: Save to try again.`);
    }
  }

  async function remove(note: PanelNote) {
    setNoteError(note.id, "");
    setConfirmingDelete(null);
    const index = notes.findIndex((item) => item.id === note.id);
    // Focus goes to the note that takes its place (or the one before it, or the heading).
    const neighbour = notes[index + 1] ?? notes[index - 1];
    setNotes((current) => current.filter((item) => item.id !== note.id));
    setStatus("Deleting the note…");
    setFocusRequest({ id: neighbour ? `note-${neighbour.id}` : "notes-heading" });
    try {
      const response = await fetch(`${base}/${encodeURIComponent(note.id)}`, { method: "DELETE", headers: { "Content-Type": "application/json" }, body: JSON.stringify(withName({})) });
      if (!response.ok && response.status !== 404) throw new Refused(await failureMessage(response));
      storeDraft(editDraftKey(note.id), null, { now: true });
      setStatus("Note deleted.");
    } catch (failure) {
      setNotes((current) => (current.some((item) => item.id === note.id) ? current : [...current.slice(0, index), note, ...current.slice(index)]));
      setStatus("");
      setNoteError(note.id, `The note was not deleted: ${reasonOf(failure)}.`);
      setFocusRequest({ id: `note-${note.id}` });
    }
  }

  return (
    <section aria-labelledby="notes-heading" className="card" id="notes">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="notes-heading" tabIndex={-1} className="scroll-mt-16 text-base font-semibold">
          Notes {notes.length ? <span className="font-normal text-muted">({notes.length})</span> : null}
        </h2>
        <span className="text-xs text-muted">
          For your team only: share links never show notes. Press <kbd className="kbd">n</kbd> to write one.
        </span>
      </div>
      {notes.length === 0 ? <p className="empty">No notes yet.</p> : null}
      <ol className="space-y-3">
        {notes.map((note) => {
          const noteError = noteErrors[note.id];
          const kept = keptEdits[note.id];
          return (
            <li key={note.id}>
              <article id={`note-${note.id}`} tabIndex={-1} aria-label={`Note by ${note.author}`} className="scroll-mt-16 rounded border border-line p-3">
                <p className="mb-2 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted">
                  <span className="font-medium text-ink">{note.author}</span>
                  {note.authorVerified ? null : <span title="Not from single sign-on: the name its writer gave (at sign-in with the shared password, or in an open inspector's browser).">(unverified)</span>}
                  <LocalTimeText iso={note.createdAt} renderedAt={renderedAt} />
                  {note.updatedAt ? (
                    <span>
                      (edited <LocalTimeText iso={note.updatedAt} renderedAt={renderedAt} />)
                    </span>
                  ) : null}
                  {note.turn !== null ? (
                    <a href={`#turn-${note.turn}`} className="text-accent underline">
                      On turn {note.turn}
                    </a>
                  ) : null}
                </p>
                {editing?.id === note.id ? (
                  <form
                    onSubmit={(event) => {
                      event.preventDefault();
                      void saveEdit(note, editing.body);
                    }}
                    className="space-y-2"
                  >
                    <label htmlFor={`edit-${note.id}`} className="sr-only">
                      Edit your note
                    </label>
                    <textarea
                      id={`edit-${note.id}`}
                      className="field min-h-24 w-full"
                      maxLength={NOTE_MAX_CHARS}
                      required
                      autoFocus
                      aria-describedby={`edit-${note.id}-keys`}
                      value={editing.body}
                      onChange={(event) => {
                        setEditing({ id: note.id, body: event.target.value });
                        storeDraft(editDraftKey(note.id), event.target.value === note.body ? null : event.target.value);
                      }}
                      onKeyDown={(event) => {
                        if (event.key === "Escape") {
                          event.preventDefault();
                          closeEdit(note);
                        } else submitOnCtrlEnter(event);
                      }}
                    />
                    <div className="flex flex-wrap items-center gap-2">
                      <button type="submit" className="btn btn-primary">
                        Save
                      </button>
                      <button type="button" className="btn" onClick={() => closeEdit(note)}>
                        Cancel
                      </button>
                      <span id={`edit-${note.id}-keys`} className="text-xs text-muted">
                        <kbd className="kbd">Ctrl</kbd>+<kbd className="kbd">Enter</kbd> saves; <kbd className="kbd">Esc</kbd> closes and keeps your change.
                      </span>
                    </div>
                  </form>
                ) : note.html === null ? (
                  <p className="whitespace-pre-wrap break-words">{note.body}</p>
                ) : (
                  // The server's rendering through the messages' sanitising Markdown renderer (lib/render).
                  <div className="md break-words" dangerouslySetInnerHTML={{ __html: note.html }} />
                )}
                {note.mine && editing?.id !== note.id && !note.id.startsWith("pending-") ? (
                  confirmingDelete === note.id ? (
                    <div
                      role="group"
                      aria-label="Confirm deleting this note"
                      className="mt-2 flex flex-wrap items-center gap-2"
                      onKeyDown={(event) => {
                        if (event.key !== "Escape") return;
                        event.preventDefault();
                        setConfirmingDelete(null);
                        setFocusRequest({ id: `note-${note.id}-delete` });
                      }}
                    >
                      <span className="text-sm font-medium">Delete this note?</span>
                      <button type="button" className={DANGER_BUTTON} onClick={() => void remove(note)}>
                        Delete
                      </button>
                      <button
                        type="button"
                        className="btn"
                        id={`note-${note.id}-keep`}
                        onClick={() => {
                          setConfirmingDelete(null);
                          setFocusRequest({ id: `note-${note.id}-delete` });
                        }}
                      >
                        Keep it
                      </button>
                    </div>
                  ) : (
                    <div className="mt-2 flex flex-wrap items-center gap-2">
                      <button type="button" id={`note-${note.id}-edit`} className="btn btn-quiet" onClick={() => startEdit(note)}>
                        {kept === undefined ? "Edit" : "Resume editing"}
                        <span className="sr-only"> your note</span>
                      </button>
                      <button
                        type="button"
                        id={`note-${note.id}-delete`}
                        className="btn btn-quiet"
                        onClick={() => {
                          setNoteError(note.id, "");
                          setConfirmingDelete(note.id);
                          setFocusRequest({ id: `note-${note.id}-keep` });
                        }}
                      >
                        Delete…<span className="sr-only"> your note</span>
                      </button>
                      {kept === undefined ? null : (
                        <span className="text-xs text-muted">
                          You have an unsaved change to this note.{" "}
                          <button type="button" className="text-accent underline" onClick={() => discardKeptEdit(note)}>
                            Discard it
                          </button>
                        </span>
                      )}
                    </div>
                  )
                ) : null}
                {noteError ? (
                  <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">
                    {noteError}
                  </p>
                ) : null}
              </article>
            </li>
          );
        })}
      </ol>
      <form ref={newForm} onSubmit={add} className="mt-4 space-y-2" aria-label="New note">
        {asksName ? (
          <div>
            <label htmlFor="note-author" className="block text-sm font-medium">
              Your name{" "}
              <span className="font-normal text-muted">{author.kind === "open" ? "(remembered by this browser; shown as unverified)" : "(kept for this session; shown as unverified)"}</span>
            </label>
            <input
              ref={nameField}
              id="note-author"
              className="field w-full"
              maxLength={DISPLAY_NAME_MAX_CHARS}
              autoComplete="name"
              value={name}
              onChange={(event) => {
                const next = event.target.value;
                setName(next);
                if (next.trim() !== "" && formError === NAME_FIRST) setFormError("");
                if (next.trim() !== "") setNoteErrors((current) => Object.fromEntries(Object.entries(current).filter(([, message]) => message !== NAME_FIRST)));
                if (body !== "" || turn !== "") storeNewDraft({ body, turn, name: next });
              }}
            />
          </div>
        ) : null}
        <label htmlFor="note-body" className="block text-sm font-medium">
          Add a note <span className="font-normal text-muted">(Markdown; as {asksName ? "the name above" : name})</span>
        </label>
        <textarea
          ref={textarea}
          id="note-body"
          className="field min-h-24 w-full"
          maxLength={NOTE_MAX_CHARS}
          required
          aria-describedby="note-body-hint"
          value={body}
          onChange={(event) => {
            setBody(event.target.value);
            setDraftRestored(false);
            storeNewDraft({ body: event.target.value, turn, name });
          }}
          onKeyDown={submitOnCtrlEnter}
        />
        <p id="note-body-hint" className="text-xs text-muted">
          {draftRestored ? "Your unsaved note from before is back in the box. " : null}
          <kbd className="kbd">Ctrl</kbd>+<kbd className="kbd">Enter</kbd> adds it. Unsaved text is kept in this tab if you step away.
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <label htmlFor="note-turn" className="text-sm">
            About
          </label>
          <select
            id="note-turn"
            className="field"
            value={turn}
            onChange={(event) => {
              setTurn(event.target.value);
              storeNewDraft({ body, turn: event.target.value, name });
            }}
          >
            <option value="">the whole interaction</option>
            {Array.from({ length: turns }, (_, index) => (
              <option key={index + 1} value={String(index + 1)}>
                turn {index + 1}
              </option>
            ))}
          </select>
          <button type="submit" className="btn btn-primary ml-auto">
            Add note
          </button>
        </div>
        <p role="status" className="sr-only">
          {status}
        </p>
        {formError ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {formError}
          </p>
        ) : null}
      </form>
      {pinnedTurns.map((number) => {
        const slot = targets.get(number);
        const pinned = notes.filter((note) => note.turn === number);
        return slot && pinned.length
          ? createPortal(
              <p className="mt-2 text-xs">
                <a href={`#note-${pinned[0].id}`} className="text-accent underline">
                  {pinned.length === 1 ? `Note by ${pinned[0].author}` : `${pinned.length} notes`} on this turn
                </a>
              </p>,
              slot,
              `turn-${number}`,
            )
          : null;
      })}
    </section>
  );
}
