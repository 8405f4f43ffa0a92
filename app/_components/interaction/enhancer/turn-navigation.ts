import { ATTR, LIST_PARAM, POSITION_PARAM } from "@/lib/render/dom-contract";
import { copyText } from "./clipboard";

/** Moving between turns and through the list: the highlighted turn, #turn-N in the address, and the j/k/[/]/c/? keys. */

const TARGETED = "data-targeted";

export function turns(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>(`article[${ATTR.turn}]`));
}

export function targetTurn(article: HTMLElement | null, scroll: boolean) {
  for (const turn of document.querySelectorAll<HTMLElement>(`article[${TARGETED}]`)) turn.removeAttribute(TARGETED);
  if (!article) return;
  article.setAttribute(TARGETED, "true");
  if (scroll) article.scrollIntoView({ block: "start" });
}

export function turnFromHash(): HTMLElement | null {
  const match = /^#turn-(\d+)$/.exec(window.location.hash);
  return match ? document.getElementById(`turn-${match[1]}`) : null;
}

/** The reading line: a turn whose top is above it is the one being read (below the sticky header). */
function readingLine(): number {
  const header = document.querySelector<HTMLElement>(`[${ATTR.stickyHeader}]`);
  return (header ? header.getBoundingClientRect().bottom : 0) + 16;
}

/**
 * The turn j and k move from. The turn the reader last put focus in (clicking in a turn focuses
 * it), else the highlighted one (#turn-N, or the last j/k), else the chosen turn while it is in
 * view, else the last turn that starts above the reading line (-1 above the first turn).
 */
export function currentTurnIndex(list: HTMLElement[]): number {
  const focused = document.activeElement?.closest<HTMLElement>(`article[${ATTR.turn}]`);
  const byFocus = focused ? list.indexOf(focused) : -1;
  if (byFocus !== -1) return byFocus;
  const targeted = list.findIndex((turn) => turn.hasAttribute(TARGETED));
  if (targeted !== -1) return targeted;
  const chosen = list.findIndex((turn) => turn.getAttribute("aria-current") === "true");
  if (chosen !== -1) {
    const box = list[chosen].getBoundingClientRect();
    if (box.bottom > readingLine() && box.top < window.innerHeight) return chosen;
  }
  const line = readingLine();
  let index = -1;
  for (const [position, turn] of list.entries()) {
    if (turn.getBoundingClientRect().top > line) break;
    index = position;
  }
  return index;
}

/**
 * This page's address as a link to copy: the interaction, the list it was opened from (so a
 * colleague lands in the same batch) and `fragment`; nothing else the address may carry.
 */
export function shareableUrl(fragment = ""): string {
  const current = new URLSearchParams(window.location.search);
  const kept = new URLSearchParams();
  for (const name of [LIST_PARAM, POSITION_PARAM]) {
    const value = current.get(name);
    if (value !== null) kept.set(name, value);
  }
  const search = kept.toString();
  return `${window.location.origin}${window.location.pathname}${search ? `?${search}` : ""}${fragment}`;
}

function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
}

/**
 * j / k: next / previous turn; ] / [: next / previous interaction of the list (following the
 * list navigation's links, so keys and links always agree); c: copy the link; l: the label
 * picker; ?: the shortcuts dialog. Never while typing.
 */
export function onShortcutKey(event: KeyboardEvent) {
  if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target)) return;
  if (document.querySelector("dialog[open]") && event.key !== "?") return;
  const list = turns();
  if (event.key === "j" || event.key === "k") {
    if (list.length === 0) return;
    const current = currentTurnIndex(list);
    const next = event.key === "j" ? Math.min(current + 1, list.length - 1) : Math.max(current - 1, 0);
    history.replaceState(null, "", `#${list[next].id}`);
    targetTurn(list[next], true);
    list[next].focus({ preventScroll: true });
    event.preventDefault();
  } else if (event.key === "]" || event.key === "[") {
    const step = document.querySelector<HTMLAnchorElement>(`a[${ATTR.listStep}='${event.key === "]" ? "next" : "previous"}']`);
    if (!step) return;
    step.click();
    event.preventDefault();
  } else if (event.key === "c") {
    // The link the address shows, #turn-N included: that is the turn the reader is looking at.
    const turn = turnFromHash();
    void copyText(shareableUrl(turn ? `#${turn.id}` : ""), turn ? `Link to ${turn.id.replace("-", " ")} copied` : "Link copied");
    event.preventDefault();
  } else if (event.key === "l") {
    // The label picker (label-picker.tsx): opened, its text field takes focus.
    const toggle = document.querySelector<HTMLElement>(`[${ATTR.labelPicker}]`);
    if (!toggle) return;
    toggle.click();
    event.preventDefault();
  } else if (event.key === "?") {
    const dialog = document.querySelector<HTMLDialogElement>("#shortcuts");
    if (dialog?.open) dialog.close();
    else dialog?.showModal();
    event.preventDefault();
  }
}

/** On load: the turn the address names, else the chosen turn, in view. */
export function showChosenTurn() {
  const named = turnFromHash();
  if (named) {
    targetTurn(named, true);
    return;
  }
  // Someone already scrolled (or the browser restored a position): where they are wins.
  if (window.scrollY !== 0) return;
  // Opened from a list, the reviewer steps from page to page: each opens at its top (where it is
  // in the list, its labels, its header), the same place every time; `j` goes to the turn.
  if (new URLSearchParams(window.location.search).has(LIST_PARAM)) return;
  const chosen = document.querySelector<HTMLElement>(`article[${ATTR.turn}][aria-current='true']`);
  const box = chosen?.getBoundingClientRect();
  if (chosen && box && (box.top > window.innerHeight * 0.75 || box.bottom < 0)) {
    chosen.scrollIntoView({ block: "center" });
  }
}
