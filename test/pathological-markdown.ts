/**
 * Markdown shaped to make parsers slow or recursive: what a prompt-injected model could write.
 * Used by the renderer's unit tests and by the end-to-end hostile-output spec. Every case fills
 * exactly `size` characters by repeating its unit, so sizes compare like for like.
 */

const fill = (unit: string, size: number, prefix = "") => (prefix + unit.repeat(Math.ceil(size / unit.length))).slice(0, size);

const ladder = (step: (level: number) => string, size: number) => {
  let text = "";
  for (let level = 0; text.length < size; level += 1) text += step(level);
  return text.slice(0, size);
};

export const PATHOLOGICAL_MARKDOWN: Record<string, (size: number) => string> = {
  // Deep containers: every marker opens a level.
  "dash list (- ×N)": (size) => fill("- ", size),
  "ordered list on one line (1. ×N)": (size) => fill("1. ", size),
  "ordered list nested by indentation": (size) => ladder((level) => `${" ".repeat(level * 3)}1. item\n`, size),
  "bullet list nested by indentation": (size) => ladder((level) => `${" ".repeat(level * 2)}- item\n`, size),
  "quotes (> ×N)": (size) => fill(">", size),
  "quotes with spaces (> ×N)": (size) => fill("> ", size),
  "quote and list mixed (> - ×N)": (size) => fill("> - ", size),
  "footnote definitions ([^a]: ×N)": (size) => fill("[^a]: ", size),
  // Emphasis: delimiter resolution compares delimiters pairwise.
  "stars (* ×N)": (size) => fill("*", size),
  "underscore words (_a ×N)": (size) => fill("_a", size),
  "strong openers (**a ×N)": (size) => fill("**a", size),
  "star words (*a ×N)": (size) => fill("*a", size),
  "strikethrough (~~a ×N)": (size) => fill("~~a", size),
  "nested emphasis (*a … a*)": (size) => fill("*a ", size / 2) + fill("a* ", size / 2),
  // Links and brackets.
  "open brackets ([ ×N)": (size) => fill("[", size),
  "close brackets (] ×N)": (size) => fill("]", size),
  "link openers ([a]( ×N)": (size) => fill("[a](", size),
  "image openers (![ ×N)": (size) => fill("![", size),
  "nested images": (size) => fill("![", size / 2) + fill("](b)", size / 2),
  "reference-like labels ([a] ×N)": (size) => fill("[a]", size),
  // Tables.
  "pipes (| ×N)": (size) => fill("|", size),
  "table with many columns": (size) => {
    const columns = Math.max(1, Math.floor(size / 8));
    return `${"|a".repeat(columns)}|\n${"|-".repeat(columns)}|\n${"|b".repeat(columns)}|\n`.slice(0, size);
  },
  "table with many rows": (size) => fill("|x|y|\n", size, "|a|b|\n|-|-|\n"),
  "wide header, many short rows": (size) => fill("|\n", size, `${"|a".repeat(500)}|\n${"|-".repeat(500)}|\n`),
  // Code.
  "unclosed fence": (size) => fill("a\n", size, "```\n"),
  "backticks (` ×N)": (size) => fill("`", size),
  "backtick ladder (` `` ``` …)": (size) => ladder((level) => `${"`".repeat(level + 1)} `, size),
  "fence lines (``` ×N)": (size) => fill("```\n", size),
  "highlighted fence full of comment openers": (size) => fill("/*", size, "```javascript\n"),
  // Long runs and many lines.
  "one character": (size) => fill("a", size),
  "spaces": (size) => fill(" ", size),
  "newlines": (size) => fill("\n", size),
  "lines of whitespace": (size) => fill("  \t \n", size),
  "setext headings": (size) => fill("a\n=\n", size),
  "html-like openers (<a ×N)": (size) => fill("<a ", size),
  "autolink-like (www._a ×N)": (size) => fill("_a", size, "www."),
  "everything at once": (size) => fill("> - *[`a_~|", size),
};

/** The sizes the incident report named: 8 KB froze the server for 11 s, 49 KB for minutes. */
export const PATHOLOGICAL_SIZES = [8_000, 49_000, 200_000];
