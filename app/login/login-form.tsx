"use client";

import { useRef, useState } from "react";
import { withFragment } from "@/lib/access/landing";
import { DISPLAY_NAME_MAX_CHARS } from "@/lib/notes/limits";

const MESSAGES: Record<string, string> = {
  invalid: "That password is not right.",
  rate_limited: "Too many failed attempts. Wait a minute and try again.",
};

/** Posts JSON when JavaScript runs (no page reload on a wrong password); a plain form post otherwise. */
export function LoginForm({ next, initialError }: { next: string; initialError?: string }) {
  const [error, setError] = useState(initialError ? (MESSAGES[initialError] ?? "") : "");
  const [pending, setPending] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  return (
    <form
      method="post"
      action="/api/session"
      className="space-y-3"
      onSubmit={async (event) => {
        event.preventDefault();
        setPending(true);
        const form = new FormData(event.currentTarget);
        const password = form.get("password");
        const displayName = form.get("displayName");
        try {
          const response = await fetch("/api/session", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ password, ...(typeof displayName === "string" && displayName.trim() ? { displayName } : {}) }),
          });
          if (response.status === 204) {
            window.location.assign(withFragment(next, window.location.hash));
            return;
          }
          const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
          setError(body?.error?.message ?? "Could not sign in. Try again.");
          // A refused password is not worth keeping: clear it and put the cursor back for the next
          // try (a click on the button, now disabled, left focus nowhere).
          if (field.current) field.current.value = "";
          field.current?.focus();
        } catch {
          setError("Could not reach the server. Try again.");
        }
        setPending(false);
      }}
    >
      <input type="hidden" name="next" value={next} />
      <label htmlFor="password" className="block text-sm font-medium">
        Password
      </label>
      <input
        ref={field}
        id="password"
        name="password"
        type="password"
        required
        autoComplete="current-password"
        autoFocus
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "login-error" : undefined}
        className="field w-full"
      />
      <label htmlFor="display-name" className="block text-sm font-medium">
        Your name <span className="font-normal text-muted">(shown on your notes)</span>
      </label>
      <input id="display-name" name="displayName" type="text" autoComplete="name" maxLength={DISPLAY_NAME_MAX_CHARS} aria-describedby="display-name-hint" className="field w-full" />
      <p id="display-name-hint" className="text-xs text-muted">
        Optional here: you are asked for it when you first write a note.
      </p>
      {error ? (
        <p id="login-error" role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary w-full justify-center" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
