import Link from "next/link";
import { ChevronLeft, ChevronRight } from "lucide-react";
import type { ListNavigation } from "@/lib/interactions";
import { ATTR } from "@/lib/render/dom-contract";

export type ListNavigationState = ListNavigation | { state: "unreadable" };

const count = (value: number) => value.toLocaleString("en-US");

/*
 * Plain <a> elements, not next/link: each step is a whole page load, so the page works the same
 * without JavaScript and the enhancer starts afresh on every interaction (a client-side swap of
 * one interaction page for another would keep the previous one's enhancer state). The [ and ]
 * keys follow the links marked with ATTR.listStep.
 */

/** "Recently viewed: 12 of 340 · ‹ Previous · Next ›", or why there is no Previous/Next. */
export function ListNavigationBar({ navigation }: { navigation: ListNavigationState }) {
  if (navigation.state === "unreadable") {
    return (
      <p role="status" className="text-sm text-muted">
        The list in this address could not be read, so there is no Previous or Next here.{" "}
        <Link href="/" className="text-accent underline">
          Back to the start
        </Link>
      </p>
    );
  }
  const back = (
    <a href={navigation.listHref} className="text-accent underline">
      {navigation.listName}
    </a>
  );
  if (navigation.state === "not_in_list") {
    return (
      <p role="status" className="text-sm text-muted">
        This interaction is no longer at this place in the list it was opened from ({back}), so there is no Previous or Next here.
      </p>
    );
  }
  if (navigation.state === "unavailable") {
    return (
      <p role="status" className="text-sm text-muted">
        Could not load the list this interaction was opened from ({back}): {navigation.message}
      </p>
    );
  }
  const total = `${count(navigation.total)}${navigation.totalIsLimit ? "+" : ""}`;
  return (
    <nav aria-label="Move through the list" className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
      <p className="min-w-0 text-muted">
        {back}: <span className="font-medium text-ink">{`${count(navigation.position)} of ${total}`}</span>
      </p>
      <div className="ml-auto flex items-center gap-2">
        {navigation.previous ? (
          <a href={navigation.previous} rel="prev" className="btn" aria-keyshortcuts="[" {...{ [ATTR.listStep]: "previous" }}>
            <span aria-hidden="true">‹</span> Previous
          </a>
        ) : (
          <span className="px-2.5 py-1.5 text-muted">First in this list</span>
        )}
        {navigation.next ? (
          <a href={navigation.next} rel="next" className="btn" aria-keyshortcuts="]" {...{ [ATTR.listStep]: "next" }}>
            Next <span aria-hidden="true">›</span>
          </a>
        ) : (
          <span className="px-2.5 py-1.5 text-muted">Last in this list</span>
        )}
      </div>
    </nav>
  );
}

/**
 * Previous and Next again, as icons in the compact header that stays at the top of the screen:
 * the page scrolls to the chosen turn on load (on a phone, past the bar above), and a reviewer
 * moving on should not have to scroll back up. Not marked for the [ and ] keys: the bar's links are.
 */
export function ListStepLinks({ navigation }: { navigation: ListNavigationState }) {
  if (navigation.state !== "ok") return null;
  const where = `${count(navigation.position)} of ${count(navigation.total)}${navigation.totalIsLimit ? "+" : ""}`;
  return (
    <span className="flex items-center gap-1">
      {navigation.previous ? (
        <a href={navigation.previous} className="btn px-1.5" aria-label={`Previous in ${navigation.listName} (now ${where})`} title="Previous in the list ([)">
          <ChevronLeft aria-hidden="true" className="size-4" />
        </a>
      ) : null}
      {navigation.next ? (
        <a href={navigation.next} className="btn px-1.5" aria-label={`Next in ${navigation.listName} (now ${where})`} title="Next in the list (])">
          <ChevronRight aria-hidden="true" className="size-4" />
        </a>
      ) : null}
    </span>
  );
}
