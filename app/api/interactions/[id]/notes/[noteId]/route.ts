import { cookies } from "next/headers";
import { currentViewer, identify, SESSION_COOKIE } from "@/lib/access";
import { withErrorHandling } from "@/lib/http";
import { deleteNote, editNote, type NoteRequester } from "@/lib/notes";
import { OPEN_NAME_COOKIE, openModeName, readNoteDeletion, readNoteEdit } from "@/lib/notes/request";

export const dynamic = "force-dynamic";

async function requester(request: Request, authorName: string | undefined): Promise<NoteRequester> {
  const jar = await cookies();
  return {
    viewer: currentViewer(request.headers),
    client: identify(request.headers).address,
    claimedName: authorName ?? openModeName(jar.get(OPEN_NAME_COOKIE)?.value),
    sessionCookie: jar.get(SESSION_COOKIE)?.value,
  };
}

/** Changes the text of one's own note (`{"body"}`); 403 for another author's, 404 for an unknown id. */
export const PATCH = withErrorHandling(async (request: Request, context: RouteContext<"/api/interactions/[id]/notes/[noteId]">) => {
  const { id, noteId } = await context.params;
  const input = await readNoteEdit(request);
  const note = await editNote(id, noteId, { body: input.body }, await requester(request, input.authorName));
  return Response.json(note, { headers: { "Cache-Control": "private, no-store" } });
});

/** Deletes one's own note → 204; 403 for another author's, 404 for an unknown id. */
export const DELETE = withErrorHandling(async (request: Request, context: RouteContext<"/api/interactions/[id]/notes/[noteId]">) => {
  const { id, noteId } = await context.params;
  const input = await readNoteDeletion(request);
  await deleteNote(id, noteId, await requester(request, input.authorName));
  return new Response(null, { status: 204 });
});
