import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { cache } from "react";
import { InteractionBody, metadataFor } from "@/app/interactions/[id]/_components/interaction-screen";
import { clientKey } from "@/lib/access";
import { openShareLink } from "@/lib/sharing";
import { HIDDEN_SHARE_HIDES } from "@/lib/sharing/redaction";

export const dynamic = "force-dynamic";

// One lookup (one counted view, one audit event) per request, shared by the metadata and the page.
const open = cache(async (token: string) => openShareLink(token, { client: clientKey(await headers()) }));

export async function generateMetadata({ params }: PageProps<"/s/[token]">): Promise<Metadata> {
  const shared = await open((await params).token);
  // A bad token's metadata must not hint at anything; the page answers 404.
  if (!shared) return { title: "Link not available · Interaction Inspector", robots: { index: false } };
  return metadataFor(shared.view);
}

export default async function SharedInteractionPage({ params }: PageProps<"/s/[token]">) {
  const shared = await open((await params).token);
  if (!shared) notFound();
  const { link, fetchedAt, view } = shared;
  const notice = (
    <p role="note" className="rounded-md border border-line bg-sunken px-3 py-2 text-sm">
      <strong>Shared, read-only view</strong> of a snapshot taken {fetchedAt.toISOString().slice(0, 16).replace("T", " ")} UTC.
      {link.expiresAt ? ` The link expires ${link.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC.` : ""}
      {link.hideSensitive ? ` Hidden by the person who shared it: ${HIDDEN_SHARE_HIDES.join(", ")}.` : ""}
    </p>
  );
  return <InteractionBody view={view} fetchedAt={fetchedAt} mode="shared" redacted={link.hideSensitive} notice={notice} />;
}
