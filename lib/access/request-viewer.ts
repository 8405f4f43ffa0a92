import "server-only";
import { headers } from "next/headers";
import { currentViewer, identify, type Viewer } from "./index";

/**
 * The viewer of the page being rendered, as proxy.ts decided it (it drops any client-sent copy of
 * the header first). Without one (a public page), an open viewer with no groups: it sees only
 * projects that are everyone's. Server actions use actionViewer instead.
 */
export async function requestViewer(): Promise<Viewer> {
  return currentViewer(await headers());
}

/** Who sent the page's request, as one key (the client's address): for limits counted per client. */
export async function requestClient(): Promise<string> {
  return identify(await headers()).address;
}
