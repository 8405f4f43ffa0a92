/**
 * The contract between the HTML the server builds (lib/render/conversation-html.ts and the
 * interaction components) and the page's enhancer (app/_components/interaction/enhancer/):
 * the actions a control can name in data-action, and the data attributes both sides read.
 * Both import these names, so renaming one side cannot silently break the other.
 * Plain constants: safe to import from server and client code.
 */
export const ACTION = {
  copyUrl: "copy-url",
  copyText: "copy-text",
  copyFetch: "copy-fetch",
  toggleRaw: "toggle-raw",
  showMore: "show-more",
  showShortcuts: "show-shortcuts",
} as const;


/** Attribute names (hastscript and React accept them as property keys). */
export const ATTR = {
  action: "data-action",
  turn: "data-turn",
  lite: "data-lite",
  message: "data-message",
  messageBody: "data-message-body",
  rendered: "data-rendered",
  rest: "data-rest",
  turnOutput: "data-turn-output",
  localTime: "data-local",
  fragment: "data-fragment",
  text: "data-text",
  done: "data-done",
  url: "data-url",
  rawJsonUrl: "data-raw-json-url",
  rawJsonTarget: "data-raw-json-target",
} as const;
