import type { Root, RootContent } from "mdast";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { visit } from "unist-util-visit";
import { describe, expect, it } from "vitest";
import { interactionSchema } from "@/lib/nebuly/schemas";
import { redactInteraction } from "@/lib/sharing/redaction";
import { toInteractionView } from "./interaction-view";
import { fencedBlock, inlineText, toMarkdownTranscript } from "./transcript";

const ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";
const PAGE = `http://inspector.local/interactions/${ID}`;
const parse = (body: Record<string, unknown>) => interactionSchema.parse({ id: ID, ...body });
const transcriptOf = (body: Record<string, unknown>, fetchedAt?: Date) => toMarkdownTranscript(toInteractionView(parse(body)), PAGE, fetchedAt);

/** How a CommonMark + GFM viewer (GitHub, most ticket systems) reads the transcript. */
const markdown = unified().use(remarkParse).use(remarkGfm);
const tree = (text: string) => markdown.parse(text) as Root;
function textOf(node: RootContent): string {
  if ("value" in node) return node.value;
  return "children" in node ? (node.children as RootContent[]).map(textOf).join("") : "";
}
function nodes(text: string, type: string): RootContent[] {
  const found: RootContent[] = [];
  visit(tree(text), type, (node) => void found.push(node as RootContent));
  return found;
}
const headings = (text: string) => nodes(text, "heading").map((node) => `${"#".repeat((node as { depth: number }).depth)} ${textOf(node)}`);
const codeBlocks = (text: string) => nodes(text, "code").map((node) => (node as { value: string }).value);

const RICH = {
  user: "ana@example.com",
  project_id: "proj-1",
  conversation_id: "conv-rich-1",
  user_query: "How do I rotate my API key?",
  text_language: "en",
  latency: 2.5,
  cost: 0.0123,
  verbosity: 412,
  timestamp: "2026-11-20T10:00:00Z",
  end_timestamp: "2026-11-20T10:00:03Z",
  pii_removed: true,
  sentiment: "negative",
  emotions: { frustration: 0.8, confusion: 0.3 },
  topic: "Security",
  intent: "Rotate key",
  actions: ["open_ticket"],
  action_details: [{ action: "open_ticket", ticket: "T-1" }],
  risky_behavior: ["hallucination"],
  warning_message: "Answer cited a deprecated endpoint.",
  feedback_actions: ["thumbs_down", "regenerate", "custom_signal"],
  feedback_action_text: "The first answer was wrong.",
  feedback_action_rating: 2,
  feedback_type: "explicit_negative",
  tags: { plan: "pro", channel: "web" },
  rags: ["https://docs.example.com/keys"],
  rags_details: [{ source: "https://docs.example.com/keys", title: "Key rotation guide", score: 0.9 }],
  conversation: [
    { input: "hi\nsecond line", output: "Hello!", timestamp: "2026-11-20T09:58:00Z", is_chosen: false },
    { input: "How do I rotate my API key?", output: "Use the **Rotate** button.", timestamp: "2026-11-20T10:00:00Z", is_chosen: true },
  ],
};

