import { z } from "zod";

/**
 * Nebuly's documented types are a floor, not a contract: fields go missing, turn null, change
 * type between versions (`emotions` is documented both as a label list and as label → score),
 * and new fields appear. Every known field therefore falls back to `null` when it has a shape
 * we cannot use, unknown fields are kept, and only a body without a usable `id` is rejected.
 */
const text = z
  .union([z.string(), z.number(), z.boolean()])
  .transform((value) => String(value))
  .nullish()
  .catch(null);

const numeric = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/)
      .transform(Number),
  ])
  .refine(Number.isFinite)
  .nullish()
  .catch(null);

const flag = z
  .union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")])
  .nullish()
  .catch(null);

/** A list of labels, or label → score; anything else is dropped rather than failing the whole body. */
export const emotionsSchema = z
  .union([
    z.array(z.unknown()).transform((items) => items.filter((item) => typeof item === "string")),
    z.record(z.string(), z.unknown()).transform((scores) =>
      Object.fromEntries(
        Object.entries(scores).filter(
          (entry): entry is [string, number] => typeof entry[1] === "number" && Number.isFinite(entry[1]),
        ),
      ),
    ),
  ])
  .nullish()
  .catch(null);

export const conversationTurnSchema = z.looseObject({
  input: text,
  output: text,
  timestamp: text,
  is_chosen: flag,
});

export type ConversationTurn = z.infer<typeof conversationTurnSchema>;

export const interactionSchema = z.looseObject({
  id: z.union([z.string().trim().min(1), z.number().transform(String)]),
  project_id: text,
  sentiment: text,
  emotions: emotionsSchema,
  cost: numeric,
  topic: text,
  intent: text,
  input: text,
  output: text,
  latency: numeric,
  pii_removed: flag,
  text_language: text,
  timestamp: text,
  end_timestamp: text,
  user: text,
  verbosity: z.union([z.string(), z.number()]).nullish().catch(null),
  actions: z.unknown().optional(),
  action_details: z.unknown().optional(),
  feedback_actions: z.unknown().optional(),
  feedback_action_text: z.unknown().optional(),
  feedback_action_rating: z.unknown().optional(),
  user_query: text,
  tags: z.unknown().optional(),
  feedback_type: text,
  risky_behavior: z.unknown().optional(),
  rags: z.unknown().optional(),
  rags_details: z.unknown().optional(),
  warning_message: text,
  conversation_id: text,
  conversation: z
    .array(z.unknown())
    .transform((turns) =>
      turns.flatMap((turn) => {
        const parsed = conversationTurnSchema.safeParse(turn);
        return parsed.success ? [parsed.data] : [];
      }),
    )
    .nullish()
    .catch(null),
});

export type Interaction = z.infer<typeof interactionSchema>;

export const listFilterSchema = z.object({
  kind: z.string(),
  tag: z.string().optional(),
  values: z.array(z.string()),
});

export const listRequestSchema = z.object({
  time_range: z.object({ start: z.string(), end: z.string() }),
  filters: z.array(listFilterSchema),
  limit: z.number().int().min(1).max(100),
  offset: z.number().int().min(0),
});

export type ListRequest = z.infer<typeof listRequestSchema>;

export const listItemSchema = z.looseObject({
  id: z.union([z.string().min(1), z.number().transform(String)]),
  input_text: text,
  output_text: text,
  user_query: text,
  end_user: text,
  timestamp: text,
});

export const listResponseSchema = z.looseObject({
  total: z.number().int().min(0).catch(0),
  offset: z.number().int().min(0).catch(0),
  limit: z.number().int().min(0).catch(0),
  data: z.array(listItemSchema),
});

export type ListResponse = z.infer<typeof listResponseSchema>;
