"use client";

import { useEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";
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
export type AuthorMode = { kind: "verified"; name: string } | { kind: "unnamed-session" } | { kind: "open"; name: string | null };

const formatTime = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

async function failureMessage(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `the server answered ${response.status}`;
}

/** An open inspector's name lives in this browser, in a cookie the server reads (so the page knows which notes are "mine"). */
function rememberOpenName(name: string) {
  document.cookie = `${OPEN_NAME_STORAGE_KEY}=${encodeURIComponent(name)}; Path=/; Max-Age=31536000; SameSite=Lax`;
}

export function NotesPanel({ interactionId, initialNotes, author, turns }: { interactionId: string; initialNotes: PanelNote[]; author: AuthorMode; turns: number }) {
  const [notes, setNotes] = useState(initialNotes);
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");
  const [body, setBody] = useState("");
  const [turn, setTurn] = useState("");
  const [name, setName] = useState(author.kind === "open" ? (author.name ?? "") : author.kind === "verified" ? author.name : "");
  const [editing, setEditing] = useState<{ id: string; body: string } | null>(null);
  const [targets, setTargets] = useState<Map<number, HTMLElement>>(new Map());
  const textarea = useRef<HTMLTextAreaElement>(null);
  const base = `/api/interactions/${encodeURIComponent(interactionId)}/notes`;
  const asksName = author.kind !== "verified";

  // `n` starts a note (when not typing, and no dialog is open), like the page's other single keys.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "n" || event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest("input, textarea, select, [contenteditable='true']") || document.querySelector("dialog[open]")) return;
      event.preventDefault();
      textarea.current?.focus();
      textarea.current?.scrollIntoView({ block: "center" });
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

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

  async function add(event: React.FormEvent) {
    event.preventDefault();
    setError("");
    if (asksName && name.trim() === "") {
      setError("Give your name first: it is shown on your notes.");
      return;
    }
    const pinned = turn ? Number(turn) : null;
    const draft = body;
    const temporary: PanelNote = {
      id: `pending-${Date.now()}`,
      turn: pinned,
      body: draft,
      html: null,
      author: name.trim() || "you",
      authorVerified: author.kind !== "open",
      createdAt: new Date().toISOString(),
      updatedAt: null,
      mine: true,
    };
    // Shown at once; taken back, with the text returned to the box, if the save fails.
    setNotes((current) => [...current, temporary]);
    setBody("");
    setStatus("Saving your note…");
    try {
      const response = await fetch(base, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(withName({ body: draft, turn: pinned })) });
      if (!response.ok) throw new Error(await failureMessage(response));
      const saved = (await response.json()) as PanelNote;
      setNotes((current) => current.map((note) => (note.id === temporary.id ? saved : note)));
      setStatus("Note saved.");
    } catch (failure) {
      setNotes((current) => current.filter((note) => note.id !== temporary.id));
      setBody(draft);
      setStatus("");
      setError(`Your note was not saved (${failure instanceof Error ? failure.message : "no answer"}). Its text is back in the box.`);
    }
  }

  async function saveEdit(note: PanelNote, text: string) {
    setError("");
    const before = note;
    setNotes((current) => current.map((item) => (item.id === note.id ? { ...item, body: text, html: null, updatedAt: new Date().toISOString() } : item)));
    setEditing(null);
    setStatus("Saving your change…");
    try {
      const response = await fetch(`${base}/${encodeURIComponent(note.id)}`, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(withName({ body: text })) });
      if (!response.ok) throw new Error(await failureMessage(response));
      const saved = (await response.json()) as PanelNote;
      setNotes((current) => current.map((item) => (item.id === note.id ? saved : item)));
      setStatus("Change saved.");
    } catch (failure) {
      setNotes((current) => current.map((item) => (item.id === note.id ? before : item)));
      setEditing({ id: note.id, body: text });
      setStatus("");
      setError(`Your change was not saved (${failure instanceof Error ? failure.message : "no answer"}). The note is as it was.`);
    }
  }

  async function remove(note: PanelNote) {
    setError("");
    const index = notes.findIndex((item) => item.id === note.id);
    setNotes((current) => current.filter((item) => item.id !== note.id));
    setStatus("Deleting the note…");
    try {
      const response = await fetch(`${base}/${encodeURIComponent(note.id)}`, { method: "DELETE", headers: { "Content-Type": "application/json" }, body: JSON.stringify(withName({})) });
      if (!response.ok && response.status !== 404) throw new Error(await failureMessage(response));
      setStatus("Note deleted.");
      textarea.current?.focus();
    } catch (failure) {
      setNotes((current) => [...current.slice(0, index), note, ...current.slice(index)]);
      setStatus("");
      setError(`The note was not deleted (${failure instanceof Error ? failure.message : "no answer"}).`);
    }
  }

  return (
    <section aria-labelledby="notes-heading" className="card" id="notes">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="notes-heading" className="scroll-mt-16 text-base font-semibold">
          Notes {notes.length ? <span className="font-normal text-muted">({notes.length})</span> : null}
        </h2>
        <span className="text-xs text-muted">
          For your team only: share links never show notes. Press <kbd className="kbd">n</kbd> to write one.
        </span>
      </div>
      {notes.length === 0 ? <p className="empty">No notes yet.</p> : null}
      <ol className="space-y-3">
        {notes.map((note) => (
          <li key={note.id}>
            <article id={`note-${note.id}`} aria-label={`Note by ${note.author}`} className="scroll-mt-16 rounded border border-line p-3">
              <p className="mb-2 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted">
                <span className="font-medium text-ink">{note.author}</span>
                {note.authorVerified ? null : <span title="An open inspector: this name is what the writer's browser said.">(unverified)</span>}
                <time dateTime={note.createdAt}>{formatTime(note.createdAt)}</time>
                {note.updatedAt ? <span>(edited {formatTime(note.updatedAt)})</span> : null}
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
                    value={editing.body}
                    onChange={(event) => setEditing({ id: note.id, body: event.target.value })}
                    onKeyDown={(event) => {
                      if (event.key === "Escape") setEditing(null);
                    }}
                  />
                  <div className="flex gap-2">
                    <button type="submit" className="btn btn-primary">
                      Save
                    </button>
                    <button type="button" className="btn" onClick={() => setEditing(null)}>
                      Cancel
                    </button>
                  </div>
                </form>
              ) : note.html === null ? (
                <p className="whitespace-pre-wrap break-words">{note.body}</p>
              ) : (
                // The server's rendering through the messages' sanitising Markdown renderer (lib/render).
                <div className="md break-words" dangerouslySetInnerHTML={{ __html: note.html }} />
              )}
              {note.mine && editing?.id !== note.id && !note.id.startsWith("pending-") ? (
                <div className="mt-2 flex gap-2">
                  <button type="button" className="btn btn-quiet" onClick={() => setEditing({ id: note.id, body: note.body })}>
                    Edit<span className="sr-only"> your note</span>
                  </button>
                  <button type="button" className="btn btn-quiet" onClick={() => void remove(note)}>
                    Delete<span className="sr-only"> your note</span>
                  </button>
                </div>
              ) : null}
            </article>
          </li>
        ))}
      </ol>
      <form onSubmit={add} className="mt-4 space-y-2" aria-label="New note">
        {asksName ? (
          <div>
            <label htmlFor="note-author" className="block text-sm font-medium">
              Your name{" "}
              <span className="font-normal text-muted">{author.kind === "open" ? "(remembered by this browser; shown as unverified)" : "(kept for this session)"}</span>
            </label>
            <input id="note-author" className="field w-full" maxLength={DISPLAY_NAME_MAX_CHARS} autoComplete="name" value={name} onChange={(event) => setName(event.target.value)} />
          </div>
        ) : null}
        <label htmlFor="note-body" className="block text-sm font-medium">
          Add a note <span className="font-normal text-muted">(Markdown; as {asksName ? "the name above" : name})</span>
        </label>
        <textarea ref={textarea} id="note-body" className="field min-h-24 w-full" maxLength={NOTE_MAX_CHARS} required value={body} onChange={(event) => setBody(event.target.value)} />
        <div className="flex flex-wrap items-center gap-2">
          <label htmlFor="note-turn" className="text-sm">
            About
          </label>
          <select id="note-turn" className="field" value={turn} onChange={(event) => setTurn(event.target.value)}>
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
        {error ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {error}
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