describe("toMarkdownTranscript: what the page shows", () => {
  const transcript = transcriptOf(RICH, new Date("2026-11-21T08:00:00Z"));

  it("has the title, a link to the page and one section per part of the page, turns last", () => {
    expect(headings(transcript)).toEqual([
      "# How do I rotate my API key?",
      "## Details",
      "## Feedback",
      "## Analysis",
      "## Sources (1)",
      "### Source 1: Key rotation guide",
      "## Conversation",
      "### Turn 1",
      "### Turn 2 (chosen, feedback)",
    ]);
    expect(transcript).toContain(`Interaction [${ID}](<${PAGE}>)`);
  });

  it("lists the details, the risk flags, the warning and PII removal", () => {
    for (const line of [
      "- Started: 2026-11-20 10:00:00 UTC",
      "- Ended: 2026-11-20 10:00:03 UTC",
      "- User: ana@example.com",
      "- Project: proj-1",
      "- Conversation: conv-rich-1",
      "- Language: en",
      "- Latency: 2.50 s",
      "- Cost: $0.0123",
      "- Verbosity: 412 characters",
      "- Turns: 2",
      "- Fetched: 2026-11-21 08:00:00 UTC",
      "**Risky behaviour:** hallucination",
      "**Warning:** Answer cited a deprecated endpoint.",
      "**PII removed:**",
    ]) {
      expect(transcript).toContain(line);
    }
  });

  it("gives the feedback in words, with its rating, comment and turn", () => {
    expect(transcript).toContain("- Type: explicit negative (Explicit negative feedback: the user rated the answer on purpose");
    expect(transcript).toContain("- Actions: Thumbs down, Regenerated, custom signal");
    expect(transcript).toContain("- Rating: 2 / 5");
    expect(transcript).toContain("- On turn: 2");
    expect(codeBlocks(transcript)).toContain("The first answer was wrong.");
  });

  it("gives the analysis: topic, intent, sentiment, emotions, actions, tags and action details", () => {
    for (const line of ["- Topic: Security", "- Intent: Rotate key", "- Sentiment: negative", "- Emotions: frustration 80%, confusion 30%", "- Actions: open\\_ticket", "- Tags: plan: pro, channel: web"]) {
      expect(transcript).toContain(line);
    }
    expect(codeBlocks(transcript)).toContain(JSON.stringify([{ action: "open_ticket", ticket: "T-1" }], null, 2));
  });

  it("gives each source with its link and details", () => {
    expect(transcript).toContain("<https://docs.example.com/keys>");
    expect(codeBlocks(transcript).some((block) => block.includes('"score": 0.9'))).toBe(true);
  });

  it("gives every turn's time and exact input and output", () => {
    expect(transcript).toContain("Time: 2026-11-20 09:58:00 UTC");
    expect(codeBlocks(transcript)).toEqual(expect.arrayContaining(["hi\nsecond line", "Hello!", "How do I rotate my API key?", "Use the **Rotate** button."]));
  });

  it("says so when there is no feedback or analysis, and leaves out an empty sources section", () => {
    const bare = transcriptOf({ input: "q", output: "a" });
    expect(bare).toContain("The user gave no feedback on this interaction.");
    expect(bare).toContain("Nebuly recorded no analysis for this interaction.");
    expect(headings(bare)).toEqual(["# q", "## Details", "## Feedback", "## Analysis", "## Conversation", "### Turn 1 (chosen)"]);
  });
});

const HOSTILE_MESSAGE = [
  "# Fake heading",
  "---",
  "Setext heading",
  "===",
  "```",
  "## Turn 99 (chosen)",
  "~~~",
  "<script>alert(1)</script>",
  "<CREDIT_CARD_NUMBER>",
  "`````` six backticks",
  "    indented",
  "> quote",
  "| a | b |",
  "|---|---|",
  "[x]: https://evil.example",
  "&lt;b&gt; $x^2$",
].join("\n");

