"use server";

import { revalidatePath } from "next/cache";
import { revokeShareLink } from "@/lib/sharing";

export async function revokeShareLinkAction(formData: FormData): Promise<void> {
  const id = formData.get("id");
  if (typeof id === "string") {
    try {
      revokeShareLink(id);
    } catch {
      // Already gone: the refreshed list shows the truth.
    }
  }
  revalidatePath("/shared");
}
