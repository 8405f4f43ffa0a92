import { ATTR } from "@/lib/render/dom-contract";
import { addCodeCopyButtons } from "./code-copy";
import { apiBase } from "./raw-view";

/** How long to wait before asking again for turns the server had not finished formatting. */
const LATE_TURN_RETRY_MS = 2_000;
/** After this many asks a turn stays plain text (complete and searchable) until the next load. */
const LATE_TURN_ATTEMPTS = 5;

/**
 * Long conversations arrive with most turns as plain text; format those near the viewport.
 * The fragments come from this app's own renderer (text escaped, Markdown sanitised), the same
 * code that built the rest of the conversation HTML.
 */
export function formatTurnsNearViewport(): () => void {
  const lite = document.querySelectorAll<HTMLElement>(`[${ATTR.lite}]`);
  if (lite.length === 0) return () => {};
  const wanted = new Set<number>();
  const attempts = new Map<number, number>();
  let timer: number | undefined;
  let stopped = false;

  const retry = (numbers: number[]) => {
    if (stopped) return;
    for (const number of numbers) {
      const count = (attempts.get(number) ?? 0) + 1;
      attempts.set(number, count);
      const element = document.querySelector<HTMLElement>(`[${ATTR.lite}="${number}"]`);
      // Observing again re-queues the turn if it is (still) near the viewport.
      if (element && count < LATE_TURN_ATTEMPTS) observer.observe(element);
    }
  };

  const replace = (number: number, html: string) => {
    const element = document.querySelector(`[${ATTR.lite}="${number}"]`);
    if (!element) return;
    const parent = element.parentElement;
    element.outerHTML = html;
    if (parent) addCodeCopyButtons(parent);
  };

  const flush = async () => {
    const numbers = [...wanted].sort((a, b) => a - b);
    wanted.clear();
    while (numbers.length) {
      const from = numbers[0];
      const batch = numbers.filter((number) => number < from + 100);
      numbers.splice(0, batch.length);
      try {
        const response = await fetch(`${apiBase()}/turns?from=${from}&to=${batch[batch.length - 1]}`);
        if (!response.ok) throw new Error(String(response.status));
        const { turns } = (await response.json()) as { turns: { number: number; html: string }[] };
        for (const turn of turns) if (batch.includes(turn.number)) replace(turn.number, turn.html);
        // Turns the server is still formatting are left out of the answer: ask again in a moment.
        const late = batch.filter((number) => !turns.some((turn) => turn.number === number));
        if (late.length) window.setTimeout(() => retry(late), LATE_TURN_RETRY_MS);
      } catch {
        // Leave them as plain text (still complete and searchable); try again when seen again.
        for (const number of batch) {
          const element = document.querySelector<HTMLElement>(`[${ATTR.lite}="${number}"]`);
          if (element) observer.observe(element);
        }
      }
    }
  };

  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        wanted.add(Number((entry.target as HTMLElement).getAttribute(ATTR.lite)));
        observer.unobserve(entry.target);
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void flush(), 60);
    },
    { rootMargin: "1500px 0px" },
  );
  lite.forEach((element) => observer.observe(element));
  return () => {
    stopped = true;
    observer.disconnect();
    window.clearTimeout(timer);
  };
}

