import { cache } from "react";
import { LocalTimeText, type LocalTimeTextProps } from "./local-time-text";

/** One "now" per request: every relative time on a page is measured from the same moment. */
const requestTime = cache(() => Date.now());

/**
 * A moment in the reader's time zone, optionally with how long ago it was. A server component:
 * it stamps the render time, so the relative part is right in the server's HTML ("20 min ago",
 * not "now") and the browser's first render matches it exactly.
 */
export function LocalTime(props: Omit<LocalTimeTextProps, "renderedAt">) {
  return <LocalTimeText {...props} renderedAt={requestTime()} />;
}
