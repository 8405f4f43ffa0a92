/**
 * The render worker: formats Markdown off the main thread, so a slow or hostile message delays
 * only itself. lib/render/render-pool starts it, sends one job at a time and terminates it when a
 * job runs past its time limit. Started by Next's bundler as its own entry (see render-pool);
 * tests start an esbuild bundle of this file.
 */
import { parentPort } from "node:worker_threads";
import type { ElementContent } from "hast";
import { markdownToHast, MarkdownTooDeepError } from "./markdown";

export interface RenderRequest {
  id: number;
  /** Pieces of one message (its preview and the rest), each formatted on its own. */
  parts: string[];
}

export type RenderReply = { id: number; ok: true; parts: ElementContent[][] } | { id: number; ok: false; reason: "too_deep" | "failed" };

function render(request: RenderRequest): RenderReply {
  try {
    return { id: request.id, ok: true, parts: request.parts.map((part) => markdownToHast(part).children as ElementContent[]) };
  } catch (error) {
    // A stack overflow in the recursive transforms is a too-deep message as well.
    const tooDeep = error instanceof MarkdownTooDeepError || error instanceof RangeError;
    return { id: request.id, ok: false, reason: tooDeep ? "too_deep" : "failed" };
  }
}

parentPort?.on("message", (request: RenderRequest) => parentPort!.postMessage(render(request)));
