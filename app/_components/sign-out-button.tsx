"use client";

async function signOut(everywhere: boolean) {
  await fetch(`/api/session${everywhere ? "?everywhere=1" : ""}`, { method: "DELETE" }).catch(() => undefined);
  // A full load on purpose: nothing the signed-in session rendered stays in the client's router cache.
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  window.location.assign("/login");
}

/** Sign out ends this session on the server; "everywhere" ends every session of the same viewer. */
export function SignOutButton() {
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" className="text-muted hover:text-ink" onClick={() => signOut(false)}>
        Sign out
      </button>
      <button type="button" className="text-xs text-muted hover:text-ink" title="End every session signed in with this identity, on every device" onClick={() => signOut(true)}>
        (everywhere)
      </button>
    </span>
  );
}
