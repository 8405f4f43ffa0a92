import type { Metadata } from "next";
import { passwordLoginEnabled } from "@/lib/access";
import { safeNextPath } from "@/lib/access/tokens";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in", robots: { index: false } };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function LoginPage({ searchParams }: PageProps<"/login">) {
  const params = await searchParams;
  const next = safeNextPath(first(params.next));
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
