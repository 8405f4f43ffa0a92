import type { ReactNode } from "react";

/** The app's one alert box: what went wrong (danger), what to watch (warning), or plain information. */
export type NoticeTone = "info" | "warning" | "danger";

const TONE_CLASSES: Record<NoticeTone, string> = {
  info: "border-line bg-sunken text-ink",
  warning: "border-amber-500/50 bg-amber-50 text-amber-950 dark:bg-amber-400/10 dark:text-amber-100",
  danger: "border-red-600/50 bg-red-50 text-red-950 dark:bg-red-500/15 dark:text-red-100",
};

/**
 * `role` follows what a screen reader should do: "alert" interrupts (an error the reader caused),
 * "status" is announced politely (something changed), "note" is read in place.
 */
export function Notice({ tone, role = "note", className = "", children }: { tone: NoticeTone; role?: "alert" | "status" | "note"; className?: string; children: ReactNode }) {
  return (
    <div role={role} className={`rounded-md border px-3 py-2 text-sm ${TONE_CLASSES[tone]} ${className}`}>
      {children}
    </div>
  );
}
