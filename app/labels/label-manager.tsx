"use client";

import Link from "next/link";
import { useRef, useState } from "react";
import { apiErrorMessage } from "@/app/_components/api-error";
import { LABEL_CHIP_CLASS, labelColorClass } from "@/app/_components/label-chip";
import { LABEL_NAME_MAX, type LabelColor } from "@/lib/labels/names";
import type { LabelSummary } from "@/lib/labels/service";

const said = (failure: unknown, fallback: string) => (failure instanceof Error && failure.message !== "Failed to fetch" ? failure.message : fallback);

/** One label's row: its chip, a rename/recolour form and Delete (which asks first). */
function LabelRow({ label, colors, onSaved, onDeleted }: { label: LabelSummary; colors: LabelColor[]; onSaved: (label: LabelSummary) => void; onDeleted: (id: string) => void }) {
  const [error, setError] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const deleteButton = useRef<HTMLButtonElement>(null);
  /** Back from "Delete … from every interaction?" (Keep it, or Escape): focus where the question was asked. */
  const keep = () => {
    setConfirming(false);
    requestAnimationFrame(() => deleteButton.current?.focus());
  };
  const fieldId = `label-${label.id}`;
  return (
    <li className="space-y-2 px-3 py-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className={`${LABEL_CHIP_CLASS} ${labelColorClass(label.color)}`}>
          <span className="truncate">{label.name}</span>
        </span>
        <Link href={`/cached?label=${encodeURIComponent(label.name)}`} className="text-xs text-muted underline">
          {label.uses === 1 ? "1 interaction" : `${label.uses.toLocaleString("en-US")} interactions`}
          <span className="sr-only"> labelled {label.name}</span>
        </Link>
      </div>
      <form
        className="flex flex-wrap items-end gap-2"
        aria-label={`Edit label ${label.name}`}
        onKeyDown={(event) => {
          if (event.key === "Escape" && confirming) {
            event.preventDefault();
            keep();
          }
        }}
        onSubmit={async (event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          setPending(true);
          setError("");
          try {
            const response = await fetch(`/api/labels/${encodeURIComponent(label.id)}`, {
              method: "PATCH",
              headers: { "Content-Type": "application/json", Accept: "application/json" },
              body: JSON.stringify({ name: form.get("name"), color: form.get("color") }),
            });
            if (!response.ok) throw new Error(await apiErrorMessage(response, `The label could not be saved (HTTP ${response.status}).`));
            onSaved({ ...label, ...((await response.json()) as LabelSummary), uses: label.uses });
          } catch (failure) {
            setError(said(failure, "The label could not be saved: the inspector did not answer."));
          } finally {
            setPending(false);
          }
        }}
      >
        <label className="text-sm" htmlFor={`${fieldId}-name`}>
          <span className="mb-1 block text-xs text-muted">Name</span>
          <input id={`${fieldId}-name`} name="name" defaultValue={label.name} required maxLength={LABEL_NAME_MAX * 2} className="field w-56 max-w-full" />
        </label>
        <label className="text-sm" htmlFor={`${fieldId}-color`}>
          <span className="mb-1 block text-xs text-muted">Colour</span>
          <select id={`${fieldId}-color`} name="color" defaultValue={label.color} className="field">
            {colors.map((color) => (
              <option key={color} value={color}>
                {color}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn" disabled={pending}>
          Save<span className="sr-only"> label {label.name}</span>
        </button>
        {confirming ? (
          <>
            <button
              type="button"
              className="btn border-red-700 bg-red-700 text-white hover:bg-red-800 dark:border-red-400 dark:bg-red-400 dark:text-canvas dark:hover:bg-red-300"
              disabled={pending}
              onClick={async () => {
                setPending(true);
                setError("");
                try {
                  const response = await fetch(`/api/labels/${encodeURIComponent(label.id)}`, { method: "DELETE", headers: { Accept: "application/json" } });
                  if (!response.ok) throw new Error(await apiErrorMessage(response, `The label could not be deleted (HTTP ${response.status}).`));
                  onDeleted(label.id);
                } catch (failure) {
                  setError(said(failure, "The label could not be deleted: the inspector did not answer."));
                  setPending(false);
                }
              }}
            >
              Delete “{label.name}” from every interaction
            </button>
            <button type="button" className="btn" autoFocus onClick={keep}>
              Keep it
            </button>
          </>
        ) : (
          <button ref={deleteButton} type="button" className="btn" onClick={() => setConfirming(true)}>
            Delete…<span className="sr-only"> label {label.name}</span>
          </button>
        )}
      </form>
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
    </li>
  );
}

export function LabelManager({ initial, colors }: { initial: LabelSummary[]; colors: LabelColor[] }) {
  const [labels, setLabels] = useState(initial);
  const [status, setStatus] = useState("");
  return (
    <section aria-labelledby="labels-heading" className="space-y-2">
      <h2 id="labels-heading" className="text-sm font-medium">
        {labels.length === 0 ? "No labels yet" : labels.length === 1 ? "1 label" : `${labels.length} labels`}
      </h2>
      {labels.length === 0 ? (
        <p className="text-sm text-muted">Open an interaction and press l (or Add label) to make the first one.</p>
      ) : (
        <ul aria-label="Labels" className="divide-y divide-line rounded-lg border border-line bg-surface">
          {labels.map((label) => (
            <LabelRow
              key={`${label.id}:${label.name}:${label.color}`}
              label={label}
              colors={colors}
              onSaved={(saved) => {
                setLabels((current) => current.map((other) => (other.id === saved.id ? saved : other)));
                setStatus(`Saved “${saved.name}”.`);
              }}
              onDeleted={(id) => {
                const gone = labels.find((other) => other.id === id);
                setLabels((current) => current.filter((other) => other.id !== id));
                setStatus(`Deleted “${gone?.name ?? "the label"}”.`);
              }}
            />
          ))}
        </ul>
      )}
      <p role="status" className="text-sm text-muted">
        {status}
      </p>
    </section>
  );
}
