import { Bot, Link2, MessageSquareHeart, User } from "lucide-react";
import { LocalTime } from "@/app/_components/local-time";
import { Badge } from "@/app/_components/badge";
import { parseTimestamp } from "@/lib/format";
import type { InteractionView, TurnView } from "@/lib/interactions/view";
import { AssistantMessage, UserMessage } from "./message";

function TurnTime({ value }: { value: string | null }) {
  const date = parseTimestamp(value);
  return date ? <LocalTime iso={date.toISOString()} format="time" className="text-xs text-muted" /> : null;
}

const assistantMeta = (
  <>
    <Bot aria-hidden="true" className="size-3.5" />
    <span className="font-medium">Assistant</span>
  </>
);

function Turn({ turn, feedbackTurn }: { turn: TurnView; feedbackTurn: number | null }) {
  const id = `turn-${turn.number}`;
  return (
    <article
      id={id}
      data-turn={turn.number}
      aria-current={turn.chosen ? "true" : undefined}
      aria-labelledby={`${id}-label`}
      tabIndex={-1}
      className="turn"
    >
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <h3 id={`${id}-label`} className="text-sm font-semibold">
          Turn {turn.number}
        </h3>
        {turn.chosen ? <Badge tone="info">Chosen turn</Badge> : null}
        {feedbackTurn === turn.number ? (
          <a href="#feedback-heading" className="no-underline">
            <Badge tone="warning">
              <MessageSquareHeart aria-hidden="true" className="size-3.5" />
              Feedback
            </Badge>
          </a>
        ) : null}
        <a
          href={`#${id}`}
          className="icon-btn ml-auto"
          data-action="copy-url"
          data-fragment={`#${id}`}
          aria-label={`Copy link to turn ${turn.number}`}
          title={`Copy link to turn ${turn.number}`}
        >
          <Link2 aria-hidden="true" className="size-4" />
        </a>
      </div>

      <div className="space-y-3">
        <div className="message message-user">
          <div className="message-meta">
            <User aria-hidden="true" className="size-3.5" />
            <span className="font-medium">User</span>
            <TurnTime value={turn.timestamp} />
          </div>
          {turn.input !== null && turn.input !== "" ? <UserMessage text={turn.input} /> : <p className="text-sm italic text-muted">No input recorded.</p>}
        </div>
        <div className="message message-assistant">
          {turn.output !== null && turn.output !== "" ? (
            <AssistantMessage text={turn.output} meta={assistantMeta} />
          ) : (
            <>
              <div className="message-meta">{assistantMeta}</div>
              <p className="text-sm italic text-muted">No output recorded.</p>
            </>
          )}
        </div>
      </div>
    </article>
  );
}

export function Conversation({ view }: { view: InteractionView }) {
  const count = view.turns.length;
  return (
    <section aria-labelledby="conversation-heading" className="space-y-3">
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
