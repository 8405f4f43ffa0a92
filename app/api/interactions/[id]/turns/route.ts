import { z } from "zod";
import { AppError } from "@/lib/errors";
import { withErrorHandling } from "@/lib/http";
import { currentViewer } from "@/lib/access";
import { getInteraction, parseInteractionId } from "@/lib/interactions";
import { toInteractionView } from "@/lib/render/interaction-view";
import { formattedTurnsHtml } from "@/lib/render/conversation-html";
import { snapshotKey } from "@/lib/render/message";

export const dynamic = "force-dynamic";

const MAX_TURNS_PER_REQUEST = 100;

const rangeSchema = z
  .object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) })
  .refine((range) => range.to >= range.from && range.to - range.from < MAX_TURNS_PER_REQUEST, {
    message: `to must be ≥ from, and at most ${MAX_TURNS_PER_REQUEST} turns at once`,
  });

/** Formatted assistant messages for a range of turns: long conversations format them on scroll. */
export const GET = withErrorHandling(async (request: Request, context: RouteContext<"/api/interactions/[id]/turns">) => {
  const id = parseInteractionId((await context.params).id);
  const params = new URL(request.url).searchParams;
  const range = rangeSchema.safeParse({ from: params.get("from"), to: params.get("to") });
  if (!range.success) {
    throw new AppError("invalid_query", `from and to must be turn numbers: ${range.error.issues.map((issue) => issue.message).join("; ")}`);
  }
  const snapshot = await getInteraction(id, currentViewer(request.headers));
  const turns = await formattedTurnsHtml(toInteractionView(snapshot.interaction), snapshotKey(snapshot.id, snapshot.fetchedAt), range.data.from, range.data.to);
  return Response.json({ turns }, { headers: { "Cache-Control": "private, no-store" } });
});
