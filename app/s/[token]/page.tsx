import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { InteractionBody, metadataFor } from "@/app/interactions/[id]/_components/interaction-body";
import { toInteractionView, withoutSensitive } from "@/lib/interactions/view";
import { openShareLink, SENSITIVE_FIELDS } from "@/lib/sharing";

export const dynamic = "force-dynamic";

// One lookup (and one counted view) per request, shared by the metadata and the page.
const open = cache((token: string) => {
  const shared = openShareLink(token);
  if (!shared) return null;
  const view = toInteractionView(shared.snapshot.interaction);
  return { ...shared, view: shared.link.hideSensitive ? withoutSensitive(view) : view };
});

export async function generateMetadata({ params }: PageProps<"/s/[token]">): Promise<Metadata> {
  const shared = open((await params).token);
  // A bad token's metadata must not hint at anything; the page answers 404.
  if (!shared) return { title: "Link not available", robots: { index: false } };
  return metadataFor(shared.view);
}

export default async function SharedInteractionPage({ params }: PageProps<"/s/[token]">) {
  const shared = open((await params).token);
  if (!shared) notFound();
  const { link, snapshot, view } = shared;
  const notice = (
    <p role="note" className="rounded-md border border-line bg-sunken px-3 py-2 text-sm">
      <strong>Shared, read-only view</strong> of a snapshot taken {snapshot.fetchedAt.toISOString().slice(0, 16).replace("T", " ")} UTC.
      {link.expiresAt ? ` The link expires ${link.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC.` : ""}
      {link.hideSensitive ? ` Hidden by the person who shared it: ${SENSITIVE_FIELDS.join(", ")}.` : ""}
    </p>
  );
  return <InteractionBody snapshot={snapshot} view={view} mode="shared" notice={notice} />;
}