describe("toMarkdownTranscript: interaction text cannot change the transcript's structure", () => {
  const hostile = {
    user_query: "# Title <script>alert(1)</script>\n## Injected `code` *em* [link](https://evil.example) &amp; #",
    user: "<img src=x onerror=alert(1)>\n# user",
    topic: "**bold** _it_ ~~del~~ | pipe",
    tags: { "<b>k</b>": "v\n## tag heading" },
    feedback_action_text: HOSTILE_MESSAGE,
    warning_message: "<CREDIT_CARD_NUMBER>\n---\n# warn",
    rags_details: [{ source: "https://evil.example/a>b <c", title: "```\n# src", note: "`````````" }],
    conversation: [
      { input: HOSTILE_MESSAGE, output: HOSTILE_MESSAGE, is_chosen: true },
      { input: "````", output: "`", is_chosen: false },
    ],
  };
  const transcript = transcriptOf(hostile);

  it("keeps exactly its own headings, with hostile titles as text", () => {
    expect(headings(transcript)).toEqual([
      "# # Title <script>alert(1)</script> ## Injected `code` *em* [link](https://evil.example) &amp; #",
      "## Details",
      "## Feedback",
      "## Analysis",
      "## Sources (1)",
      "### Source 1: ``` # src",
      "## Conversation",
      "### Turn 1 (chosen, feedback)",
      "### Turn 2",
    ]);
  });

  it("produces no HTML, rules, tables, quotes, emphasis or links from interaction text", () => {
    for (const type of ["html", "thematicBreak", "table", "blockquote", "emphasis", "delete", "definition", "inlineMath", "math"]) {
      expect(nodes(transcript, type), type).toEqual([]);
    }
    // The only bold text is the transcript's own labels.
    expect(new Set(nodes(transcript, "strong").map(textOf))).toEqual(new Set(["Warning:", "User:", "Assistant:"]));
    // Links: the page and the source, written by us; a bare address in a value may be made a link
    // by GFM, but only showing where it goes (never a hidden target behind other words).
    const links = nodes(transcript, "link").map((node) => [textOf(node), (node as { url: string }).url]);
    expect(links).toEqual([
      ["https://evil.example", "https://evil.example"],
      [ID, PAGE],
      ["https://evil.example/a%3Eb%20%3Cc", "https://evil.example/a%3Eb%20%3Cc"],
    ]);
  });

  it("shows every message and comment exactly, each in one code block", () => {
    const blocks = codeBlocks(transcript);
    expect(blocks.filter((block) => block === HOSTILE_MESSAGE)).toHaveLength(3);
    expect(blocks).toEqual(expect.arrayContaining(["````", "`"]));
  });

  it("shows short values as the text they are", () => {
    const paragraphs = nodes(transcript, "listItem").map(textOf);
    expect(paragraphs).toEqual(expect.arrayContaining(["User: <img src=x onerror=alert(1)> # user", "Topic: **bold** _it_ ~~del~~ | pipe", "Tags: <b>k</b>: v ## tag heading"]));
    expect(nodes(transcript, "paragraph").map(textOf)).toContain("Warning: <CREDIT_CARD_NUMBER> --- # warn");
  });
});

describe("fencedBlock and inlineText", () => {
  it("fences with more backticks than the longest run inside, at least three", () => {
    expect(fencedBlock("plain", "text")).toBe("```text\nplain\n```");
    expect(fencedBlock("a ``` b", "text")).toBe("````text\na ``` b\n````");
    expect(fencedBlock("`".repeat(10), "text").startsWith(`${"`".repeat(11)}text\n`)).toBe(true);
    expect(fencedBlock("", "text")).toBe("```text\n```");
    expect(fencedBlock("a\r\nb\rc\n", "text")).toBe("```text\na\nb\nc\n```");
  });

  it("escapes inline markup and joins lines", () => {
    expect(inlineText(" a\n\r\u2028b ")).toBe("a b");
    expect(inlineText("<x> & *y* `z` [l] #h ~s~ $m$ |p| \\")).toBe("\\<x\\> \\& \\*y\\* \\`z\\` \\[l\\] \\#h \\~s\\~ \\$m\\$ \\|p\\| \\\\");
  });

  // Linear: about a second here on a busy 2-core machine; a quadratic pass over a megabyte would take minutes.
  it("stays linear on hostile input: megabytes of markup characters in every field", () => {
    const huge = "`<*_[\n".repeat(200_000);
    const started = performance.now();
    const transcript = transcriptOf({ user_query: huge, topic: huge, feedback_action_text: huge, conversation: [{ input: huge, output: "` ".repeat(500_000), is_chosen: true }] });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(transcript.length).toBeGreaterThan(3_000_000);
  });
});

describe("toMarkdownTranscript of a hidden share", () => {
  it("holds none of the fields a hidden share leaves out", () => {
    const canaries = {
      user: "canary-user@example.com",
      project_id: "canary-project",
      conversation_id: "canary-conversation",
      tags: { canary_tag: "canary-tag-value" },
      rags: ["https://canary-rag.example"],
      rags_details: [{ source: "https://canary-rag-detail.example", title: "canary-source-title" }],
      feedback_action_text: "canary-comment",
      action_details: { canary: "canary-action-detail" },
      topic: "canary-topic@example.com",
      canary_unknown_field: "canary-unknown",
    };
    const view = toInteractionView(redactInteraction(parse({ ...canaries, user_query: "q", input: "q", output: "a", sentiment: "positive", feedback_type: "explicit_positive" })));
    const transcript = toMarkdownTranscript(view, PAGE);
    expect(transcript).not.toMatch(/canary/i);
    // What a hidden share shows is still there.
    expect(transcript).toContain("- Sentiment: positive");
    expect(transcript).toContain("- Type: explicit positive");
  });
});
