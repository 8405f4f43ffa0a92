import { z } from "zod";
import { currentViewer, identify } from "@/lib/access";
import { AppError } from "@/lib/errors";
import { publicOrigin, readJsonBody, withErrorHandling } from "@/lib/http";
import { createShareLink, EXPIRY_OPTIONS, listShareLinks, type ExpiresIn } from "@/lib/sharing";

export const dynamic = "force-dynamic";

const createSchema = z.object({
  interactionId: z.string().max(100),
  expiresIn: z.enum(Object.keys(EXPIRY_OPTIONS) as [ExpiresIn, ...ExpiresIn[]]),
  hideSensitive: z.boolean().default(false),
});

export const GET = withErrorHandling(async (request: Request) =>
  Response.json({ links: await listShareLinks(currentViewer(request.headers)) }, { headers: { "Cache-Control": "private, no-store" } }),
);

export const POST = withErrorHandling(async (request: Request) => {
  const parsed = createSchema.safeParse(await readJsonBody(request));
  if (!parsed.success) {
    throw new AppError("invalid_request", `Send {"interactionId", "expiresIn": ${Object.keys(EXPIRY_OPTIONS).map((key) => `"${key}"`).join("|")}, "hideSensitive": boolean}.`);
  }
  const viewer = currentViewer(request.headers);
  const link = await createShareLink({
    ...parsed.data,
    createdBy: viewer.via === "open" ? `anyone (open access) at ${identify(request.headers).address}` : viewer.name,
    origin: publicOrigin(request.headers),
    actor: viewer.name,
    client: identify(request.headers).address,
    viewer,
  });
  return Response.json(link, { status: 201, headers: { "Cache-Control": "no-store" } });
});
