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
  /** Added by the enhancer to each code block of a rendered message (never in server HTML). */
  copyCode: "copy-code",
} as const;

/**
 * The address parameters naming the list an interaction was opened from, and its place in it
 * (lib/interactions/list-context.ts). Links the enhancer copies keep them, so a colleague lands in
 * the same batch.
 */
export const LIST_PARAM = "list";
export const POSITION_PARAM = "at";

/** The value of ATTR.localTime on a turn's timestamp: time of day, with the date where the day changes. */
export const TURN_TIME = "turn";

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
  /** The copy-fetch response is JSON: copy it pretty-printed. */
  prettyJson: "data-pretty-json",
  /** The interaction's compact header, which stays at the top of the screen. */
  stickyHeader: "data-sticky-header",
  /** On the sticky header while the page's title has scrolled out of view. */
  titleHidden: "data-title-hidden",
  /** The label picker's toggle, which the `l` shortcut opens. */
  labelPicker: "data-label-picker",
  /** On the list navigation's Previous and Next links ("previous" | "next"): the [ and ] keys follow them. */
  listStep: "data-list-step",
} as const;
