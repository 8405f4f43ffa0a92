import type { ReactNode } from "react";
import { formatBytes } from "@/lib/format";
import { renderMessage } from "@/lib/render/message";
import { plainPreview } from "@/lib/render/plain";

function ShowMore({ hiddenChars }: { hiddenChars: number }) {
  return (
    <button type="button" className="btn btn-quiet mt-2" data-action="show-more">
      Show more ({formatBytes(hiddenChars)} hidden)
    </button>
  );
}

/** A user message: plain text with its line breaks, long ones collapsed (browser find still reaches them). */
export function UserMessage({ text }: { text: string }) {
  const { preview, rest } = plainPreview(text);
  return (
    <div data-message-body className="whitespace-pre-wrap break-words">
      {preview}
      {rest !== null ? (
        <>
          {/* until-found: hidden, but browser find reveals it */}
          <span data-rest hidden={"until-found" as unknown as boolean}>{rest}</span>
          <ShowMore hiddenChars={rest.length} />
        </>
      ) : null}
    </div>
  );
}

/** An assistant message: Markdown rendered on the server, with a Raw view of the exact text. */
export function AssistantMessage({ text, meta }: { text: string; meta: ReactNode }) {
  const rendered = renderMessage(text);

  if (rendered.format === "plain") {
    return (
      <div data-message-body>
        <div className="message-meta">{meta}</div>
        <p className="mb-2 text-xs text-muted">Shown as plain text: this message is too long ({formatBytes(rendered.length)}) to format.</p>
        <div className="raw-text">
          {rendered.preview}
          {rendered.rest !== null ? <span data-rest hidden={"until-found" as unknown as boolean}>{rendered.rest}</span> : null}
        </div>
        {rendered.rest !== null ? <ShowMore hiddenChars={rendered.hiddenChars} /> : null}
      </div>
    );
  }

  return (
    <div data-message data-view="markdown">
      <div className="message-meta">
        {meta}
        <button type="button" className="chip-btn ml-auto" data-action="toggle-raw" aria-pressed="false" title="Switch between the formatted and the exact text">
          Raw
        </button>
      </div>
      <div data-message-body>
        <div data-rendered className="md">
          {rendered.preview}
          {rendered.rest !== null ? <div data-rest hidden={"until-found" as unknown as boolean}>{rendered.rest}</div> : null}
        </div>
        <pre data-raw hidden className="raw-text">
          {text}
        </pre>
        {rendered.rest !== null ? <ShowMore hiddenChars={rendered.hiddenChars} /> : null}
      </div>
    </div>
  );
}
