"use client";

import { useEffect } from "react";

/**
 * The page's only always-on client code. The page itself is server-rendered HTML; this adds
 * copy, per-message toggles, "show more", keyboard navigation and toasts by event delegation,
 * so no per-turn component has to hydrate.
 */

function announce(message: string) {
  const toast = document.getElementById("toast");
  if (!toast) return;
  toast.textContent = message;
  toast.dataset.visible = "true";
  window.clearTimeout(Number(toast.dataset.timer));
  toast.dataset.timer = String(window.setTimeout(() => (toast.dataset.visible = "false"), 2_500));
}

async function copyText(text: string | Promise<string>, done: string) {
  try {
    if (typeof ClipboardItem !== "undefined" && navigator.clipboard?.write) {
      // A promise-valued ClipboardItem keeps the click's permission while the text is fetched.
      const blob = Promise.resolve(text).then((value) => new Blob([value], { type: "text/plain" }));
      await navigator.clipboard.write([new ClipboardItem({ "text/plain": blob })]);
    } else {
      await navigator.clipboard.writeText(await text);
    }
    announce(done);
  } catch {
    announce("Could not copy: the browser refused clipboard access.");
  }
}

function turns(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>("article[data-turn]"));
}

function targetTurn(article: HTMLElement | null, scroll: boolean) {
  for (const turn of document.querySelectorAll<HTMLElement>("article[data-targeted]")) delete turn.dataset.targeted;
  if (!article) return;
  article.dataset.targeted = "true";
  if (scroll) article.scrollIntoView({ block: "start" });
}

function turnFromHash(): HTMLElement | null {
  const match = /^#turn-(\d+)$/.exec(window.location.hash);
  return match ? document.getElementById(`turn-${match[1]}`) : null;
}

function currentTurnIndex(list: HTMLElement[]): number {
  const targeted = list.findIndex((turn) => turn.dataset.targeted === "true");
  if (targeted !== -1) return targeted;
  // Otherwise the first turn whose top is below the top of the viewport.
  const index = list.findIndex((turn) => turn.getBoundingClientRect().bottom > 80);
  return index === -1 ? list.length - 1 : index - 1;
}

function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
}

let interactionJson: Promise<Record<string, unknown>> | undefined;

/** The interaction exactly as stored, fetched once per page view and only if needed. */
function loadInteractionJson(): Promise<Record<string, unknown>> {
  interactionJson ??= fetch(apiBase(), {
    headers: { Accept: "application/json" },
  }).then((response) => {
    if (!response.ok) throw new Error(String(response.status));
    return response.json();
  });
  interactionJson.catch(() => (interactionJson = undefined));
  return interactionJson;
}

/** The exact output of turn N, matching how the server numbers turns. */
function rawOutputOf(interaction: Record<string, unknown>, turn: number): string {
  const conversation = Array.isArray(interaction.conversation)
    ? interaction.conversation.filter((entry) => entry && typeof entry === "object" && !Array.isArray(entry))
    : [];
  const source = conversation.length ? (conversation[turn - 1] as Record<string, unknown>)?.output : interaction.output;
  return source === null || source === undefined ? "" : String(source);
}

async function toggleRaw(button: HTMLElement) {
  const message = button.closest<HTMLElement>("[data-message]");
  if (!message) return;
  const rendered = message.querySelector<HTMLElement>("[data-rendered]")!;
  let raw = message.querySelector<HTMLElement>("[data-raw]");
  const showRaw = !rendered.hidden;
  if (showRaw && !raw) {
    button.setAttribute("aria-busy", "true");
    try {
      const text = rawOutputOf(await loadInteractionJson(), Number(message.dataset.turnOutput));
      raw = document.createElement("pre");
      raw.dataset.raw = "true";
      raw.className = "raw-text";
      raw.textContent = text;
      rendered.after(raw);
    } catch {
      announce("Could not load the exact text. Try again.");
      return;
    } finally {
      button.removeAttribute("aria-busy");
    }
  }
  rendered.hidden = showRaw;
  if (raw) raw.hidden = !showRaw;
  button.setAttribute("aria-pressed", String(showRaw));
  button.textContent = showRaw ? "Markdown" : "Raw";
}

const apiBase = () => window.location.pathname.replace("/interactions/", "/api/interactions/");
/** How long to wait before asking again for turns the server had not finished formatting. */
const LATE_TURN_RETRY_MS = 2_000;
/** After this many asks a turn stays plain text (complete and searchable) until the next load. */
const LATE_TURN_ATTEMPTS = 5;

/**
 * Long conversations arrive with most turns as plain text; format those near the viewport.
 * The fragments come from this app's own renderer (text escaped, Markdown sanitised), the same
 * code that built the rest of the conversation HTML.
 */
function formatTurnsNearViewport(): () => void {
  const lite = document.querySelectorAll<HTMLElement>("[data-lite]");
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
      const element = document.querySelector<HTMLElement>(`[data-lite="${number}"]`);
      // Observing again re-queues the turn if it is (still) near the viewport.
      if (element && count < LATE_TURN_ATTEMPTS) observer.observe(element);
    }
  };

  const replace = (number: number, html: string) => {
    const element = document.querySelector(`[data-lite="${number}"]`);
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
        // Turns the server is still formatting are left out of the answer: ask again in a moment.
        const late = batch.filter((number) => !turns.some((turn) => turn.number === number));
        if (late.length) window.setTimeout(() => retry(late), LATE_TURN_RETRY_MS);
      } catch {
        // Leave them as plain text (still complete and searchable); try again when seen again.
        for (const number of batch) {
          const element = document.querySelector<HTMLElement>(`[data-lite="${number}"]`);
          if (element) observer.observe(element);
        }
      }
    }
  };

  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        wanted.add(Number((entry.target as HTMLElement).dataset.lite));
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

