import type { Element, ElementContent, Nodes, Root as HastRoot } from "hast";
import { toHtml } from "hast-util-to-html";
import type { Root as MdastRoot, Parent } from "mdast";
import rehypeHighlight from "rehype-highlight";
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import { visit } from "unist-util-visit";

/**
 * Markdown from an LLM is untrusted. Raw HTML in it becomes visible text (never markup), the
 * sanitizer keeps only GitHub's safe element and URL subset (no script, style, iframe, form,
 * event handler, javascript: or data: URL), and images become links so nothing remote loads
 * by itself. All of this runs on the server: the browser receives plain elements.
 *
 * In the app this module runs only inside the render worker (lib/render/markdown-worker), where a
 * slow or hostile message cannot stall requests; lib/render/message decides what reaches it.
 */

const BLOCK_PARENTS = new Set(["root", "blockquote", "listItem", "footnoteDefinition"]);

/** Raw HTML nodes become text nodes, so `<b>hi</b>` shows as written instead of being dropped or run. */
function remarkHtmlAsText() {
  return (tree: MdastRoot) => {
    visit(tree, "html", (node, index, parent: Parent | undefined) => {
      if (!parent || index === undefined) return;
      const text = { type: "text" as const, value: node.value };
      parent.children[index] = (BLOCK_PARENTS.has(parent.type) ? { type: "paragraph", children: [text] } : text) as never;
    });
  };
}

const sanitizeSchema: SanitizeSchema = {
  ...defaultSchema,
  protocols: { ...defaultSchema.protocols, href: ["http", "https", "mailto"], src: ["http", "https"] },
};

const EXTERNAL = /^(https?:|mailto:)/i;
// Headings inside a message sit below the page's own h1–h3, so the outline stays in order.
const HEADINGS: Record<string, [string, string]> = {
  h1: ["h4", "md-h1"],
  h2: ["h5", "md-h2"],
  h3: ["h6", "md-h3"],
  h4: ["h6", "md-h4"],
  h5: ["h6", "md-h4"],
  h6: ["h6", "md-h4"],
};

const text = (value: string): ElementContent => ({ type: "text", value });

/** Runs after sanitising, on trusted structure only: link targets, image links, headings, tables. */
function rehypePresentation() {
  return (tree: HastRoot) => {
    visit(tree, "element", (node: Element, index, parent) => {
      if (node.tagName === "a" && EXTERNAL.test(String(node.properties.href ?? ""))) {
        node.properties.target = "_blank";
        node.properties.rel = ["noopener", "noreferrer", "nofollow"];
      } else if (node.tagName === "a" && !String(node.properties.href ?? "").startsWith("#")) {
        // Relative and protocol-relative ("//evil.example") links from model output would open
        // other sites, or this app's own URLs, in the reader's tab: keep the words, drop the link.
        node.tagName = "span";
        node.properties = {};
      } else if (node.tagName === "img") {
        // A remote image can track the reader or leak the page: show where it is, load it only on purpose.
        const src = typeof node.properties.src === "string" ? node.properties.src : undefined;
        const label = `🖼 Image: ${String(node.properties.alt ?? "") || "untitled"}`;
        node.tagName = src ? "a" : "span";
        node.properties = src
          ? { href: src, target: "_blank", rel: ["noopener", "noreferrer", "nofollow"], className: ["md-image-link"], title: `Open image (not loaded automatically): ${src}` }
          : { className: ["md-image-link"] };
        node.children = [text(label)];
      } else if (node.tagName === "input" && node.properties.type === "checkbox") {
        // A task-list box: a disabled, unlabelled checkbox reads as "checkbox, dimmed" with nothing
        // to say what it is. A mark that says "Done" or "Not done" before the item's text instead.
        const done = Boolean(node.properties.checked);
        node.tagName = "span";
        node.properties = { className: ["md-task"], ...(done ? { dataDone: "" } : {}) };
        node.children = [
          { type: "element", tagName: "span", properties: { ariaHidden: "true" }, children: [text(done ? "✓" : "")] },
          { type: "element", tagName: "span", properties: { className: ["sr-only"] }, children: [text(done ? "Done: " : "Not done: ")] },
        ];
      } else if (HEADINGS[node.tagName]) {
        const [tagName, className] = HEADINGS[node.tagName];
        node.tagName = tagName;
        node.properties = { ...node.properties, className: [className] };
      } else if (node.tagName === "table" && parent && index !== undefined && !(parent.type === "element" && parent.properties.className?.toString() === "md-table")) {
        // Wide tables scroll inside their own box instead of widening the page.
        parent.children[index] = { type: "element", tagName: "div", properties: { className: ["md-table"] }, children: [node] };
      }
    });
  };
}

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkHtmlAsText)
  .use(remarkRehype)
  .use(rehypeSanitize, sanitizeSchema)
  // Highlighting and presentation run after sanitising: their classes and attributes are ours.
  .use(rehypeHighlight, { detect: false })
  .use(rehypePresentation);

/**
 * Deeper trees than this are refused: serialising (hast-util-to-html) and structured cloning
 * recurse once per level, so depth must stay far below the stack. The complexity pre-scan keeps
 * container nesting under this; inline nesting (emphasis in links in images …) is caught here.
 */
export const MAX_TREE_DEPTH = 64;

export class MarkdownTooDeepError extends Error {
  constructor() {
    super(`Markdown nests deeper than ${MAX_TREE_DEPTH} levels`);
    this.name = "MarkdownTooDeepError";
  }
}

/**
 * Walks the tree without recursion: drops source positions (nothing reads them, and they double
 * what crosses from the worker) and throws when the tree is deeper than MAX_TREE_DEPTH.
 */
function compactAndCheckDepth(tree: HastRoot): HastRoot {
  const stack: [Nodes, number][] = [[tree, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_TREE_DEPTH) throw new MarkdownTooDeepError();
    delete node.position;
    if ("children" in node) for (const child of node.children) stack.push([child, depth + 1]);
  }
  return tree;
}

export function markdownToHast(markdown: string): HastRoot {
  return compactAndCheckDepth(processor.runSync(processor.parse(markdown)) as HastRoot);
}

/** Markdown as an HTML string (text escaped by hast-util-to-html). */
export function renderMarkdownHtml(markdown: string): string {
  return toHtml(markdownToHast(markdown));
}
