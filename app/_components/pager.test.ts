import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Pager } from "./pager";

const render = (props: Parameters<typeof Pager>[0]) => renderToStaticMarkup(createElement(Pager, props));

describe("Pager", () => {
  it("links back on the left and on at the right, each marked as the adjacent page", () => {
    expect(render({ previous: { href: "/cached?page=1", label: "Previous", rel: "prev" }, next: { href: "/cached?page=3", label: "Next", rel: "next" } })).toBe(
      '<nav aria-label="Pages" class="flex items-center justify-between gap-2">' +
        '<a class="btn" rel="prev" href="/cached?page=1">← Previous</a>' +
        '<a class="btn" rel="next" href="/cached?page=3">Next →</a>' +
        "</nav>",
    );
  });

  it("keeps the next link on the right when there is no way back, and shows nothing past the last page", () => {
    expect(render({ previous: null, next: { href: "/audit?cursor=c", label: "Older", rel: "next" } })).toBe(
      '<nav aria-label="Pages" class="flex items-center justify-between gap-2"><span></span><a class="btn" rel="next" href="/audit?cursor=c">Older →</a></nav>',
    );
    expect(render({ previous: { href: "/audit", label: "Newest" }, next: null })).toBe(
      '<nav aria-label="Pages" class="flex items-center justify-between gap-2"><a class="btn" href="/audit">← Newest</a></nav>',
    );
  });
});
