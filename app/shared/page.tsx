import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/app/_components/badge";
import { LocalTime } from "@/app/_components/local-time";
import { listShareLinks } from "@/lib/sharing";
import { revokeShareLinkAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Shared links" };

const STATUS_TONE = { active: "positive", expired: "neutral", revoked: "negative" } as const;

export default function SharedLinksPage() {
  const links = listShareLinks();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Shared links</h1>
        <p className="text-sm text-muted">Read-only links to single interactions. Create them from an interaction&apos;s Share button; revoke them here.</p>
      </div>
      {links.length === 0 ? (
        <p className="text-sm text-muted">No share links yet.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-line bg-surface">
          <table className="w-full text-left text-sm">
            <thead className="bg-sunken text-xs uppercase tracking-wide text-muted">
              <tr>
                <th scope="col" className="px-3 py-2">Interaction</th>
                <th scope="col" className="px-3 py-2">Created</th>
                <th scope="col" className="px-3 py-2">Expires</th>
                <th scope="col" className="px-3 py-2">Views</th>
                <th scope="col" className="px-3 py-2">Hidden</th>
                <th scope="col" className="px-3 py-2">Status</th>
                <th scope="col" className="px-3 py-2"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {links.map((link) => (
                // The audit log links here by link id.
                <tr key={link.id} id={`link-${link.id}`} className="scroll-mt-4 target:bg-accent-soft">
                  <td className="max-w-xs px-3 py-2">
                    <Link href={`/interactions/${link.interactionId}`} className="line-clamp-2 text-accent underline">
                      {link.interactionTitle || link.interactionId}
                    </Link>
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    <LocalTime iso={link.createdAt} />
                    {link.createdBy ? <span className="block text-xs text-muted">by {link.createdBy}</span> : null}
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">{link.expiresAt ? <LocalTime iso={link.expiresAt} /> : "Never"}</td>
                  <td className="px-3 py-2 tabular-nums">{link.views}</td>
                  <td className="px-3 py-2 text-xs">{link.hiddenFields.length ? link.hiddenFields.join(", ") : "—"}</td>
                  <td className="px-3 py-2">
                    <Badge tone={STATUS_TONE[link.status]}>{link.status}</Badge>
                  </td>
                  <td className="px-3 py-2 text-right">
                    {link.status === "active" ? (
                      <form action={revokeShareLinkAction}>
                        <input type="hidden" name="id" value={link.id} />
                        <button type="submit" className="btn" aria-label={`Revoke share link to ${link.interactionTitle || link.interactionId}`}>
                          Revoke
                        </button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
