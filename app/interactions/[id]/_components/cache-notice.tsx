import { formatRelative } from "@/lib/format";
import type { InteractionSnapshot } from "@/lib/interactions";

/** Says plainly when the reader is looking at a cached copy rather than Nebuly's current answer. */
export function CacheNotice({ snapshot, now }: { snapshot: InteractionSnapshot; now: Date }) {
  if (snapshot.cache !== "STALE") return null;
  const age = formatRelative(snapshot.fetchedAt, now);
  const failed = snapshot.staleReason === "upstream_failed";
  return (
    <p
      role="status"
      className={`rounded-md border px-3 py-2 text-sm ${
        failed
          ? "border-amber-500/50 bg-amber-50 text-amber-950 dark:bg-amber-400/10 dark:text-amber-100"
          : "border-line bg-sunken text-ink"
      }`}
    >
      {failed ? (
        <>
          <strong>Cached {age} — Nebuly unavailable.</strong> {snapshot.upstreamError?.message} You are reading the last copy fetched.
        </>
      ) : (
        <>Cached {age}; a fresh copy is being fetched in the background. Refresh to see it.</>
      )}
    </p>
  );
}
