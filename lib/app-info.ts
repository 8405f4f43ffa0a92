import "server-only";
import { isDemoMode } from "@/lib/env";

/** What pages may know about how the server is set up: never the key itself. */
export function appInfo() {
  return { demo: isDemoMode() };
}
