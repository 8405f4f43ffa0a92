import { Fragment } from "react";
import Link from "next/link";
import { Badge, sentimentTone } from "@/app/_components/badge";
import { LabelChips } from "@/app/_components/label-chip";
import type { Label } from "@/lib/labels/names";
import { LocalTime } from "@/app/_components/local-time";
import type { CachedListItem, SnippetPart } from "@/lib/interactions";
import { markdownToSnippetText, truncateText } from "@/lib/format";
import { projectNameOf } from "@/lib/projects";
import { feedbackLabel } from "./feedback-label";

// Markdown emphasis around matched text is noise in a one-line snippet. Fixed strings: linear.
const EMPHASIS = /\*\*|__|~~|`/g;

/**
 * The text around a match, matches in <mark>. Every part is a React text child, so interaction
 * text is escaped like any other text and never becomes markup.
 */
function Snippet({ parts }: { parts: SnippetPart[] }) {
  return (
    <span className="mt-0.5 block text-sm break-words text-muted">
      {parts.map((part, index) => {
        let text = index === 0 ? part.text.trimStart() : part.text;
        if (index === parts.length - 1) text = text.trimEnd();
        return part.match ? (
          <mark key={index} className="rounded-sm bg-amber-200 px-0.5 text-ink dark:bg-amber-300/25 dark:text-amber-50">
            {text}
          </mark>
        ) : (
          <Fragment key={index}>{text.replace(EMPHASIS, "")}</Fragment>
        );
      })}
    </span>
  );
}

/**
 * Cached interactions as a dense list: each row links to its page (with the list it is in, from
 * `hrefOf`) and shows its labels; a search shows its match.
 */
export function CachedResults({
  items,
  labels,
  empty,
  hrefOf,
}: {
  items: CachedListItem[];
  labels?: ReadonlyMap<string, Label[]>;
  empty: React.ReactNode;
  hrefOf: (id: string, index: number) => string;
}) {
  if (items.length === 0) return <p className="text-sm text-muted">{empty}</p>;
  return (
    <ul aria-label="Cached interactions" className="divide-y divide-line overflow-hidden rounded-lg border border-line bg-surface">
      {items.map((item, index) => (
        <li key={item.id}>
          {/* No prefetch: prefetching a list would fetch every row from Nebuly, spending its quota. */}
          <Link href={hrefOf(item.id, index)} prefetch={false} className="block px-3 py-2.5 no-underline hover:bg-sunken focus-visible:bg-sunken">
            <span className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted">
              {item.timestamp ? <LocalTime iso={item.timestamp.toISOString()} relative /> : <span>No time</span>}
              {projectNameOf(item.projectSlug) ? <Badge tone="info">{projectNameOf(item.projectSlug)}</Badge> : null}
              {item.user ? <span className="max-w-[16rem] truncate">· {item.user}</span> : null}
              {item.topic ? <Badge>{item.topic}</Badge> : null}
              {item.sentiment ? <Badge tone={sentimentTone(item.sentiment)}>{item.sentiment}</Badge> : null}
              {item.feedbackType ? <Badge tone="warning">{feedbackLabel(item.feedbackType)}</Badge> : null}
              <LabelChips labels={labels?.get(item.id)} />
            </span>
            <span className="mt-0.5 block font-medium text-ink">{item.query ? truncateText(item.query, 180) : <span className="italic text-muted">No query</span>}</span>
            {item.snippet?.length ? (
              <Snippet parts={item.snippet} />
            ) : item.output ? (
              <span className="mt-0.5 block text-sm text-muted">{truncateText(markdownToSnippetText(item.output), 220)}</span>
            ) : null}
          </Link>
        </li>
      ))}
    </ul>
  );
}
