import { describe, expect, it } from "vitest";
import { PREVIEW_CHARS, renderMessage, splitPoint } from "./message";

describe("splitPoint", () => {
  it("does not split short messages", () => {
    expect(splitPoint("short")).toBeNull();
  });

  it("splits at a blank line after the preview length", () => {
    const text = `${"a".repeat(PREVIEW_CHARS + 10)}\n\n${"b".repeat(PREVIEW_CHARS * 2)}`;
    expect(text.slice(0, splitPoint(text)!)).toBe("a".repeat(PREVIEW_CHARS + 10) + "\n");
  });

  it("never splits inside a fenced code block", () => {
    const code = Array.from({ length: 400 }, (_, i) => `line ${i}`).join("\n");
    const text = `intro\n\n\`\`\`\n${code}\n\n${code}\n\`\`\`\n\nafter\n\n${"tail ".repeat(200)}`;
    const at = splitPoint(text)!;
    const head = text.slice(0, at);
    expect((head.match(/```/g) ?? []).length % 2).toBe(0);
  });
});

describe("renderMessage", () => {
  it("renders a megabyte as plain text with a preview", () => {
    const text = "word ".repeat(210_000);
    const rendered = renderMessage(text);
    expect(rendered.format).toBe("plain");
    const textOf = (nodes: unknown) => (nodes as { value: string }[]).map((node) => node.value).join("");
    expect(textOf(rendered.preview) + textOf(rendered.rest)).toBe(text);
  });
});
