"use client";

export function SignOutButton() {
  return (
    <button
      type="button"
      className="text-muted hover:text-ink"
      onClick={async () => {
        await fetch("/api/session", { method: "DELETE" }).catch(() => undefined);
        window.location.assign("/login");
      }}
    >
      Sign out
    </button>
  );
}
