import { ATTR } from "@/lib/render/dom-contract";
import { apiBase } from "./raw-view";

/**
 * Long conversations arrive with most turns as plain text; format those near the viewport.
 * The fragments come from this app's own renderer (text escaped, Markdown sanitised), the same
 * code that built the rest of the conversation HTML.
 */
export function formatTurnsNearViewport(): () => void {
  const lite = document.querySelectorAll<HTMLElement>(`[${ATTR.lite}]`);
  if (lite.length === 0) return () => {};
  const wanted = new Set<number>();
  let timer: number | undefined;

  const replace = (number: number, html: string) => {
    const element = document.querySelector(`[${ATTR.lite}="${number}"]`);
    if (element) element.outerHTML = html;
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
    observer.disconnect();
    window.clearTimeout(timer);
  };
}

