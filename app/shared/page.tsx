import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/app/_components/badge";
import { LocalTime } from "@/app/_components/local-time";
import { Notice } from "@/app/_components/notice";
import { requestViewer } from "@/lib/access/request-viewer";
import { listShareLinks, type ShareLinkSummary } from "@/lib/sharing";
import { EXPIRY_LABELS } from "@/lib/sharing/redaction";
import { revokeShareLinkAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Shared links" };

const STATUS_TONE = { active: "positive", expired: "neutral", revoked: "negative" } as const;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
const titleOf = (link: ShareLinkSummary) => link.interactionTitle || link.interactionId;

// Sessions opened with the shared password are all named "password": say what that means.
const creatorOf = (createdBy: string | null) => (createdBy === null ? "someone unknown" : createdBy === "password" ? "someone using the shared password" : createdBy);

function Item({ label, wide = false, children }: { label: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className={`min-w-0 ${wide ? "col-span-2 lg:col-span-1" : ""}`}>
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="break-words">{children}</dd>
    </div>
  );
}

function Expiry({ link }: { link: ShareLinkSummary }) {
  const choice = link.expiresIn === "never" ? "Never expires" : link.expiresIn ? `After ${EXPIRY_LABELS[link.expiresIn]}` : null;
  return (
    <>
      {choice}
      {link.expiresAt ? (
        <span className={choice ? "block text-xs text-muted" : undefined}>
          {link.status === "expired" ? "expired " : "until "}
          <LocalTime iso={link.expiresAt} />
        </span>
      ) : null}
      {link.revokedAt ? (
        <span className="block text-xs text-muted">
          revoked <LocalTime iso={link.revokedAt} />
        </span>
      ) : null}
    </>
  );
}

/**
 * Revoking asks first, with no script: a disclosure holds the real button. Without JavaScript the
 * form posts the server action as a plain form and the browser loads the list it redirects to.
 */
function RevokeControl({ link }: { link: ShareLinkSummary }) {
  return (
    <details className="group">
      <summary className="btn cursor-pointer list-none">
        <span className="group-open:hidden">
          Revoke…<span className="sr-only"> the link to {titleOf(link)}</span>
        </span>
        <span className="hidden group-open:inline">Keep the link</span>
      </summary>
      <Notice tone="warning" className="mt-2 space-y-2">
        <p>Revoke this link? Anyone who opens it will be told it was revoked or has expired. This cannot be undone.</p>
        <form action={revokeShareLinkAction}>
          <input type="hidden" name="id" value={link.id} />
          <button type="submit" className="btn border-red-700 bg-red-700 text-white hover:bg-red-800 dark:border-red-400 dark:bg-red-400 dark:text-canvas dark:hover:bg-red-300">
            Revoke link
          </button>
        </form>
      </Notice>
    </details>
  );
}

function LinkCard({ link }: { link: ShareLinkSummary }) {
  return (
    // The audit log links here by link id.
    <li id={`link-${link.id}`} className="card scroll-mt-4 space-y-3 target:border-accent target:bg-accent-soft">
      <div className="flex flex-wrap items-start justify-between gap-x-3 gap-y-1">
        <div className="min-w-0 flex-1">
          <h2 className="text-base font-semibold">
            <Link prefetch={false} href={`/interactions/${link.interactionId}`} className="line-clamp-2 break-words text-accent underline">
              {titleOf(link)}
            </Link>
          </h2>
          <p className="font-mono text-xs break-all text-muted">Interaction {link.interactionId}</p>
        </div>
        <Badge tone={STATUS_TONE[link.status]}>{link.status}</Badge>
      </div>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm lg:grid-cols-5 lg:gap-x-6">
        <Item label="Created">
          <LocalTime iso={link.createdAt} />
          <span className="block text-xs text-muted">by {creatorOf(link.createdBy)}</span>
        </Item>
        <Item label="Expiry">
          <Expiry link={link} />
        </Item>
        <Item label="Views">
          {link.views} {link.views === 1 ? "view" : "views"}
          <span className="block text-xs text-muted">
            {link.lastViewedAt ? (
              <>
                last <LocalTime iso={link.lastViewedAt} />
              </>
            ) : (
              "never opened"
            )}
          </span>
        </Item>
        <Item label="Link address">
          <span className="text-muted">Not stored: shown once, when the link was made</span>
          <span className="block font-mono text-xs text-muted">id {link.id}</span>
        </Item>
        <Item label="Hidden from readers" wide>
          {link.hiddenFields.length ? link.hiddenFields.join(", ") : "Nothing: the full interaction"}
        </Item>
      </dl>
      {link.status === "active" ? <RevokeControl link={link} /> : null}
    </li>
  );
}

/** What the last revoke did, read back from what is stored (a made-up `revoked` id claims nothing). */
function RevokeOutcome({ id, links }: { id: string; links: ShareLinkSummary[] }) {
  const link = links.find((candidate) => candidate.id === id);
  if (!link) {
    return (
      <Notice tone="danger" role="alert">
        There is no share link with this id, so nothing was revoked. It may have been removed; the list below is up to date.
      </Notice>
    );
  }
  if (link.status !== "revoked") return null;
  return (
    <Notice tone="info" role="status">
      Revoked the link to <a href={`#link-${link.id}`} className="text-accent underline">{titleOf(link)}</a> — anyone who opens it is now told it was revoked or has expired.
    </Notice>
  );
}

export default async function SharedLinksPage({ searchParams }: PageProps<"/shared">) {
  const revoked = first((await searchParams).revoked);
  const links = await listShareLinks(await requestViewer());
  return (
    <div className="space-y-4">
      <div className="space-y-1">
        <h1 className="text-xl font-semibold tracking-tight">Shared links</h1>
        <p className="text-sm text-muted">Read-only links to single interactions, newest first. Create them from an interaction&apos;s Share button; revoke them here.</p>
      </div>
      {revoked !== undefined ? <RevokeOutcome id={revoked} links={links} /> : null}
      <Notice tone="info">
        <strong>A link&apos;s address cannot be shown again.</strong> It is shown once, to the person who creates it; only a fingerprint of it (a hash) is stored here, so not even
        this page can rebuild it. To share an interaction again, open it and make a new link with Share.
      </Notice>
      {links.length === 0 ? (
        <p className="text-sm text-muted">No share links yet.</p>
      ) : (
        <ul aria-label="Share links" className="space-y-3">
          {links.map((link) => (
            <LinkCard key={link.id} link={link} />
          ))}
        </ul>
      )}
    </div>
  );
}
