import Link from "next/link";
import type { ReactNode } from "react";
import { browseHrefFor } from "@/lib/interactions/browse-query";

type Filter = Parameters<typeof browseHrefFor>[0];

/** Where values link to: Browse, within a project when the inspector serves several; null: plain text. */
export type BrowseLinks = { project: string | null } | null;

/**
 * A value on the interaction page (user, topic, intent, tag) as a link to the Browse list filtered
 * by it. Plain text when `browse` is null (a share view's reader cannot browse) or Browse could
 * not take the value.
 */
export function BrowseValueLink({ filter, browse, label, className = "", children }: { filter: Filter; browse: BrowseLinks; label?: string; className?: string; children: ReactNode }) {
  const href = browse ? browseHrefFor(filter, browse.project) : null;
  if (!href) return <span className={className}>{children}</span>;
  return (
    // No prefetch: the list it leads to is fetched from Nebuly.
    <Link href={href} prefetch={false} aria-label={label} title="Browse interactions with this value (last 30 days)" className={`text-accent underline decoration-dotted underline-offset-2 hover:decoration-solid ${className}`}>
      {children}
    </Link>
  );
}
