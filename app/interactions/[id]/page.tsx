import type { Metadata } from "next";
import { InteractionScreen, interactionMetadata } from "./_components/interaction-screen";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: PageProps<"/interactions/[id]">): Promise<Metadata> {
  return interactionMetadata((await params).id);
}

export default async function InteractionPage({ params, searchParams }: PageProps<"/interactions/[id]">) {
  return <InteractionScreen rawId={(await params).id} searchParams={await searchParams} />;
}