/** Server-rendered times are UTC; show them in the reader's zone. */
function localiseTimes() {
  const time = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });
  const full = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const element of document.querySelectorAll<HTMLTimeElement>("time[data-local]")) {
    const date = new Date(element.dateTime);
    if (Number.isNaN(date.getTime())) continue;
    element.textContent = time.format(date);
    element.title = `${full.format(date)} (${zone})`;
  }
}

function showMore(button: HTMLElement) {
  const body = button.closest<HTMLElement>("[data-message-body]");
  body?.querySelector<HTMLElement>("[data-rest]")?.removeAttribute("hidden");
  button.remove();
}

async function loadRawJson(details: HTMLDetailsElement) {
  const target = details.querySelector<HTMLElement>("[data-raw-json-target]");
  if (!details.open || !target || target.dataset.loaded) return;
  target.dataset.loaded = "true";
  try {
    const response = await fetch(details.dataset.rawJsonUrl!, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(String(response.status));
    target.textContent = JSON.stringify(await response.json(), null, 2);
  } catch {
    delete target.dataset.loaded;
    target.textContent = "Could not load the raw JSON. Close and open this section to try again.";
  }
}

export function InteractionEnhancer() {
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      const control = (event.target as HTMLElement).closest<HTMLElement>("[data-action]");
      if (!control) return;
      const { action } = control.dataset;
      if (action === "copy-url") {
        const url = `${window.location.origin}${window.location.pathname}${control.dataset.fragment ?? ""}`;
        void copyText(url, control.dataset.fragment ? `Link to ${control.dataset.fragment.slice(1).replace("-", " ")} copied` : "Link copied");
        if (control.dataset.fragment) {
          event.preventDefault();
          history.replaceState(null, "", control.dataset.fragment);
          targetTurn(turnFromHash(), false);
        }
      } else if (action === "copy-text") {
        void copyText(control.dataset.text ?? "", control.dataset.done ?? "Copied");
      } else if (action === "copy-fetch") {
        const text = fetch(control.dataset.url!).then((response) => {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        });
        void copyText(text, control.dataset.done ?? "Copied");
      } else if (action === "toggle-raw") {
        void toggleRaw(control);
      } else if (action === "show-more") {
        showMore(control);
      } else if (action === "show-shortcuts") {
        document.querySelector<HTMLDialogElement>("#shortcuts")?.showModal();
      }
    };

    // Browser find opened a collapsed remainder: its "Show more" button has nothing left to do.
    const onBeforeMatch = (event: Event) => {
      const rest = event.target as HTMLElement;
      rest.closest("[data-message-body]")?.querySelector("[data-action='show-more']")?.remove();
    };

    const onKey = (event: KeyboardEvent) => {
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
      } else if (event.key === "c") {
        void copyText(`${window.location.origin}${window.location.pathname}`, "Link copied");
        event.preventDefault();
      } else if (event.key === "?") {
        const dialog = document.querySelector<HTMLDialogElement>("#shortcuts");
        if (dialog?.open) dialog.close();
        else dialog?.showModal();
        event.preventDefault();
      }
    };

    const onHashChange = () => targetTurn(turnFromHash(), true);
    const onToggle = (event: Event) => {
      const details = event.target as HTMLElement;
      if (details instanceof HTMLDetailsElement && details.dataset.rawJsonUrl) void loadRawJson(details);
    };

    document.addEventListener("click", onClick);
    document.addEventListener("keydown", onKey);
    document.addEventListener("beforematch", onBeforeMatch, true);
    document.addEventListener("toggle", onToggle, true);
    window.addEventListener("hashchange", onHashChange);

    let stopFormatting = formatTurnsNearViewport();
    const onRendered = () => {
      localiseTimes();
      stopFormatting();
      stopFormatting = formatTurnsNearViewport();
    };
    localiseTimes();
    window.addEventListener("inspector:rendered", onRendered);
    // Lets tests (and anyone curious) know the page's controls are live.
    document.documentElement.dataset.enhanced = "true";

    // On load: the turn the URL names, else the chosen turn.
    const named = turnFromHash();
    if (named) {
      targetTurn(named, true);
    } else {
      const chosen = document.querySelector<HTMLElement>("article[data-turn][aria-current='true']");
      const box = chosen?.getBoundingClientRect();
      if (chosen && box && (box.top > window.innerHeight * 0.75 || box.bottom < 0)) {
        chosen.scrollIntoView({ block: "center" });
      }
    }

    return () => {
      document.removeEventListener("click", onClick);
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("beforematch", onBeforeMatch, true);
      document.removeEventListener("toggle", onToggle, true);
      window.removeEventListener("hashchange", onHashChange);
      window.removeEventListener("inspector:rendered", onRendered);
      stopFormatting();
    };
  }, []);

  return null;
}
