"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { actionViewer } from "@/lib/access/server-action";
import { revokeShareLink } from "@/lib/sharing";

/**
 * Revokes the link the form names, then shows the list again with the outcome. A redirect (not
 * returned state) so the same form works without JavaScript: the browser simply loads the list.
 */
export async function revokeShareLinkAction(formData: FormData): Promise<void> {
  // Reachable from any page that bundles it: check the caller here, not only in proxy.ts.
  const caller = await actionViewer();
  if (!caller) redirect("/login?next=/shared");
  // A client picks what it posts: the argument may not be a form at all.
  const id = formData instanceof FormData ? formData.get("id") : null;
  if (typeof id === "string" && id) {
    try {
      await revokeShareLink(id, { actor: caller.viewer.name, client: caller.client, viewer: caller.viewer });
    } catch {
      // No such link: the list below says so, from what is actually stored.
    }
  }
  revalidatePath("/shared");
  redirect(`/shared?${new URLSearchParams({ revoked: typeof id === "string" ? id : "" })}`);
}
