"use server";

import { revalidatePath } from "next/cache";
import { loadInteraction } from "@/lib/interactions";

export interface RefreshState {
  status: "idle" | "refreshed" | "failed";
  message?: string;
}

/** Re-fetches the interaction from Nebuly (bypassing the cache), then re-renders the page. */
export async function refreshInteraction(id: string, _previous: RefreshState): Promise<RefreshState> {
  const outcome = await loadInteraction(id, { refresh: true });
  revalidatePath(`/interactions/${encodeURIComponent(id)}`);
  if (outcome.kind === "invalid_id") return { status: "failed", message: "This is not a valid interaction id." };
  if (outcome.kind === "error") return { status: "failed", message: outcome.error.message };
  if (outcome.snapshot.upstreamError) {
    return { status: "failed", message: `${outcome.snapshot.upstreamError.message} Showing the cached copy.` };
  }
  return { status: "refreshed", message: "Fetched the latest version from Nebuly." };
}
