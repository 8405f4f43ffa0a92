import { z } from "zod";
import { AppError } from "@/lib/errors";
import { parseJson, readBodyText } from "@/lib/http";
import { NOTE_BODY_BYTES, OPEN_NAME_STORAGE_KEY } from "./limits";

// Lengths are checked by the service (with the limit in words); these only bound what is parsed.
const newNote = z.strictObject({
  body: z.string().max(100_000),
  turn: z.number().int().min(1).max(1_000_000).nullable().optional(),
  authorName: z.string().max(1_000).optional(),
});
const noteEdit = z.strictObject({ body: z.string().max(100_000), authorName: z.string().max(1_000).optional() });
const noteDeletion = z.strictObject({ authorName: z.string().max(1_000).optional() });

/** A 400 naming the first field that is wrong, in the one error shape. */
function invalid(error: z.ZodError): AppError {
  const issue = error.issues[0];
  const field = issue?.path.join(".") || (issue?.code === "unrecognized_keys" ? issue.keys.join(", ") : "body");
  return new AppError("invalid_request", `${field}: ${issue?.message ?? "not valid"}.`);
}

async function parsed<T>(request: Request, schema: z.ZodType<T>, emptyAllowed = false): Promise<T> {
  const text = await readBodyText(request, NOTE_BODY_BYTES);
  if (emptyAllowed && text.trim() === "") return schema.parse({});
  const json = parseJson(text);
  if (json === null || typeof json !== "object") throw new AppError("invalid_request", "Send the note as a JSON object.");
  const result = schema.safeParse(json);
  if (!result.success) throw invalid(result.error);
  return result.data;
}

export const readNewNote = (request: Request) => parsed(request, newNote);
export const readNoteEdit = (request: Request) => parsed(request, noteEdit);
export const readNoteDeletion = (request: Request) => parsed(request, noteDeletion, true);

/** The name an open inspector's browser keeps for its notes (a cookie the notes form sets). */
export function openModeName(cookieValue: string | undefined): string | undefined {
  if (!cookieValue) return undefined;
  try {
    return decodeURIComponent(cookieValue);
  } catch {
    return undefined;
  }
}

export { OPEN_NAME_STORAGE_KEY as OPEN_NAME_COOKIE };
