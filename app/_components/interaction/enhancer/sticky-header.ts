import { ATTR } from "@/lib/render/dom-contract";

/**
 * The compact header repeats the page's title once the title has scrolled under it (see the
 * `.sticky-title` styles). Only a data attribute changes: the header keeps its size, so nothing
 * below it moves.
 */
export function watchTitle(): () => void {
  const header = document.querySelector<HTMLElement>(`[${ATTR.stickyHeader}]`);
  const title = document.querySelector("main h1");
  if (!header || !title) return () => {};
  const observer = new IntersectionObserver(
    ([entry]) => {
      const gone = !entry.isIntersecting && entry.boundingClientRect.top < header.offsetHeight;
      header.toggleAttribute(ATTR.titleHidden, gone);
    },
    { rootMargin: `-${header.offsetHeight}px 0px 0px 0px` },
  );
  observer.observe(title);
  return () => observer.disconnect();
}
