import type { InteractionView } from "./interaction-view";

// An export format: a Markdown transcript of one interaction, for a ticket or a doc.

/** The conversation as a Markdown transcript, for pasting into a ticket or a doc. */
export function toMarkdownTranscript(view: InteractionView, pageUrl: string): string {
  const lines = [`# ${view.title}`, "", `Interaction [${view.id}](${pageUrl})`];
  const facts = [
    view.timestamp && `- Time: ${view.timestamp}`,
    view.user && `- User: ${view.user}`,
    view.topic && `- Topic: ${view.topic}`,
    view.sentiment && `- Sentiment: ${view.sentiment}`,
    view.feedback.type && `- Feedback: ${view.feedback.type.raw}`,
    view.feedback.rating && `- Rating: ${view.feedback.rating.value}/${view.feedback.rating.scale}`,
    ...view.feedback.comments.map((comment) => `- Comment: “${comment}”`),
  ].filter(Boolean) as string[];
  if (facts.length) lines.push("", ...facts);
  for (const turn of view.turns) {
    lines.push("", `## Turn ${turn.number}${turn.chosen ? " (chosen)" : ""}`);
    if (turn.input !== null) lines.push("", "**User:**", "", ...turn.input.split("\n").map((line) => `> ${line}`));
    if (turn.output !== null) lines.push("", "**Assistant:**", "", turn.output);
  }
  return `${lines.join("\n")}\n`;
}
