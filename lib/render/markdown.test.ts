import { describe, expect, it } from "vitest";
import { markdownToHast, MarkdownTooDeepError, MAX_TREE_DEPTH, renderMarkdownHtml as html } from "./markdown";

describe("renderMarkdown", () => {
  it("renders GFM: headings, lists, tables, strikethrough", () => {
    const out = html("# Title\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~");
    expect(out).toContain('<h4 class="md-h1">Title</h4>');
    expect(out).toContain("<li>one</li>");
    expect(out).toMatch(/<div class="md-table"><table>.*<td>1<\/td>/s);
    expect(out).toContain("<del>old</del>");
  });

  it("highlights fenced code with a declared language", () => {
    const out = html("```python\ndef f():\n    return 1\n```");
    expect(out).toContain('class="hljs language-python"');
    expect(out).toContain('<span class="hljs-keyword">def</span>');
  });

  it("opens external links in a new tab without an opener", () => {
    expect(html("[docs](https://example.com/x)")).toContain(
      '<a href="https://example.com/x" target="_blank" rel="noopener noreferrer nofollow">docs</a>',
    );
  });

  it.each([
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<iframe src="https://evil.example"></iframe>',
    "Hello <b>bold</b> world",
    '<form action="https://evil.example"><input></form>',
    "<style>body{display:none}</style>",
  ])("shows raw HTML %s as text", (input) => {
    const out = html(input);
    // Every "<" of the input arrives escaped, so the browser shows the markup as written.
    expect(out.replace(/&#x3C;/g, "<")).toContain(input);
    expect(out).not.toMatch(/<(script|iframe|form|style|input)\b/);
    expect(out).not.toMatch(/<[a-z][^>]*\son\w+=/i);
  });

  it.each([
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox)",
    "<javascript:alert(1)>",
  ])("drops dangerous URLs in %s", (input) => {
    const out = html(input);
    expect(out).not.toMatch(/href="(javascript|data|vbscript):/i);
  });

  it("never loads images: they become links", () => {
    const out = html("![tracker](https://evil.example/pixel.png?leak=1)");
    expect(out).not.toContain("<img");
    expect(out).toContain('href="https://evil.example/pixel.png?leak=1"');
    expect(out).toContain("Image: tracker");
  });

  it("drops data: image sources entirely", () => {
    const out = html("![x](data:image/png;base64,AAAA)");
    expect(out).not.toContain("data:");
    expect(out).not.toContain("<img");
  });
});

describe("depth", () => {
  it("refuses trees deeper than MAX_TREE_DEPTH, whatever nests", () => {
    const nestedEmphasis = `${"*a ".repeat(MAX_TREE_DEPTH + 5)}b${" a*".repeat(MAX_TREE_DEPTH + 5)}`;
    expect(() => markdownToHast(nestedEmphasis)).toThrow(MarkdownTooDeepError);
    const quotes = `${">".repeat(MAX_TREE_DEPTH + 5)} deep`;
    expect(() => markdownToHast(quotes)).toThrow(MarkdownTooDeepError);
  });

  it("keeps ordinary nesting, without source positions", () => {
    const tree = markdownToHast("> - *a* [b](https://x.example)");
    expect(JSON.stringify(tree)).not.toContain('"position"');
    expect(html("> - *a*")).toContain("<em>a</em>");
  });
});

describe("links model output cannot aim at this app or sneak past the scheme check", () => {
  it("drops relative and protocol-relative links, keeping their words", () => {
    for (const href of ["//evil.example/p", "/api/session", "../x", "evil.example"]) {
      const out = html(`[click here](${href})`);
      expect(out).not.toContain("<a");
      expect(out).toContain("click here");
    }
    expect(html("[ok](https://example.com)")).toContain('target="_blank"');
  });
});

describe("task lists", () => {
  it("renders each box as a mark that says Done or Not done, never as a form control", () => {
    const out = html("- [x] ship it\n- [ ] write docs\n\n<input type=checkbox>");
    expect(out).not.toContain("<input");
    expect(out).toContain('<span class="md-task" data-done=""><span aria-hidden="true">✓</span><span class="sr-only">Done: </span></span> ship it');
    expect(out).toContain('<span class="md-task"><span aria-hidden="true"></span><span class="sr-only">Not done: </span></span> write docs');
    // Raw HTML in the message stays text.
    expect(out).toContain("&#x3C;input type=checkbox>");
  });
});
