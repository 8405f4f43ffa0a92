import "server-only";
import type { Element, Root as HastRoot } from "hast";
import { toJsxRuntime, type Components } from "hast-util-to-jsx-runtime";
import type { Root as MdastRoot, Parent } from "mdast";
import { Fragment, jsx, jsxs } from "react/jsx-runtime";
import type { ReactNode } from "react";
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

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkHtmlAsText)
  .use(remarkRehype)
  .use(rehypeSanitize, sanitizeSchema)
  // Highlighting runs after sanitising: its spans and classes are ours, not the model's.
  .use(rehypeHighlight, { detect: false });

const isExternal = (href: string | undefined) => !!href && /^(https?:|mailto:)/i.test(href);

const components: Partial<Components> = {
  a: ({ href, children, node: _node, ...rest }: { href?: string; children?: ReactNode; node?: Element }) =>
    isExternal(href)
      ? jsx("a", { ...rest, href, target: "_blank", rel: "noopener noreferrer nofollow", children })
      : jsx("a", { ...rest, href, children }),
  img: ({ src, alt }: { src?: string; alt?: string }) => {
    const label = `Image: ${alt || "untitled"}`;
    // A remote image can track the reader or leak the page: show where it is, load it only on purpose.
    return src
      ? jsx("a", {
          href: src,
          target: "_blank",
          rel: "noopener noreferrer nofollow",
          className: "md-image-link",
          title: `Open image (not loaded automatically): ${src}`,
          children: `🖼 ${label}`,
        })
      : jsx("span", { className: "md-image-link", children: `🖼 ${label}` });
  },
  // Headings inside a message sit below the page's own h1–h3, so the outline stays in order.
  h1: ({ children }: { children?: ReactNode }) => jsx("h4", { className: "md-h1", children }),
  h2: ({ children }: { children?: ReactNode }) => jsx("h5", { className: "md-h2", children }),
  h3: ({ children }: { children?: ReactNode }) => jsx("h6", { className: "md-h3", children }),
  h4: ({ children }: { children?: ReactNode }) => jsx("h6", { className: "md-h4", children }),
  h5: ({ children }: { children?: ReactNode }) => jsx("h6", { className: "md-h4", children }),
  table: ({ children, node: _node, ...rest }: { children?: ReactNode; node?: Element }) =>
    jsx("div", { className: "md-table", children: jsx("table", { ...rest, children }) }),
};

export function markdownToHast(markdown: string): HastRoot {
  return processor.runSync(processor.parse(markdown)) as HastRoot;
}

export function renderMarkdown(markdown: string): ReactNode {
  return toJsxRuntime(markdownToHast(markdown), { Fragment, jsx, jsxs, components, passKeys: true });
}
