import { Badge } from "@/app/_components/badge";
import { formatUtc, parseTimestamp } from "@/lib/format";
import type { InteractionView, TurnView } from "@/lib/interactions/view";
import { IconSprite, SpriteIconUse } from "./icon-sprite";
import { AssistantMessage, UserMessage } from "./message";

/** Rendered in UTC on the server; the page's enhancer rewrites it in the reader's time zone. */
function TurnTime({ value }: { value: string | null }) {
  const date = parseTimestamp(value);
  return date ? (
    <time dateTime={date.toISOString()} data-local="time">
      {formatUtc(date).slice(11)}
    </time>
  ) : null;
}

const assistantMeta = (
  <>
    <SpriteIconUse name="bot" className="size-3.5" />
    <b>Assistant</b>
  </>
);

// Markup per turn is kept lean on purpose: a conversation can have thousands of turns.
function Turn({ turn, feedbackTurn }: { turn: TurnView; feedbackTurn: number | null }) {
  const id = `turn-${turn.number}`;
  return (
    <article id={id} data-turn={turn.number} aria-current={turn.chosen ? "true" : undefined} aria-labelledby={`${id}-h`} tabIndex={-1} className="turn">
      <div className="turn-head">
        <h3 id={`${id}-h`}>Turn {turn.number}</h3>
        {turn.chosen ? <Badge tone="info">Chosen turn</Badge> : null}
        {feedbackTurn === turn.number ? (
          <a href="#feedback-heading" className="no-underline">
            <Badge tone="warning">
              <SpriteIconUse name="feedback" className="size-3.5" />
              Feedback
            </Badge>
          </a>
        ) : null}
        <a href={`#${id}`} className="icon-btn ml-auto" data-action="copy-url" data-fragment={`#${id}`} aria-label={`Copy link to turn ${turn.number}`}>
          <SpriteIconUse name="link" className="size-4" />
        </a>
      </div>
      <div className="message message-user">
        <div className="message-meta">
          <SpriteIconUse name="user" className="size-3.5" />
          <b>User</b>
          <TurnTime value={turn.timestamp} />
        </div>
        {turn.input ? <UserMessage text={turn.input} /> : <p className="empty">No input recorded.</p>}
      </div>
      <div className="message">
        {turn.output ? (
          <AssistantMessage text={turn.output} meta={assistantMeta} turn={turn.number} />
        ) : (
          <>
            <div className="message-meta">{assistantMeta}</div>
            <p className="empty">No output recorded.</p>
          </>
        )}
      </div>
    </article>
  );
}

export function Conversation({ view }: { view: InteractionView }) {
  const count = view.turns.length;
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
          <button type="button" className="link-btn" data-action="show-shortcuts">
            keyboard shortcuts
          </button>
        </p>
      </div>
      {view.turns.map((turn) => (
        <Turn key={turn.number} turn={turn} feedbackTurn={view.feedback.isEmpty ? null : view.feedback.turn} />
      ))}
    </section>
  );
}
