"use client";

import { useEffect, useId, useRef, useState } from "react";
import { apiErrorMessage } from "@/app/_components/api-error";
import { LABEL_CHIP_CLASS, labelColorClass } from "@/app/_components/label-chip";
import { LABEL_NAME_MAX, labelNameKey, labelNameProblem, tidyLabelName, type Label } from "@/lib/labels/names";
import { ATTR } from "@/lib/render/dom-contract";

const byName = (a: Label, b: Label) => labelNameKey(a.name).localeCompare(labelNameKey(b.name));

/**
 * An interaction's labels and the picker that changes them. Each change is saved at once (PUT of
 * the whole set) and shown before the server answers; when the save fails the labels go back to
 * what they were and a message says why. `l` (the page's shortcut handler) opens it.
 */
export function LabelPicker({ interactionId, initial, all: initialAll }: { interactionId: string; initial: Label[]; all: Label[] }) {
  const [labels, setLabels] = useState<Label[]>(initial);
  const [all, setAll] = useState<Label[]>(initialAll);
  const [query, setQuery] = useState("");
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");
  const [open, setOpen] = useState(false);
  const details = useRef<HTMLDetailsElement>(null);
  const summary = useRef<HTMLElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const saving = useRef(Promise.resolve());
  const listId = useId();

  useEffect(() => {
    if (!open) return;
    input.current?.focus();
    // Labels a colleague made since the page loaded.
    void fetch("/api/labels", { headers: { Accept: "application/json" } })
      .then(async (response) => (response.ok ? ((await response.json()) as { labels: Label[] }).labels : null))
      .then((fresh) => fresh && setAll(fresh))
      .catch(() => undefined);
    const onPointerDown = (event: PointerEvent) => {
      if (details.current && !details.current.contains(event.target as Node)) details.current.open = false;
    };
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

  /** Shows `next` at once, saves it, and goes back to what was there when the save fails. */
  function save(next: Label[], said: string) {
    const before = labels;
    setLabels([...next].sort(byName));
    setError("");
    // One save at a time, in order: the last one sent is the one that stays.
    saving.current = saving.current.then(async () => {
      try {
        const response = await fetch(`/api/interactions/${encodeURIComponent(interactionId)}/labels`, {
          method: "PUT",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ labelIds: next.map((label) => label.id) }),
        });
        if (!response.ok) throw new Error(await apiErrorMessage(response, `The labels could not be saved (HTTP ${response.status}).`));
        setLabels(((await response.json()) as { labels: Label[] }).labels);
        setStatus(said);
      } catch (failure) {
        setLabels(before);
        setStatus("");
        setError(`${failure instanceof Error && failure.message !== "Failed to fetch" ? failure.message : "The labels could not be saved: the inspector did not answer."} The labels are back as they were.`);
      }
    });
  }

  function toggle(label: Label) {
    const has = labels.some((held) => held.id === label.id);
    save(has ? labels.filter((held) => held.id !== label.id) : [...labels, label], has ? `Removed “${label.name}”.` : `Added “${label.name}”.`);
  }

  async function create() {
    const name = tidyLabelName(query);
    const problem = labelNameProblem(name);
    if (problem) {
      setError(problem.replace(/^name: /, "A label's name: "));
      return;
    }
    setError("");
    try {
      const response = await fetch("/api/labels", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ name }),
      });
      if (!response.ok) throw new Error(await apiErrorMessage(response, `The label could not be made (HTTP ${response.status}).`));
      const label = (await response.json()) as Label;
      setAll((current) => [...current, label].sort(byName));
      setQuery("");
      save([...labels, label], `Made and added “${label.name}”.`);
    } catch (failure) {
      setError(failure instanceof Error && failure.message !== "Failed to fetch" ? failure.message : "The label could not be made: the inspector did not answer.");
    }
  }

  const key = labelNameKey(query);
  const shown = all.filter((label) => !key || labelNameKey(label.name).includes(key));
  const exact = all.some((label) => labelNameKey(label.name) === key);

  const failure = error ? (
    <p role="alert" className="w-full text-sm text-red-700 dark:text-red-300">
      {error}
    </p>
  ) : null;

  return (
    <section aria-label="Labels" className="flex flex-wrap items-center gap-2">
      <ul aria-label="Labels of this interaction" className="flex flex-wrap items-center gap-1.5">
        {labels.map((label) => (
          <li key={label.id} className={`${LABEL_CHIP_CLASS} ${labelColorClass(label.color)}`} data-label-chip={label.id}>
            <span className="truncate">{label.name}</span>
            <button
              type="button"
              onClick={() => toggle(label)}
              aria-label={`Remove label ${label.name}`}
              className="-mr-1 rounded-full px-1 leading-none hover:bg-black/10 focus-visible:outline-2 dark:hover:bg-white/15"
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <details ref={details} className="relative" onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary ref={summary} className="btn cursor-pointer list-none py-0.5 text-xs" {...{ [ATTR.labelPicker]: "" }} aria-keyshortcuts="l">
          {labels.length ? "Edit labels" : "Add label"}
        </summary>
        <div
          role="group"
          aria-label="Choose labels"
          className="absolute left-0 top-full z-20 mt-1 w-[min(20rem,calc(100vw-2rem))] space-y-2 rounded-lg border border-line bg-surface p-3 shadow-lg dark:bg-sunken"
        >
          <form
            onSubmit={(event) => {
              event.preventDefault();
              // Enter: the one label the text names, else a new label of that name.
              const match = all.find((label) => labelNameKey(label.name) === key) ?? (shown.length === 1 ? shown[0] : undefined);
              if (match) toggle(match);
              else if (key) void create();
            }}
          >
            <label className="block text-xs text-muted" htmlFor={`${listId}-find`}>
              Find or make a label
            </label>
            <input
              ref={input}
              id={`${listId}-find`}
              type="text"
              value={query}
              maxLength={LABEL_NAME_MAX * 2}
              onChange={(event) => setQuery(event.target.value)}
              autoComplete="off"
              className="field mt-1 w-full"
              aria-describedby={`${listId}-help`}
            />
            <p id={`${listId}-help`} className="mt-1 text-xs text-muted">
              Enter adds or removes the label named; up to {LABEL_NAME_MAX} characters.
            </p>
          </form>
          <ul className="max-h-60 space-y-0.5 overflow-y-auto" aria-label="All labels">
            {shown.map((label) => {
              const checked = labels.some((held) => held.id === label.id);
              return (
                <li key={label.id}>
                  <label className="flex cursor-pointer items-center gap-2 rounded px-1 py-1 text-sm hover:bg-sunken dark:hover:bg-surface">
                    <input type="checkbox" checked={checked} onChange={() => toggle(label)} />
                    <span className={`${LABEL_CHIP_CLASS} ${labelColorClass(label.color)}`}>
                      <span className="truncate">{label.name}</span>
                    </span>
                  </label>
                </li>
              );
            })}
            {shown.length === 0 && !key ? <li className="text-sm text-muted">No labels yet: type a name to make one.</li> : null}
          </ul>
          {key && !exact ? (
            <button type="button" className="btn w-full justify-start text-sm" onClick={() => void create()}>
              <span className="truncate">{`Make label “${tidyLabelName(query)}”`}</span>
            </button>
          ) : null}
          {/* While the picker is open its panel covers what is below it: the message shows in it. */}
          {open ? failure : null}
        </div>
      </details>
      <p role="status" className="sr-only">
        {status}
      </p>
      {open ? null : failure}
    </section>
  );
}
