"use server";

import { revalidatePath } from "next/cache";
import { actionViewer } from "@/lib/access/server-action";
import { revokeShareLink } from "@/lib/sharing";

export async function revokeShareLinkAction(formData: FormData): Promise<void> {
  // Reachable from any page that bundles it: check the caller here, not only in proxy.ts.
  const caller = await actionViewer();
  if (!caller) return;
  const id = formData.get("id");
  if (typeof id === "string") {
    try {
      revokeShareLink(id, { actor: caller.viewer.name, client: caller.client });
    } catch {
      // Already gone: the refreshed list shows the truth.
    }
  }
  revalidatePath("/shared");
}
