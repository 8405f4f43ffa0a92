import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { SignOutButton } from "@/app/_components/sign-out-button";
import { accessMode, currentViewer, VIEWER_HEADER } from "@/lib/access";
import { appInfo } from "@/lib/app-info";
import "./globals.css";

export const metadata: Metadata = {
  // Pages name themselves; the product name is added once, here. No default title on purpose:
  // Next gives 404 responses the layout's metadata only, and a default <title> would come before
  // (and win over) the one the not-found and problem views hoist themselves.
  title: { template: "%s · Interaction Inspector", default: "" },
  description: "Read LLM chatbot interactions tracked by Nebuly, one at a time.",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f7f8fa" },
    { media: "(prefers-color-scheme: dark)", color: "#0f1115" },
  ],
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const { demo } = appInfo();
  const open = accessMode() === "open";
  // Set by proxy.ts for signed-in (or open-access) requests only; share views and /login have none.
  const viewerHeader = (await headers()).get(VIEWER_HEADER);
  const viewer = viewerHeader ? currentViewer(new Headers({ [VIEWER_HEADER]: viewerHeader })) : null;
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-surface focus:px-3 focus:py-2">
          Skip to content
        </a>
        <header className="border-b border-line bg-surface">
          <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-3 gap-y-1.5 px-4 py-2.5">
            <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight whitespace-nowrap">
              <svg aria-hidden="true" viewBox="0 0 32 32" className="size-6">
                <rect width="32" height="32" rx="7" fill="#3b4fd8" />
                <path d="M9 11h14M9 16h10M9 21h7" stroke="#fff" strokeWidth="2.6" strokeLinecap="round" />
              </svg>
              Interaction Inspector
            </Link>
            {viewer ? (
              <nav aria-label="Main" className="order-last flex w-full flex-wrap items-center gap-x-4 gap-y-1 text-sm whitespace-nowrap sm:order-none sm:ml-auto sm:w-auto sm:gap-x-3">
                <Link prefetch={false} href="/interactions" className="text-muted hover:text-ink">
                  Browse
                </Link>
                <Link href="/cached" className="text-muted hover:text-ink">
                  Cached
                </Link>
                <Link href="/labels" className="text-muted hover:text-ink">
                  Labels
                </Link>
                <Link href="/shared" className="text-muted hover:text-ink">
                  Shared links
                </Link>
                <Link href="/audit" className="text-muted hover:text-ink">
                  Audit log
                </Link>
                {viewer.via === "session" ? <SignOutButton /> : null}
              </nav>
            ) : (
              <span className="ml-auto" />
            )}
            {demo ? (
              <span
                className="rounded-full border border-amber-400/60 bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-400/15 dark:text-amber-200"
                title="NEBULY_API_KEY is not set: the app serves bundled demo interactions."
              >
                Demo data
              </span>
            ) : null}
          </div>
          {/* Inside the banner landmark, so assistive technology finds it with the site's header. */}
          {open ? (
            <p role="note" className="border-t border-amber-500/40 bg-amber-50 px-4 py-1.5 text-center text-xs text-amber-950 dark:bg-amber-400/10 dark:text-amber-100">
              Open access: anyone who can reach this server can read every interaction. Set <code className="font-mono">INSPECTOR_PASSWORD</code> or{" "}
              <code className="font-mono">INSPECTOR_TRUSTED_USER_HEADER</code> to require sign-in.
            </p>
          ) : null}
        </header>
        <main id="main" className="mx-auto max-w-6xl px-4 py-6">
          {children}
        </main>
        <div id="toast" role="status" aria-live="polite" />
      </body>
    </html>
  );
}
