import type { InteractionView } from "@/lib/render/interaction-view";
import { conversationHtml } from "@/lib/render/conversation-html";
import { IconSprite } from "./icon-sprite";
import { ACTION, ATTR } from "@/lib/render/dom-contract";

export async function Conversation({ view, snapshotKey, shared = false }: { view: InteractionView; snapshotKey: string; shared?: boolean }) {
  const count = view.turns.length;
  const html = await conversationHtml(view, snapshotKey, { shared });
  return (
    <section aria-labelledby="conversation-heading" className="space-y-3">
      <IconSprite />
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="conversation-heading" className="text-base font-semibold">
          Conversation
        </h2>
        <p className="text-xs text-muted">
          {count} {count === 1 ? "turn" : "turns"}
          {view.chosenTurn ? ` · turn ${view.chosenTurn} chosen` : ""} ·{" "}
          <button type="button" className="link-btn" {...{ [ATTR.action]: ACTION.showShortcuts }}>
            keyboard shortcuts
          </button>
        </p>
      </div>
      {/* Built and escaped by lib/render/conversation-html: one node for React to hydrate. */}
      <div className="space-y-3" dangerouslySetInnerHTML={{ __html: html }} />
    </section>
  );
}
