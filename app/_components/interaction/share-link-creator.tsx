"use client";

import { useEffect, useRef, useState } from "react";
import { formatLocal } from "@/lib/format";
import { EXPIRY_LABELS, HIDDEN_SHARE_SHOWS, HIDE_SENSITIVE_LABEL } from "@/lib/sharing/redaction";

type Created = { id: string; url: string; expiresAt: string | null };

/**
 * "Create share link": a read-only link to this interaction, with an expiry and optional redaction.
 *
 * The panel is positioned against the compact sticky header (its nearest positioned ancestor), not
 * against the button: a panel anchored to a button near the screen's edge would open off screen.
 * Against the header it spans the screen on narrow screens and sits at its right edge (under the
 * button) on wider ones, wherever the reader has scrolled to.
 */
export function ShareLinkCreator({ interactionId }: { interactionId: string }) {
  const [created, setCreated] = useState<Created | null>(null);
  const [error, setError] = useState("");
  const [pending, setPending] = useState(false);
  const [copied, setCopied] = useState(false);
  const [open, setOpen] = useState(false);
  const details = useRef<HTMLDetailsElement>(null);
  const summary = useRef<HTMLElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const linkField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!open) return;
    // On a short screen the panel may start near the bottom: bring all of it into view.
    panel.current?.scrollIntoView({ block: "nearest" });
    // A click anywhere else closes it, as a menu would (focus stays where the click put it).
    const onPointerDown = (event: PointerEvent) => {
      if (details.current && !details.current.contains(event.target as Node)) details.current.open = false;
    };
    // Escape closes it from wherever focus is, and focus goes back to the Share button. A modal
    // dialog on top (the shortcuts) handles its own Escape first.
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented || !details.current || document.querySelector("dialog[open]")) return;
      event.preventDefault();
      details.current.open = false;
      summary.current?.focus();
    };
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      document.removeEventListener("keydown", onKeyDown);
    };
  }, [open]);

  // The new link is what the person came for: focus (and select) it so it can be copied at once.
  useEffect(() => {
    if (created) linkField.current?.focus();
  }, [created]);

  return (
    <details ref={details} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary ref={summary} className="btn cursor-pointer list-none">
        <svg aria-hidden="true" viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <circle cx="18" cy="5" r="3" />
          <circle cx="6" cy="12" r="3" />
          <circle cx="18" cy="19" r="3" />
          <path d="m8.6 13.5 6.8 4M15.4 6.5l-6.8 4" />
        </svg>
        <span className="btn-label">Share</span>
      </summary>
      <div
        ref={panel}
        role="group"
        aria-label="Share this interaction"
        className="absolute inset-x-2 top-full z-20 mt-1 max-h-[calc(100dvh-4rem)] space-y-3 overflow-y-auto rounded-lg border border-line bg-surface p-4 shadow-lg sm:left-auto sm:right-4 sm:w-[22rem] dark:bg-sunken"
      >
        <form
          className="space-y-3"
          onSubmit={async (event) => {
            event.preventDefault();
            const form = new FormData(event.currentTarget);
            setPending(true);
            setError("");
            setCopied(false);
            try {
              const response = await fetch("/api/share-links", {
                method: "POST",
                headers: { "Content-Type": "application/json" },
                body: JSON.stringify({ interactionId, expiresIn: form.get("expiresIn"), hideSensitive: form.get("hideSensitive") === "on" }),
              });
              const body = await response.json();
              if (!response.ok) throw new Error(body?.error?.message ?? "Could not create the link.");
              setCreated(body);
            } catch (caught) {
              setError(caught instanceof Error ? caught.message : "Could not create the link.");
            } finally {
              setPending(false);
            }
          }}
        >
          <p className="text-sm text-muted">Anyone with the link can read this interaction, without signing in, until it expires or you revoke it.</p>
          <label className="block text-sm">
            <span className="mb-1 block text-xs text-muted">Expires after</span>
            <select name="expiresIn" defaultValue="7d" className="field w-full">
              {Object.entries(EXPIRY_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <div>
            <label className="flex items-start gap-2 text-sm">
              <input type="checkbox" name="hideSensitive" className="mt-1" aria-describedby="share-hidden-shows" />
              <span>{HIDE_SENSITIVE_LABEL}</span>
            </label>
            <p id="share-hidden-shows" className="mt-1 pl-6 text-xs text-muted">
              It then shows only {HIDDEN_SHARE_SHOWS.join("; ")}.
            </p>
          </div>
          <button type="submit" className="btn btn-primary" disabled={pending}>
            {pending ? "Creating…" : "Create share link"}
          </button>
        </form>
        {error ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {error}
          </p>
        ) : null}
        {created ? (
          <div className="space-y-2">
            <label className="block text-sm">
              <span className="mb-1 block text-xs text-muted">Share link {created.expiresAt ? `(expires ${formatLocal(new Date(created.expiresAt)).text})` : "(never expires)"}</span>
              <input ref={linkField} readOnly value={created.url} aria-label="Share link" className="field w-full font-mono text-xs" onFocus={(event) => event.currentTarget.select()} />
            </label>
            <button
              type="button"
              className="btn"
              onClick={async () => {
                await navigator.clipboard.writeText(created.url).then(
                  () => setCopied(true),
                  () => setError("The browser refused clipboard access: copy the link from the field."),
                );
              }}
            >
              {copied ? "Copied" : "Copy share link"}
            </button>
            <p className="text-xs text-muted">
              {/* The address is shown only now (only its hash is stored): the id is how /shared tells this link from others. */}
              Manage it on <a href={`/shared#link-${encodeURIComponent(created.id)}`} className="text-accent underline">Shared links</a>, where it is listed as{" "}
              <span className="font-mono">id {created.id}</span>.
            </p>
          </div>
        ) : null}
      </div>
    </details>
  );
}
