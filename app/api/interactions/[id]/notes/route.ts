import { cookies } from "next/headers";
import { currentViewer, identify, SESSION_COOKIE } from "@/lib/access";
import { withErrorHandling } from "@/lib/http";
import { addNote, listNotes } from "@/lib/notes";
import { OPEN_NAME_COOKIE, openModeName, readNewNote } from "@/lib/notes/request";

export const dynamic = "force-dynamic";

const noStore = { "Cache-Control": "private, no-store" };

/** The notes on a cached interaction the viewer may see, oldest first (404 otherwise). */
export const GET = withErrorHandling(async (request: Request, context: RouteContext<"/api/interactions/[id]/notes">) => {
  const jar = await cookies();
  const notes = await listNotes((await context.params).id, { viewer: currentViewer(request.headers), claimedName: openModeName(jar.get(OPEN_NAME_COOKIE)?.value) });
  return Response.json({ notes }, { headers: noStore });
});

/** Adds a note (`{"body", "turn"?, "authorName"?}`) → 201 with the note. */
export const POST = withErrorHandling(async (request: Request, context: RouteContext<"/api/interactions/[id]/notes">) => {
  const input = await readNewNote(request);
  const jar = await cookies();
  const note = await addNote(
    (await context.params).id,
    { body: input.body, turn: input.turn ?? null },
    {
      viewer: currentViewer(request.headers),
      client: identify(request.headers).address,
      claimedName: input.authorName ?? openModeName(jar.get(OPEN_NAME_COOKIE)?.value),
      sessionCookie: jar.get(SESSION_COOKIE)?.value,
    },
  );
  return Response.json(note, { status: 201, headers: noStore });
});
