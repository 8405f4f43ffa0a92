import type { Metadata } from "next";
import { appInfo } from "@/lib/app-info";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Interaction Inspector" };

const EXAMPLE_ID = "0b6f3c1e-8a2d-4f57-9c1e-2d7a4b9e6f01";

export default function HomePage() {
  const { demo } = appInfo();
  return (
    <div className="max-w-2xl space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Interaction Inspector</h1>
      <p className="text-muted">
        Read one LLM chatbot interaction tracked by Nebuly, whole: the conversation, the user&apos;s feedback and
        Nebuly&apos;s analysis. The Nebuly API key stays on this server.
      </p>
      <section aria-labelledby="api-heading" className="rounded-lg border border-line bg-surface p-4">
        <h2 id="api-heading" className="font-semibold">JSON API</h2>
        <p className="mt-1 text-sm text-muted">
          Every interaction is cached on this server, so repeat reads are instant and keep working when Nebuly is down.
        </p>
        <ul className="mt-3 space-y-1 font-mono text-sm">
          <li>
            <a className="text-accent underline" href={`/api/interactions/${EXAMPLE_ID}`}>
              GET /api/interactions/{"{id}"}
            </a>
          </li>
          <li>
            <a className="text-accent underline" href="/api/health">
              GET /api/health
            </a>
          </li>
        </ul>
        {demo ? (
          <p className="mt-3 text-sm text-muted">
            Demo mode: set <code className="font-mono">NEBULY_API_KEY</code> to read your own project.
          </p>
        ) : null}
      </section>
    </div>
  );
}
