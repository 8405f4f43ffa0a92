import { ClipboardCopy, Download, FileText } from "lucide-react";
import { Section } from "./section";

export function RawPanel({ id }: { id: string }) {
  const jsonUrl = `/api/interactions/${id}`;
  return (
    <Section
      id="raw"
      title="Raw"
      actions={
        <div className="flex flex-wrap gap-2">
          <button type="button" className="btn" data-action="copy-fetch" data-url={jsonUrl} data-done="JSON copied">
            <ClipboardCopy aria-hidden="true" className="size-4" />
            Copy JSON
          </button>
          <a className="btn" href={jsonUrl} download={`interaction-${id}.json`}>
            <Download aria-hidden="true" className="size-4" />
            Download JSON
          </a>
          <button
            type="button"
            className="btn"
            data-action="copy-fetch"
            data-url={`/api/interactions/${id}/transcript`}
            data-done="Conversation copied as Markdown"
          >
            <FileText aria-hidden="true" className="size-4" />
            Copy as Markdown
          </button>
        </div>
      }
    >
      <details data-raw-json-url={jsonUrl}>
        <summary className="cursor-pointer text-sm">Show the interaction exactly as Nebuly returned it</summary>
        <pre data-raw-json-target className="code-block mt-2 max-h-[32rem] overflow-auto">
          Loading…
        </pre>
      </details>
    </Section>
  );
}
