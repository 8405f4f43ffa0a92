"use client";

import { useActionState, useEffect } from "react";
import { refreshInteraction, type RefreshState } from "../actions";

interface RefreshFormProps {
  id: string;
  label?: string;
  pendingLabel?: string;
  className?: string;
}

export function RefreshForm({ id, label = "Refresh", pendingLabel = "Refreshing…", className }: RefreshFormProps) {
  const [state, action, pending] = useActionState<RefreshState, FormData>(
    (previous) => refreshInteraction(id, previous),
    { status: "idle" },
  );
  // The page re-rendered with new data: let the enhancer localise its times again.
  useEffect(() => {
    if (state.status !== "idle") window.dispatchEvent(new Event("inspector:rendered"));
  }, [state]);
  return (
    <form action={action} className="inline-flex flex-wrap items-center gap-2">
      <button type="submit" disabled={pending} className={className ?? "btn"}>
        <svg aria-hidden="true" viewBox="0 0 24 24" className={`size-4 ${pending ? "animate-spin" : ""}`} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M21 12a9 9 0 1 1-3-6.7L21 8" />
          <path d="M21 3v5h-5" />
        </svg>
        {pending ? pendingLabel : label}
      </button>
      <span role="status" className={state.status === "failed" ? "text-sm text-red-700 dark:text-red-300" : "text-sm text-muted"}>
        {pending ? "" : state.message}
      </span>
    </form>
  );
}
