import { formatLocal } from "@/lib/format";
import { ATTR } from "@/lib/render/dom-contract";

/** Server-rendered times are UTC; show them in the reader's zone (the app's one local-time format). */
export function localiseTimes() {
  for (const element of document.querySelectorAll<HTMLTimeElement>(`time[${ATTR.localTime}]`)) {
    const date = new Date(element.dateTime);
    if (Number.isNaN(date.getTime())) continue;
    const { text, title } = formatLocal(date, "time");
    element.textContent = text;
    element.title = title;
  }
}

/** "Show more": reveal the collapsed remainder of a long message. */
export function showMore(button: HTMLElement) {
  const body = button.closest<HTMLElement>(`[${ATTR.messageBody}]`);
  body?.querySelector<HTMLElement>(`[${ATTR.rest}]`)?.removeAttribute("hidden");
  button.remove();
}
