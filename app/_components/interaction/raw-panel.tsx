import { ClipboardCopy, Download, FileText } from "lucide-react";
import { Section } from "./section";
import { ACTION, ATTR } from "@/lib/render/dom-contract";

export function RawPanel({ id }: { id: string }) {
  const jsonUrl = `/api/interactions/${id}`;
  return (
    <Section
      id="raw"
      title="Raw"
      actions={
        <div className="flex flex-wrap gap-2">
          <button type="button" className="btn" {...{ [ATTR.action]: ACTION.copyFetch, [ATTR.url]: jsonUrl, [ATTR.prettyJson]: "", [ATTR.done]: "JSON copied" }}>
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
            {...{ [ATTR.action]: ACTION.copyFetch, [ATTR.url]: `/api/interactions/${id}/transcript`, [ATTR.done]: "Conversation copied as Markdown" }}
          >
            <FileText aria-hidden="true" className="size-4" />
            Copy as Markdown
          </button>
        </div>
      }
    >
      <details {...{ [ATTR.rawJsonUrl]: jsonUrl }}>
        <summary className="cursor-pointer text-sm">Show the interaction exactly as Nebuly returned it</summary>
        <pre {...{ [ATTR.rawJsonTarget]: "" }} className="code-block mt-2 max-h-[32rem] overflow-auto">
          Loading…
        </pre>
      </details>
    </Section>
  );
}
