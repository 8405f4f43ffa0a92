"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { clientKey, currentViewer } from "@/lib/access";
import { revokeShareLink } from "@/lib/sharing";

export async function revokeShareLinkAction(formData: FormData): Promise<void> {
  const id = formData.get("id");
  if (typeof id === "string") {
    const requestHeaders = await headers();
    try {
      revokeShareLink(id, { actor: currentViewer(requestHeaders).name, client: clientKey(requestHeaders) });
    } catch {
      // Already gone: the refreshed list shows the truth.
    }
  }
  revalidatePath("/shared");
}
