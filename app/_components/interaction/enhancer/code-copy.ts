import { ACTION, ATTR } from "@/lib/render/dom-contract";
import { copyText } from "./clipboard";

/**
 * A copy button on each code block of a formatted message. The server's HTML carries no buttons
 * (it is the same for share views and stays inert without JavaScript): they are added here, to the
 * page as loaded and to every fragment swapped in later.
 */

const WRAP = "code-wrap";

export function addCodeCopyButtons(root: ParentNode = document) {
  for (const pre of root.querySelectorAll<HTMLPreElement>(`[${ATTR.rendered}] pre`)) {
    if (pre.parentElement?.classList.contains(WRAP)) continue;
    // The button sits beside the block, not in it: it stays put while the code scrolls sideways.
    const wrap = document.createElement("div");
    wrap.className = WRAP;
    pre.before(wrap);
    wrap.append(pre);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "code-copy";
    button.setAttribute(ATTR.action, ACTION.copyCode);
    button.setAttribute("aria-label", "Copy code");
    button.textContent = "Copy";
    wrap.append(button);
  }
}

export function copyCode(button: HTMLElement) {
  const pre = button.closest(`.${WRAP}`)?.querySelector("pre");
  if (pre) void copyText(pre.textContent ?? "", "Copied");
}
