import { formatLocal } from "@/lib/format";
import { ATTR, TURN_TIME } from "@/lib/render/dom-contract";
import { localDay, showsDate } from "@/lib/render/turn-dates";

/**
 * Server-rendered times are UTC; show them in the reader's zone (the app's one local-time format).
 * Turn timestamps show their date where the day changes, which in the reader's zone may be on
 * other turns than in UTC.
 */
export function localiseTimes() {
  const times = Array.from(document.querySelectorAll<HTMLTimeElement>(`time[${ATTR.localTime}]`));
  const turnTimes = times.filter((element) => element.getAttribute(ATTR.localTime) === TURN_TIME);
  const shown = showsDate(turnTimes.map((element) => dayOf(element)));
  const withDate = new Set(turnTimes.filter((_, index) => shown[index]));
  for (const element of times) {
    const date = new Date(element.dateTime);
    if (Number.isNaN(date.getTime())) continue;
    const kind = element.getAttribute(ATTR.localTime);
    const { text, title } = formatLocal(date, kind === "datetime" || withDate.has(element) ? "datetime" : "time");
    element.textContent = text;
    element.title = title;
  }
}

function dayOf(element: HTMLTimeElement): string | null {
  const date = new Date(element.dateTime);
  return Number.isNaN(date.getTime()) ? null : localDay(date);
}

/** "Show more": reveal the collapsed remainder of a long message. */
export function showMore(button: HTMLElement) {
  const body = button.closest<HTMLElement>(`[${ATTR.messageBody}]`);
  body?.querySelector<HTMLElement>(`[${ATTR.rest}]`)?.removeAttribute("hidden");
  button.remove();
}
