"use client";

async function signOut(everywhere: boolean) {
  await fetch(`/api/session${everywhere ? "?everywhere=1" : ""}`, { method: "DELETE" }).catch(() => undefined);
  // A full load on purpose: nothing the signed-in session rendered stays in the client's router cache.
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  window.location.assign("/login");
}

const EVERYWHERE_QUESTION =
  "Sign out everywhere? This ends every session signed in with this identity, on every device. With a shared password, that signs out everyone who uses it.";

/** Sign out ends this session on the server; "everywhere" ends every session of the same viewer. */
export function SignOutButton() {
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" className="text-muted hover:text-ink" onClick={() => signOut(false)}>
        Sign out
      </button>
      <button
        type="button"
        className="text-xs text-muted underline hover:text-ink"
        aria-label="Sign out everywhere…"
        title="End every session signed in with this identity, on every device"
        onClick={() => {
          // With a shared password this is everyone on the team: one stray click must not do it.
          if (window.confirm(EVERYWHERE_QUESTION)) void signOut(true);
        }}
      >
        everywhere…
      </button>
    </span>
  );
}
