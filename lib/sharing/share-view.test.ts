import { describe, expect, it } from "vitest";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { redactInteraction } from "./redaction";
import { shareViewOf } from "./share-view";

const ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";

/** Values that identify someone or something internal; a hidden share must show none of them. */
const SECRET = {
  user: "canary-user-ana@example.com",
  conversationId: "canary-conversation-5b1e",
  projectId: "canary-project-77",
  tag: "canary-tag-value",
  tagKey: "canary-tag-key",
  ragUrl: "https://intranet.example/canary-rag-url",
  ragTitle: "Canary RAG title",
  ragChunk: "canary rag chunk text",
  comment: "canary comment: call me on +1 555 0100",
  actionDetailEmail: "canary-action-detail@example.com",
  actionDetailConversation: "canary-action-detail-conversation",
  unknownTop: "canary-unknown-top-level",
  unknownNested: "canary-unknown-nested-deep",
  unknownArray: "canary-unknown-array-item",
  turnUser: "canary-turn-user",
  turnMetadata: "canary-turn-metadata",
  feedbackActionBy: "canary-feedback-action-by@example.com",
  feedbackActionObject: "canary-feedback-action-object-field",
  riskyEvidence: "canary-risky-evidence",
  emotionEmail: "canary-emotion@example.com",
  topicUrl: "https://canary-topic.example",
  endUser: "canary-end-user",
} as const;

/** Every field Nebuly documents, plus ones it does not, each holding either content or a canary. */
const body = {
  id: ID,
  project_id: SECRET.projectId,
  user: SECRET.user,
  end_user: SECRET.endUser,
  conversation_id: SECRET.conversationId,
  user_query: "How do I rotate my key?",
  input: "How do I rotate my key?",
  output: "Use the Rotate button.",
  sentiment: "negative",
  emotions: { frustration: 0.8, [SECRET.emotionEmail]: 0.4 },
  topic: "Security",
  intent: "Rotate key",
  latency: 2.5,
  cost: 0.01,
  verbosity: 412,
  text_language: "en",
  timestamp: "2026-11-20T10:00:00Z",
  end_timestamp: "2026-11-20T10:00:03Z",
  pii_removed: true,
  feedback_actions: ["thumbs_down", { action: "regenerate", by: SECRET.feedbackActionBy }, { detail: SECRET.feedbackActionObject }],
  feedback_action_text: SECRET.comment,
  feedback_action_rating: 2,
  feedback_type: "explicit_negative",
  tags: { [SECRET.tagKey]: SECRET.tag },
  risky_behavior: ["hallucination", { type: "pii_leak", evidence: SECRET.riskyEvidence }],
  warning_message: "Answer cited a deprecated endpoint.",
  rags: [SECRET.ragUrl],
  rags_details: [{ source: SECRET.ragUrl, title: SECRET.ragTitle, chunk: SECRET.ragChunk }],
  actions: ["open_ticket"],
  action_details: [{ action: "open_ticket", email: SECRET.actionDetailEmail, conversation: SECRET.actionDetailConversation }],
  conversation: [
    { input: "hi", output: "Hello!", timestamp: "2026-11-20T09:59:00Z", is_chosen: false, user: SECRET.turnUser, metadata: { note: SECRET.turnMetadata } },
    { input: "How do I rotate my key?", output: "Use the Rotate button.", timestamp: "2026-11-20T10:00:00Z", is_chosen: true },
  ],
  metadata: { customer: { deep: { deeper: SECRET.unknownNested } } },
  new_field_from_nebuly: SECRET.unknownTop,
  another_list: [SECRET.unknownArray],
};

const interaction = interactionSchema.parse(body);

describe("a hidden share's view", () => {
  const hidden = JSON.stringify(shareViewOf(interaction, true));

  it.each(Object.entries(SECRET))("contains no %s", (_name, secret) => {
    expect(hidden).not.toContain(secret);
  });

  it("still shows the conversation, the analysis labels and the feedback without comments", () => {
    const view = shareViewOf(interaction, true);
    expect(view.turns.map((turn) => [turn.input, turn.output, turn.chosen])).toEqual([
      ["hi", "Hello!", false],
      ["How do I rotate my key?", "Use the Rotate button.", true],
    ]);
    expect(view).toMatchObject({
      id: ID,
      title: "How do I rotate my key?",
      timestamp: "2026-11-20T10:00:00Z",
      topic: "Security",
      intent: "Rotate key",
      sentiment: "negative",
      emotions: { kind: "scores", scores: [{ label: "frustration", score: 0.8 }] },
      riskyBehavior: ["hallucination", "pii_leak"],
      piiRemoved: true,
      actions: ["open_ticket"],
      user: null,
      conversationId: null,
      projectId: null,
      actionDetails: null,
      tags: [],
      sources: [],
      feedback: { actions: ["thumbs_down", "regenerate"], rating: { value: 2, scale: 5 }, comments: [], type: { raw: "explicit_negative" } },
    });
  });

  it("is built from allowlisted fields only", () => {
    expect(Object.keys(redactInteraction(interaction)).sort()).toEqual(
      [
        "id", "user_query", "input", "output", "conversation", "timestamp", "end_timestamp", "text_language", "latency", "cost", "verbosity",
        "topic", "intent", "sentiment", "emotions", "actions", "risky_behavior", "warning_message", "pii_removed",
        "feedback_type", "feedback_actions", "feedback_action_rating",
      ].sort(),
    );
    expect(Object.keys(redactInteraction(interaction).conversation![0]).sort()).toEqual(["input", "is_chosen", "output", "timestamp"]);
  });

  it("drops values that are not labels from fields that should hold labels", () => {
    const view = shareViewOf(interactionSchema.parse({ id: ID, topic: SECRET.topicUrl, intent: "write to ana@example.com", feedback_actions: "thumbs_up, mail:ana" }), true);
    expect(view.topic).toBeNull();
    expect(view.intent).toBeNull();
    expect(view.feedback.actions).toEqual(["thumbs_up"]);
  });
});

describe("a full share's view", () => {
  it("shows what a hidden one leaves out (so the canaries above would be caught)", () => {
    const full = JSON.stringify(shareViewOf(interaction, false));
    for (const secret of [SECRET.user, SECRET.conversationId, SECRET.comment, SECRET.actionDetailEmail, SECRET.tag, SECRET.ragTitle]) expect(full).toContain(secret);
  });
});
