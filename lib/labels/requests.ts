import { z } from "zod";
import { AppError } from "@/lib/errors";

/*
 * What the labels API accepts, parsed once for its routes. Names and colours are only shaped here
 * (strings of a bounded size); what makes a good name or colour is the service's to say.
 */

const name = z.string({ error: "name: must be a string." }).max(1_000, { error: "name: at most 40 characters." });
const color = z.string({ error: "color: must be a string." }).max(40, { error: "color: must be one of the palette's names." });

const createSchema = z.strictObject({ name, color: color.optional() });
const updateSchema = z.strictObject({ name: name.optional(), color: color.optional() });
const replaceSchema = z.strictObject({
  labelIds: z.array(z.string({ error: "labelIds: must be strings." }).max(100, { error: "labelIds: an id is at most 100 characters." }), { error: "labelIds: must be a list of label ids." }).max(100, { error: "labelIds: at most 100 ids." }),
});

function parse<T>(schema: z.ZodType<T>, body: unknown, shape: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === "unrecognized_keys") throw new AppError("invalid_request", `${issue.keys[0]}: not a field of this request. Send ${shape}.`);
  // Messages above start with the field; zod's own (an unknown key, not an object) get it added.
  const message = issue && /^\w+:/.test(issue.message) ? issue.message : `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}. Send ${shape}.`;
  throw new AppError("invalid_request", message);
}

export const parseCreateLabel = (body: unknown) => parse(createSchema, body, `{"name": string, "color"?: palette name}`);
export const parseUpdateLabel = (body: unknown) => {
  const update = parse(updateSchema, body, `{"name"?: string, "color"?: palette name}`);
  if (update.name === undefined && update.color === undefined) throw new AppError("invalid_request", `name: send a new "name", a "color", or both.`);
  return update;
};
export const parseReplaceLabels = (body: unknown) => parse(replaceSchema, body, `{"labelIds": [label id, …]}`).labelIds;
