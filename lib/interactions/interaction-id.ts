import { z } from "zod";
import { AppError } from "@/lib/errors";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// No trimming: " <uuid>" or "<uuid>\n" in an address is not an id (the open box trims what people paste).
export const interactionIdSchema = z
  .string()
  .regex(UUID_PATTERN)
  .transform((id) => id.toLowerCase());

/** Returns the id in canonical (lower-case) form, or throws `invalid_interaction_id`. */
export function parseInteractionId(value: unknown): string {
  const parsed = interactionIdSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError(
    "invalid_interaction_id",
    "An interaction id is a UUID such as 3f2b8c1e-5d4a-4e7b-9c21-0a6f8e9d1b23.",
  );
}
