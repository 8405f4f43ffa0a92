"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { interactionPath, MAX_OPEN_INPUT_CHARS, parseOpenTarget } from "@/lib/interactions/open-target";

const MESSAGES = {
  invalid: "No interaction id found. Paste a UUID such as 3f2b8c1e-5d4a-4e7b-9c21-0a6f8e9d1b23, or a link that contains one.",
  too_long: `That is longer than ${MAX_OPEN_INPUT_CHARS.toLocaleString("en-US")} characters. Paste just the link or the id.`,
} as const;

export type OpenFormProblem = keyof typeof MESSAGES;

/**
 * Works without JavaScript through /open; with it, bad input never leaves the page and a plain id
 * or link opens at once. A link holding several ids that nothing marks goes through /open, which
 * knows what is cached here.
 */
export function OpenForm({ initialValue = "", problem }: { initialValue?: string; problem?: OpenFormProblem }) {
  const router = useRouter();
  const [error, setError] = useState(problem ? MESSAGES[problem] : "");
  return (
    <form
      action="/open"
      method="get"
      className="flex flex-col gap-2 sm:flex-row sm:items-start"
      onSubmit={(event) => {
        const value = new FormData(event.currentTarget).get("q");
        const target = parseOpenTarget(typeof value === "string" ? value : "");
        // Not prevented: the browser submits to /open, which picks the cached id or offers the choice.
        if (target.kind === "several") return;
        event.preventDefault();
        if (target.kind === "none" || target.kind === "too_long") return setError(MESSAGES[target.kind === "none" ? "invalid" : "too_long"]);
        setError("");
        router.push(interactionPath(target.id, target.turn));
      }}
    >
      <div className="min-w-0 flex-1">
        <label htmlFor="open-interaction" className="mb-1 block text-sm font-medium">
          Open interaction
        </label>
        <input
          id="open-interaction"
          name="q"
          type="text"
          defaultValue={initialValue}
          placeholder="Interaction id or link"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby="open-interaction-help"
          className="w-full rounded-md border border-line bg-surface px-3 py-2 font-mono text-sm"
          onInput={() => error && setError("")}
        />
        <p id="open-interaction-help" role={error ? "alert" : undefined} className={`mt-1 text-sm ${error ? "text-red-700 dark:text-red-300" : "text-muted"}`}>
          {error || "A UUID, an inspector link, or any URL that contains the id."}
        </p>
      </div>
      <button type="submit" className="btn btn-primary sm:mt-6">
        Open
      </button>
    </form>
  );
}
