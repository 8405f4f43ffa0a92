"use client";

import { useEffect, useState } from "react";
import { formatLocal, formatRelative, formatUtc } from "@/lib/format";

export interface LocalTimeTextProps {
  iso: string;
  /** "datetime": date and time; "time": time of day only (date in the tooltip). */
  format?: "datetime" | "time";
  relative?: boolean;
  className?: string;
  /** When the server rendered the page (ms): the relative part's "now" until the browser takes over. */
  renderedAt: number;
}

/**
 * The server cannot know the reader's time zone, so it renders UTC and the browser swaps in
 * local time after hydration. The relative part ("3 min ago") is measured from the server's
 * render time at first, on the server and in hydration alike (so both render the same text),
 * then from the browser's clock, ticking while the page is open.
 */
export function LocalTimeText({ iso, format = "datetime", relative = false, className, renderedAt }: LocalTimeTextProps) {
  const date = new Date(iso);
  const [local, setLocal] = useState<{ text: string; title: string; relativeText: string } | null>(null);

  useEffect(() => {
    const update = () => {
      setLocal({ ...formatLocal(date, format), relativeText: formatRelative(date, new Date()) });
    };
    update();
    if (!relative) return;
    const timer = setInterval(update, 30_000);
    return () => clearInterval(timer);
    // `iso` fully determines `date`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [iso, format, relative]);

  if (Number.isNaN(date.getTime())) return <span className={className}>{iso}</span>;
  return (
    <time dateTime={date.toISOString()} title={local?.title ?? formatUtc(date)} className={className}>
      {local?.text ?? (format === "time" ? formatUtc(date).slice(11) : formatUtc(date))}
      {relative ? <span className="text-muted"> · {local?.relativeText ?? formatRelative(date, new Date(renderedAt))}</span> : null}
    </time>
  );
}
