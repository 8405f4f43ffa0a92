import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { passwordLoginEnabled, VIEWER_HEADER } from "@/lib/access";
import { signedInDestination } from "@/lib/access/landing";
import { safeNextPath } from "@/lib/access/tokens";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in", robots: { index: false } };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function LoginPage({ searchParams }: PageProps<"/login">) {
  const params = await searchParams;
  const next = safeNextPath(first(params.next));
  // proxy.ts names the viewer only when the request already has access (a session, the SSO
  // header, or open access): there is nothing to sign in to, so go where the person was going.
  // The browser carries the address's #fragment across the redirect.
  if ((await headers()).get(VIEWER_HEADER)) redirect(signedInDestination(next));
  return (
    <div className="card mx-auto max-w-sm space-y-4">
      <h1 className="text-xl font-semibold">Sign in</h1>
      {passwordLoginEnabled() ? (
        <LoginForm next={next} initialError={first(params.error)} />
      ) : (
        <p className="text-sm text-muted">
          This inspector signs people in through the company&apos;s single sign-on. Open it through the sign-on address you were given.
        </p>
      )}
    </div>
  );
}
