"use client";

import { useEffect } from "react";
import { ACTION, ATTR } from "@/lib/render/dom-contract";
import { copyText } from "./enhancer/clipboard";
import { formatTurnsNearViewport } from "./enhancer/lazy-turns";
import { localiseTimes, showMore } from "./enhancer/page-text";
import { addCodeCopyButtons, copyCode } from "./enhancer/code-copy";
import { loadRawJson, prettyJson, toggleRaw } from "./enhancer/raw-view";
import { watchTitle } from "./enhancer/sticky-header";
import { onShortcutKey, shareableUrl, showChosenTurn, targetTurn, turnFromHash } from "./enhancer/turn-navigation";

/**
 * The page's only always-on client code. The page itself is server-rendered HTML; this adds copy
 * (code blocks included), per-message toggles, "show more", keyboard navigation, the compact
 * header's title and toasts by event delegation, so no per-turn component has to hydrate. Each
 * behaviour lives in its own module under enhancer/.
 */

export function InteractionEnhancer() {
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      const control = (event.target as HTMLElement).closest<HTMLElement>(`[${ATTR.action}]`);
      if (!control) return;
      const { action } = control.dataset;
      if (action === ACTION.copyUrl) {
        const fragment = control.getAttribute(ATTR.fragment);
        const url = shareableUrl(fragment ?? "");
        void copyText(url, fragment ? `Link to ${fragment.slice(1).replace("-", " ")} copied` : "Link copied");
        if (fragment) {
          event.preventDefault();
          history.replaceState(null, "", fragment);
          targetTurn(turnFromHash(), false);
        }
      } else if (action === ACTION.copyText) {
        void copyText(control.getAttribute(ATTR.text) ?? "", control.getAttribute(ATTR.done) ?? "Copied");
      } else if (action === ACTION.copyFetch) {
        const text = fetch(control.getAttribute(ATTR.url)!).then((response) => {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        });
        void copyText(control.hasAttribute(ATTR.prettyJson) ? prettyJson(text) : text, control.getAttribute(ATTR.done) ?? "Copied");
      } else if (action === ACTION.copyCode) {
        copyCode(control);
      } else if (action === ACTION.toggleRaw) {
        void toggleRaw(control);
      } else if (action === ACTION.showMore) {
        showMore(control);
      } else if (action === ACTION.showShortcuts) {
        document.querySelector<HTMLDialogElement>("#shortcuts")?.showModal();
      }
    };

    // Browser find opened a collapsed remainder: its "Show more" button has nothing left to do.
    const onBeforeMatch = (event: Event) => {
      const rest = event.target as HTMLElement;
      rest.closest(`[${ATTR.messageBody}]`)?.querySelector(`[${ATTR.action}='${ACTION.showMore}']`)?.remove();
    };

    const onHashChange = () => targetTurn(turnFromHash(), true);
    const onToggle = (event: Event) => {
      const details = event.target as HTMLElement;
      if (details instanceof HTMLDetailsElement && details.hasAttribute(ATTR.rawJsonUrl)) void loadRawJson(details);
    };

    document.addEventListener("click", onClick);
    document.addEventListener("keydown", onShortcutKey);
    document.addEventListener("beforematch", onBeforeMatch, true);
    document.addEventListener("toggle", onToggle, true);
    window.addEventListener("hashchange", onHashChange);

    let stopFormatting = formatTurnsNearViewport();
    const onRendered = () => {
      localiseTimes();
      addCodeCopyButtons();
      stopFormatting();
      stopFormatting = formatTurnsNearViewport();
    };
    localiseTimes();
    addCodeCopyButtons();
    const stopWatchingTitle = watchTitle();
    window.addEventListener("inspector:rendered", onRendered);
    // Lets tests (and anyone curious) know the page's controls are live.
    document.documentElement.dataset.enhanced = "true";
    showChosenTurn();

    return () => {
      document.removeEventListener("click", onClick);
      document.removeEventListener("keydown", onShortcutKey);
      document.removeEventListener("beforematch", onBeforeMatch, true);
      document.removeEventListener("toggle", onToggle, true);
      window.removeEventListener("hashchange", onHashChange);
      window.removeEventListener("inspector:rendered", onRendered);
      stopFormatting();
      stopWatchingTitle();
    };
  }, []);

  return null;
}
