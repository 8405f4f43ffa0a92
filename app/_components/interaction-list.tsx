import Link from "next/link";
import { Badge, sentimentTone } from "./badge";
import { LabelChips } from "./label-chip";
import type { Label } from "@/lib/labels/names";
import { LocalTime } from "./local-time";
import { markdownToSnippetText, parseTimestamp, truncateText } from "@/lib/format";

export interface InteractionListRow {
  id: string;
  timestamp: Date | string | null;
  user: string | null;
  query: string | null;
  output: string | null;
  topic?: string | null;
  sentiment?: string | null;
  feedbackType?: string | null;
  /** The project's name, shown when the inspector serves several projects. */
  project?: string | null;
  /** The team's labels on it (cached interactions only). */
  labels?: readonly Label[];
}

/** One row from an item of Nebuly's interaction list (home's Latest and Browse share it). */
export function listRowOf(item: { id: string; timestamp?: string | null; end_user?: string | null; user_query?: string | null; input_text?: string | null; output_text?: string | null }): InteractionListRow {
  return { id: item.id, timestamp: item.timestamp ?? null, user: item.end_user ?? null, query: item.user_query || item.input_text || null, output: item.output_text ?? null };
}

function timeOf(value: InteractionListRow["timestamp"]): Date | null {
  if (value instanceof Date) return value;
  return parseTimestamp(value);
}

/**
 * A dense list of interactions, each row linking to its page. `hrefOf` gives a row's address with
 * the list it is in (lib/interactions/list-context.ts `listLinks`), so the page can move on to
 * the next one; without it a row links to the interaction alone.
 */
export function InteractionList({
  rows,
  label,
  empty,
  hrefOf = (id) => `/interactions/${id}`,
}: {
  rows: InteractionListRow[];
  label: string;
  empty: React.ReactNode;
  hrefOf?: (id: string, index: number) => string;
}) {
  if (rows.length === 0) return <p className="text-sm text-muted">{empty}</p>;
  return (
    <ul aria-label={label} className="divide-y divide-line overflow-hidden rounded-lg border border-line bg-surface">
      {rows.map((row, index) => {
        const time = timeOf(row.timestamp);
        return (
          <li key={row.id}>
            {/* No prefetch: prefetching a list would fetch every row from Nebuly, spending its quota. */}
            <Link href={hrefOf(row.id, index)} prefetch={false} className="block px-3 py-2.5 no-underline hover:bg-sunken focus-visible:bg-sunken">
              <span className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted">
                {time ? <LocalTime iso={time.toISOString()} relative /> : <span>No time</span>}
                {row.project ? <Badge tone="info">{row.project}</Badge> : null}
                {row.user ? <span className="max-w-[16rem] truncate">· {row.user}</span> : null}
                {row.topic ? <Badge>{row.topic}</Badge> : null}
                {row.sentiment ? <Badge tone={sentimentTone(row.sentiment)}>{row.sentiment}</Badge> : null}
                {row.feedbackType ? <Badge tone="warning">{row.feedbackType.replace(/_/g, " ")}</Badge> : null}
                <LabelChips labels={row.labels} />
              </span>
              <span className="mt-0.5 block font-medium text-ink">{row.query ? truncateText(row.query, 180) : <span className="italic text-muted">No query</span>}</span>
              {row.output ? <span className="mt-0.5 block text-sm text-muted">{truncateText(markdownToSnippetText(row.output), 220)}</span> : null}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
