import type { Metadata } from "next";
import { InteractionScreen, interactionMetadata } from "../_components/interaction-screen";

// Reached only through proxy.ts's rewrite, which sets the HTTP status (404, 502, 503, 504) that a
// streamed page cannot set itself; the reader's address bar keeps /interactions/{id}.
export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: PageProps<"/interactions/[id]/problem">): Promise<Metadata> {
  return interactionMetadata((await params).id);
}

export default async function InteractionProblemPage({ params, searchParams }: PageProps<"/interactions/[id]/problem">) {
  return <InteractionScreen rawId={(await params).id} searchParams={await searchParams} />;
}
