import type { ReactNode } from "react";
import { formatBytes } from "@/lib/format";
import { renderMessage } from "@/lib/render/message";
import { plainPreview } from "@/lib/render/plain";

// `hidden="until-found"` keeps collapsed text out of sight but lets browser find reveal it.
const UNTIL_FOUND = "until-found" as unknown as boolean;

function ShowMore({ hiddenChars }: { hiddenChars: number }) {
  return (
    <button type="button" className="btn btn-quiet mt-2" data-action="show-more">
      Show more ({formatBytes(hiddenChars)} hidden)
    </button>
  );
}

/** A user message: plain text with its line breaks, long ones collapsed. */
export function UserMessage({ text }: { text: string }) {
  const { preview, rest } = plainPreview(text);
  return (
    <div data-message-body className="plain">
      {preview}
      {rest !== null ? (
        <>
          <span data-rest hidden={UNTIL_FOUND}>
            {rest}
          </span>
          <ShowMore hiddenChars={rest.length} />
        </>
      ) : null}
    </div>
  );
}

/**
 * An assistant message: Markdown rendered on the server. The Raw view's exact text is fetched
 * on first use rather than sent twice with every turn.
 */
export function AssistantMessage({ text, meta, turn }: { text: string; meta: ReactNode; turn: number }) {
  const rendered = renderMessage(text);

  if (rendered.format === "plain") {
    return (
      <div data-message-body>
        <div className="message-meta">{meta}</div>
        <p className="mb-2 text-xs text-muted">Shown as plain text: this message is too long ({formatBytes(rendered.length)}) to format.</p>
        <div className="raw-text">
          {rendered.preview}
          {rendered.rest !== null ? (
            <span data-rest hidden={UNTIL_FOUND}>
              {rendered.rest}
            </span>
          ) : null}
        </div>
        {rendered.rest !== null ? <ShowMore hiddenChars={rendered.hiddenChars} /> : null}
      </div>
    );
  }

  return (
    <div data-message data-turn-output={turn}>
      <div className="message-meta">
        {meta}
        <button type="button" className="chip-btn ml-auto" data-action="toggle-raw" aria-pressed="false">
          Raw
        </button>
      </div>
      <div data-message-body>
        <div data-rendered className="md">
          {rendered.preview}
          {rendered.rest !== null ? (
            <div data-rest hidden={UNTIL_FOUND}>
              {rendered.rest}
            </div>
          ) : null}
        </div>
        {rendered.rest !== null ? <ShowMore hiddenChars={rendered.hiddenChars} /> : null}
      </div>
    </div>
  );
}
