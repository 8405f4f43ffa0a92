import { Notice } from "@/app/_components/notice";
import { formatRelative } from "@/lib/format";
import type { InteractionSnapshot } from "@/lib/interactions";

/** Says plainly when the reader is looking at a cached copy rather than Nebuly's current answer. */
export function CacheNotice({ snapshot, now }: { snapshot: InteractionSnapshot; now: Date }) {
  if (snapshot.cache !== "STALE") return null;
  const age = formatRelative(snapshot.fetchedAt, now);
  const failed = snapshot.staleReason === "upstream_failed";
  return (
    <Notice tone={failed ? "warning" : "info"} role="status">
      {failed ? (
        <>
          <strong>Cached {age} — Nebuly unavailable.</strong> {snapshot.upstreamError?.message} You are reading the last copy fetched.
        </>
      ) : (
        <>Cached {age}; a fresh copy is being fetched in the background. Refresh to see it.</>
      )}
    </Notice>
  );
}
