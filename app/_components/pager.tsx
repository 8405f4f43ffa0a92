import Link from "next/link";

/** One side of the pager. `rel` marks the adjacent page (omit it for a jump, such as back to the newest). */
export interface PagerLink {
  href: string;
  label: string;
  rel?: "prev" | "next";
}

/**
 * The "Pages" navigation under a list (audit log, cached interactions, browse): the way back on the
 * left, the way on at the right; a side with nowhere to go is left out.
 */
export function Pager({ previous, next }: { previous: PagerLink | null; next: PagerLink | null }) {
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-2">
      {previous ? (
        <Link prefetch={false} className="btn" href={previous.href} rel={previous.rel}>
          {`← ${previous.label}`}
        </Link>
      ) : (
        <span />
      )}
      {next ? (
        <Link prefetch={false} className="btn" href={next.href} rel={next.rel}>
          {`${next.label} →`}
        </Link>
      ) : null}
    </nav>
  );
}
