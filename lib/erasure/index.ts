import "server-only";
import { recordAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import type { Viewer } from "@/lib/access";
import { forgottenInteraction, interactionService, parseInteractionId } from "@/lib/interactions";
import { maySeeSlug } from "@/lib/projects";

/** What a forget removed, as the API returns it. */
export interface ForgetResult {
  id: string;
  /** A snapshot was cached here and is now deleted (with its search entry and Recently viewed place). */
  snapshotDeleted: boolean;
  /** Share links to it that were still unrevoked and are now revoked. */
  revokedShareLinks: number;
  /** Cached Nebuly list pages that listed it, now deleted. */
  listPagesDeleted: number;
  /** It had already been forgotten and nothing about it was left to remove. */
  alreadyForgotten: boolean;
}

interface Requester {
  actor: string | null;
  client: string | null;
  /** Who asks, for the project check: only a viewer of the interaction's project may forget it. */
  viewer: Pick<Viewer, "groups">;
}

/**
 * Erasure: forgets an interaction on this inspector. In one transaction, every share link to it is
 * revoked (their addresses then say "revoked") and the snapshot, its search entry, its place in
 * Recently viewed and the cached list pages naming it are deleted; the id is marked forgotten so
 * nothing fetches it again until someone explicitly asks. Nebuly's own copy is untouched.
 * Throws `not_found` when nothing was ever stored here about the id.
 */
export async function forgetInteraction(rawId: string, requester: Requester): Promise<ForgetResult> {
  const id = parseInteractionId(rawId);
  const holding = await interactionService().holding(id);
  // Another project's interaction is, for this viewer, one that does not exist; an id stored
  // nowhere is forgotten (its list pages dropped) only by a viewer who sees every project.
  const project = holding.kind === "none" ? null : holding.projectSlug;
  if (!maySeeSlug(requester.viewer, project)) throw new AppError("not_found", "Nothing about this interaction is stored on this inspector.");
  const now = new Date();
  const wasForgotten = (await forgottenInteraction(id, requester.viewer)) !== undefined;
  const forgotten = await interactionService().forget(id, requester.actor, now);
  // Nothing was stored about it: nothing changed, and an id nobody cached is not remembered.
  if (!forgotten) throw new AppError("not_found", "Nothing about this interaction is stored on this inspector.");
  const outcome = { ...forgotten, revoked: forgotten.revokedLinks };
  const alreadyForgotten = wasForgotten && !outcome.snapshot && outcome.revoked.length === 0 && outcome.listPages === 0;
  if (!alreadyForgotten) {
    await recordAudit(
      {
        action: "interaction_forgotten",
        actor: requester.actor,
        client: requester.client,
        target: id,
        detail: { snapshotDeleted: outcome.snapshot, revokedShareLinks: outcome.revoked.length, listPagesDeleted: outcome.listPages },
      },
      now,
    );
    for (const linkId of outcome.revoked) {
      await recordAudit({ action: "share_link_revoked", actor: requester.actor, client: requester.client, target: linkId, detail: { interactionId: id, reason: "interaction_forgotten" } }, now);
    }
  }
  return { id, snapshotDeleted: outcome.snapshot, revokedShareLinks: outcome.revoked.length, listPagesDeleted: outcome.listPages, alreadyForgotten };
}
