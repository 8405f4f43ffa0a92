import { DETAIL_PATH, LIST_PATH } from "@/lib/nebuly/client";
import { listRequestSchema, type ListRequest } from "@/lib/nebuly/schemas";
import { buildDemoInteractions } from "./interactions";
import { demoProjectOf } from "./projects";

type Json = Record<string, unknown>;

/**
 * An in-process stand-in for Nebuly's API that serves the bundled demo data, so demo mode runs
 * through exactly the same client → cache → route path as live mode.
 */
export function createDemoFetch(nowMs: number = Date.now()): typeof fetch {
  const everything = buildDemoInteractions(nowMs);

  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? "GET").toUpperCase();
    // Each demo project's key sees its own half of the data, as each Nebuly key sees its project.
    const key = new Headers(init?.headers).get("authorization")?.replace(/^Bearer /, "");
    const interactions = everything.filter((interaction) => demoProjectOf(interaction).apiKey === key);
    const byId = new Map(interactions.map((interaction) => [String(interaction.id), interaction]));

    if (method === "GET" && url.pathname.startsWith(DETAIL_PATH)) {
      const id = decodeURIComponent(url.pathname.slice(DETAIL_PATH.length)).toLowerCase();
      const interaction = byId.get(id);
      return interaction
        ? Response.json(interaction)
        : Response.json({ detail: "Interaction not found" }, { status: 404 });
    }

    if (method === "POST" && url.pathname === LIST_PATH) {
      const parsed = listRequestSchema.safeParse(JSON.parse(String(init?.body ?? "{}")));
      if (!parsed.success) return Response.json({ detail: "Invalid request" }, { status: 422 });
      return Response.json(listDemo(interactions, parsed.data));
    }

    return Response.json({ detail: "Not found" }, { status: 404 });
  };
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function conversationText(interaction: Json): string {
  const turns = Array.isArray(interaction.conversation) ? (interaction.conversation as Json[]) : [];
  return [interaction.input, interaction.output, ...turns.flatMap((turn) => [turn.input, turn.output])]
    .map(text)
    .join("\n")
    .toLowerCase();
}

function feedbackMatches(interaction: Json, values: string[]): boolean {
  const feedback = text(interaction.feedback_type);
  return values.some((value) => feedback === value || feedback.endsWith(`_${value}`) || feedback.startsWith(`${value}_`));
}

function matchesFilter(interaction: Json, filter: ListRequest["filters"][number]): boolean {
  const values = filter.values.map((value) => value.toLowerCase());
  if (values.length === 0) return true;
  switch (filter.kind) {
    case "user":
      return values.includes(text(interaction.user).toLowerCase());
    case "topic":
      return values.includes(text(interaction.topic).toLowerCase());
    case "user_intent":
      return values.includes(text(interaction.intent).toLowerCase());
    case "negative_user_intent":
      return interaction.sentiment === "negative" && values.includes(text(interaction.intent).toLowerCase());
    case "user_feedback":
      return feedbackMatches(interaction, values);
    case "keyword":
      return values.some((value) => conversationText(interaction).includes(value));
    case "user_query":
      return values.some((value) => text(interaction.user_query).toLowerCase().includes(value));
    case "type_of_problem":
      return values.some((value) => {
        const risks = interaction.risky_behavior;
        return Array.isArray(risks) && risks.some((risk) => String(risk).toLowerCase() === value);
      });
    case "tag": {
      const tags = (interaction.tags ?? {}) as Json;
      return filter.tag !== undefined && values.includes(text(tags[filter.tag]).toLowerCase());
    }
    default:
      return true;
  }
}

function listDemo(interactions: Json[], request: ListRequest) {
  const start = Date.parse(request.time_range.start);
  const end = Date.parse(request.time_range.end);
  const matching = interactions
    .filter((interaction) => {
      const at = Date.parse(text(interaction.timestamp));
      return at >= start && at <= end && request.filters.every((filter) => matchesFilter(interaction, filter));
    })
    .sort((a, b) => text(b.timestamp).localeCompare(text(a.timestamp)));
  return {
    total: matching.length,
    offset: request.offset,
    limit: request.limit,
    data: matching.slice(request.offset, request.offset + request.limit).map((interaction) => ({
      id: interaction.id,
      input_text: interaction.input,
      output_text: interaction.output,
      user_query: interaction.user_query,
      end_user: interaction.user,
      timestamp: interaction.timestamp,
    })),
  };
}
