import { cookies } from "next/headers";
import { cache } from "react";
import type { Viewer } from "@/lib/access";
import { knownAuthor, listNotes } from "@/lib/notes";
import { OPEN_NAME_COOKIE, openModeName } from "@/lib/notes/request";
import { NotesPanel, type AuthorMode } from "./notes-panel";

/** The times shown are not relative, so this only completes LocalTimeText's props (as LocalTime does). */
const requestTime = cache(() => Date.now());

/**
 * The team's notes on the interaction page (never on a share view: InteractionBody shows them only
 * when the page passes this in). Rendered on the server with the notes' Markdown formatted; the
 * panel then adds, edits and deletes them in place.
 */
export async function NotesSection({ interactionId, viewer, turns }: { interactionId: string; viewer: Viewer; turns: number }) {
  const claimedName = openModeName((await cookies()).get(OPEN_NAME_COOKIE)?.value);
  const notes = await listNotes(interactionId, { viewer, claimedName });
  const known = knownAuthor(viewer, claimedName);
  const author: AuthorMode =
    viewer.via === "open" ? { kind: "open", name: known?.name ?? null } : known ? { kind: "verified", name: known.name, verified: known.verified } : { kind: "unnamed-session" };
  // Keyed by the interaction: stepping to the next one (a client-side navigation) starts a fresh
  // panel, which restores that interaction's own unsaved draft.
  return <NotesPanel key={interactionId} interactionId={interactionId} initialNotes={notes} author={author} turns={turns} renderedAt={requestTime()} />;
}
