import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { cache } from "react";
import { InteractionBody, metadataFor } from "@/app/_components/interaction/interaction-body";
import { LabelChip } from "@/app/_components/label-chip";
import { LocalTime } from "@/app/_components/local-time";
import { Notice } from "@/app/_components/notice";
import { identify } from "@/lib/access";
import { openShareLink } from "@/lib/sharing";
import { HIDDEN_SHARE_HIDES } from "@/lib/sharing/redaction";

export const dynamic = "force-dynamic";

// One lookup (one counted view, one audit event) per request, shared by the metadata and the page.
const open = cache(async (token: string) => openShareLink(token, { client: identify(await headers()).address }));

export async function generateMetadata({ params }: PageProps<"/s/[token]">): Promise<Metadata> {
  const shared = await open((await params).token);
  // A bad token's metadata must not hint at anything; the page answers 404.
  if (shared.state !== "open") return { title: "Link not available", robots: { index: false } };
  return metadataFor(shared.view, shared.projectName);
}

/** Anything but an open link answers 404; not-found.tsx says which kind of 404 it is. */
export default async function SharedInteractionPage({ params }: PageProps<"/s/[token]">) {
  const shared = await open((await params).token);
  if (shared.state !== "open") notFound();
  const { link, fetchedAt, view, projectName, labels } = shared;
  const notice = (
    <Notice tone="info">
      <strong>Shared, read-only view</strong> of a snapshot taken <LocalTime iso={fetchedAt.toISOString()} />.
      {link.expiresAt ? (
        <>
          {" "}The link expires <LocalTime iso={link.expiresAt.toISOString()} />.
        </>
      ) : null}
      {link.hideSensitive ? ` Hidden by the person who shared it: ${HIDDEN_SHARE_HIDES.join(", ")}.` : ""}
    </Notice>
  );
  // The team's labels, read-only (none on a link that hides sensitive fields).
  const labelList = labels.length ? (
    <ul aria-label="Labels" className="flex flex-wrap gap-1.5">
      {labels.map((label) => (
        <li key={label.id}>
          <LabelChip label={label} />
        </li>
      ))}
    </ul>
  ) : null;
  return <InteractionBody view={view} fetchedAt={fetchedAt} mode="shared" redacted={link.hideSensitive} notice={notice} labels={labelList} projectName={projectName} />;
}
