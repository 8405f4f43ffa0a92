import "server-only";
import type { ElementContent } from "hast";
import { toHtml } from "hast-util-to-html";
import { messageRenderer } from "./message";

/** How long a note waits for the render worker before it is shown as plain text (escaped). */
const NOTE_FORMAT_WAIT_MS = 1_000;

/**
 * A note's Markdown as HTML, through the messages' renderer (lib/render/message.ts): the same
 * sanitised output, bounds and worker. `version` names this text of the note (its id and when it
 * was last written), so an edit is formatted afresh and a repeat view is one lookup. Text that
 * cannot be formatted in time comes back as escaped plain text.
 */
export async function noteHtml(body: string, version: string): Promise<string> {
  const rendered = await messageRenderer().render(body, `note:${version}`, { deadline: Date.now() + NOTE_FORMAT_WAIT_MS });
  const nodes: ElementContent[] = [...rendered.preview, ...(rendered.rest ?? [])];
  if (rendered.format === "plain") return toHtml({ type: "element", tagName: "p", properties: { className: ["whitespace-pre-wrap"] }, children: nodes });
  return toHtml({ type: "root", children: nodes });
}
