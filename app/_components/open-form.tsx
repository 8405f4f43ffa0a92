"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { extractInteractionId } from "@/lib/interactions/open-target";

const INVALID = "No interaction id found. Paste a UUID such as 3f2b8c1e-5d4a-4e7b-9c21-0a6f8e9d1b23, or a link that contains one.";

/** Works without JavaScript through /open; with it, bad input never leaves the page. */
export function OpenForm({ initialValue = "", initiallyInvalid = false }: { initialValue?: string; initiallyInvalid?: boolean }) {
  const router = useRouter();
  const [error, setError] = useState(initiallyInvalid ? INVALID : "");
  return (
    <form
      action="/open"
      method="get"
      className="flex flex-col gap-2 sm:flex-row sm:items-start"
      onSubmit={(event) => {
        event.preventDefault();
        const value = new FormData(event.currentTarget).get("q");
        const id = extractInteractionId(typeof value === "string" ? value : "");
        if (!id) return setError(INVALID);
        setError("");
        router.push(`/interactions/${id}`);
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
