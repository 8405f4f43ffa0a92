"use server";

import { revalidatePath } from "next/cache";
import { actionViewer } from "@/lib/access/server-action";
import { recordAudit } from "@/lib/audit";
import { appInfo } from "@/lib/app-info";
import { loadInteraction } from "@/lib/interactions";

export interface RefreshState {
  status: "idle" | "refreshed" | "failed";
  message?: string;
}

/** What a successful refresh did: without a Nebuly key there is no Nebuly to fetch from. */
const REFRESHED = {
  live: "Fetched the latest version from Nebuly.",
  demo: "Demo data reloaded. No Nebuly API key is set, so nothing was fetched from Nebuly.",
};

/** Re-fetches the interaction from Nebuly (bypassing the cache), then re-renders the page. */
export async function refreshInteraction(id: string, _previous: RefreshState): Promise<RefreshState> {
  const caller = await actionViewer();
  if (!caller) return { status: "failed", message: "Your session has ended. Sign in again to refresh." };
  const outcome = await loadInteraction(String(id), { refresh: true });
  if (outcome.kind === "invalid_id") return { status: "failed", message: "This is not a valid interaction id." };
  recordAudit({ action: "interaction_refreshed", actor: caller.viewer.name, client: caller.client, target: outcome.kind === "ok" ? outcome.snapshot.id : outcome.id, detail: { ok: outcome.kind === "ok" && !outcome.snapshot.upstreamError } });
  revalidatePath(`/interactions/${encodeURIComponent(String(id))}`);
  if (outcome.kind === "error") return { status: "failed", message: outcome.error.message };
  if (outcome.snapshot.upstreamError) {
    return { status: "failed", message: `${outcome.snapshot.upstreamError.message} Showing the cached copy.` };
  }
  return { status: "refreshed", message: appInfo().demo ? REFRESHED.demo : REFRESHED.live };
}
