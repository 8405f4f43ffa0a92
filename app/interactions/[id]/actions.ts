"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionViewer } from "@/lib/access/server-action";
import { recordAudit } from "@/lib/audit";
import { appInfo } from "@/lib/app-info";
import { AppError } from "@/lib/errors";
import { forgetInteraction } from "@/lib/erasure";
import { fetchInteractionAgain, loadInteraction, localProjectOf, parseInteractionId } from "@/lib/interactions";

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
  const outcome = await loadInteraction(String(id), caller.viewer, { refresh: true });
  if (outcome.kind === "invalid_id") return { status: "failed", message: "This is not a valid interaction id." };
  await recordAudit({ action: "interaction_refreshed", actor: caller.viewer.name, client: caller.client, target: outcome.kind === "ok" ? outcome.snapshot.id : outcome.id, detail: { ok: outcome.kind === "ok" && !outcome.snapshot.upstreamError }, viewer: caller.viewer });
  revalidatePath(`/interactions/${encodeURIComponent(String(id))}`);
  if (outcome.kind === "error") return { status: "failed", message: outcome.error.message };
  if (outcome.snapshot.upstreamError) {
    return { status: "failed", message: `${outcome.snapshot.upstreamError.message} Showing the cached copy.` };
  }
  return { status: "refreshed", message: appInfo().demo ? REFRESHED.demo : REFRESHED.live };
}

/** The interaction id a form names, normalised; null when it names none. */
function formInteractionId(formData: unknown): string | null {
  // A client picks what it posts: the argument may not be a form at all.
  if (!(formData instanceof FormData)) return null;
  const raw = formData.get("id");
  if (typeof raw !== "string") return null;
  try {
    return parseInteractionId(raw);
  } catch {
    return null;
  }
}

const pageOf = (id: string) => `/interactions/${encodeURIComponent(id)}`;

/**
 * "Forget": erases the interaction here (see lib/erasure), then loads its page, which now says it
 * was forgotten. A redirect rather than returned state, so the same form works without JavaScript.
 */
export async function forgetInteractionAction(formData: FormData): Promise<void> {
  const id = formInteractionId(formData);
  // Reachable from any page that bundles it: check the caller here, not only in proxy.ts.
  const caller = await actionViewer();
  if (!caller) redirect(`/login?${new URLSearchParams({ next: id ? pageOf(id) : "/" })}`);
  if (!id) redirect("/");
  try {
    await forgetInteraction(id, { actor: caller.viewer.name, client: caller.client, viewer: caller.viewer });
  } catch (error) {
    // Nothing was stored about it: its page says what there is to say. Anything else is a failure.
    if (!(error instanceof AppError && error.code === "not_found")) throw error;
  }
  revalidatePath(pageOf(id));
  redirect(pageOf(id));
}

/** "Fetch again from Nebuly": the explicit way back after a forget. */
export async function fetchAgainAction(formData: FormData): Promise<void> {
  const id = formInteractionId(formData);
  const caller = await actionViewer();
  if (!caller) redirect(`/login?${new URLSearchParams({ next: id ? pageOf(id) : "/" })}`);
  if (!id) redirect("/");
  // Read before: a fetch that fails after lifting the mark leaves nothing that names the project.
  const project = await localProjectOf(id, caller.viewer);
  const outcome = await fetchInteractionAgain(id, caller.viewer);
  await recordAudit({ action: "interaction_fetched_again", actor: caller.viewer.name, client: caller.client, target: id, detail: { ok: outcome.kind === "ok" }, project });
  revalidatePath(pageOf(id));
  redirect(pageOf(id));
}
