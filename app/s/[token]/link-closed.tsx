/**
 * What the reader of a revoked or expired link sees. It says only that: not which of the two, not
 * the interaction, not who shared it or when, so a leaked old link tells its finder nothing more.
 */
export function LinkClosed() {
  return (
    <div className="card mx-auto max-w-xl space-y-3 text-center">
      {/* Next skips page metadata on a 404 response: the view names itself, as not-found.tsx does. */}
      <title>Link revoked or expired · Interaction Inspector</title>
      <h1 className="text-xl font-semibold">This link was revoked or has expired</h1>
      <p className="text-muted">Shared links stop working when the person who shared them revokes them, or when they reach the expiry time chosen for them.</p>
      <p>If you still need to read this interaction, ask the person who sent you the link for a new one.</p>
    </div>
  );
}
