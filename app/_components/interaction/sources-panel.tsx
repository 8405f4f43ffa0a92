import type { SourceView } from "@/lib/render/interaction-view";
import { JsonBlock, Section } from "./section";

export function SourcesPanel({ sources }: { sources: SourceView[] }) {
  return (
    <Section id="sources" title={`Sources${sources.length ? ` (${sources.length})` : ""}`}>
      {sources.length === 0 ? (
        <p className="text-sm text-muted">No retrieval (RAG) sources were recorded.</p>
      ) : (
        <ul className="space-y-2 text-sm">
          {sources.map((source, index) => (
            <li key={index}>
              <details className="rounded-md border border-line">
                <summary className="cursor-pointer px-3 py-2 break-words">
                  <span className="font-medium">{source.title}</span>
                </summary>
                <div className="space-y-2 border-t border-line px-3 py-2">
                  {source.url ? (
                    <a href={source.url} target="_blank" rel="noopener noreferrer nofollow" className="break-all text-accent underline">
                      {source.url}
                    </a>
                  ) : null}
                  <JsonBlock value={source.detail} />
                </div>
              </details>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
