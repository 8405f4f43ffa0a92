"use client";

import { useActionState, useEffect, useState } from "react";
import { refreshInteraction, type RefreshState } from "../actions";

interface RefreshFormProps {
  id: string;
  label?: string;
  pendingLabel?: string;
  className?: string;
  /** In the compact header: the label shows from the small breakpoint up, the status under the button. */
  compact?: boolean;
}

const SUCCESS_NOTE_MS = 8_000;

export function RefreshForm({ id, label = "Refresh", pendingLabel = "Refreshing…", className, compact = false }: RefreshFormProps) {
  const [state, action, pending] = useActionState<RefreshState, FormData>(
    (previous) => refreshInteraction(id, previous),
    { status: "idle" },
  );
  // Under the compact header the status covers the page: a success note leaves after a while.
  const [settled, setSettled] = useState<RefreshState | null>(null);
  // The page re-rendered with new data: let the enhancer localise its times again.
  useEffect(() => {
    if (state.status !== "idle") window.dispatchEvent(new Event("inspector:rendered"));
    if (!compact || state.status !== "refreshed") return;
    const timer = window.setTimeout(() => setSettled(state), SUCCESS_NOTE_MS);
    return () => window.clearTimeout(timer);
  }, [state, compact]);
  const message = pending || settled === state ? "" : state.message;
  return (
    // Compact: the status sits under the compact header (its positioned ancestor), so the header stays one line.
    <form action={action} className={compact ? "inline-flex items-center" : "inline-flex flex-wrap items-center gap-2"}>
      <button type="submit" disabled={pending} className={className ?? "btn"}>
        <svg aria-hidden="true" viewBox="0 0 24 24" className={`size-4 ${pending ? "animate-spin" : ""}`} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M21 12a9 9 0 1 1-3-6.7L21 8" />
          <path d="M21 3v5h-5" />
        </svg>
        <span className={compact ? "btn-label" : undefined}>{pending ? pendingLabel : label}</span>
      </button>
      <span role="status" className={`text-sm ${compact ? "refresh-status-below" : ""} ${state.status === "failed" ? "text-red-700 dark:text-red-300" : "text-muted"}`}>
        {message}
      </span>
    </form>
  );
}
