import Link from "next/link";
import { LocalTime } from "@/app/_components/local-time";
import type { AppError } from "@/lib/errors";
import { requestViewer } from "@/lib/access/request-viewer";
import { visibleProjects } from "@/lib/projects";
import { forgottenInteraction, type InteractionOutcome } from "@/lib/interactions";
import { fetchAgainAction } from "../actions";
import { RefreshForm } from "./refresh-form";

function Panel({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="card mx-auto max-w-xl space-y-3 text-center">
      {/* Next applies only the layout's metadata to these 404/5xx responses; React hoists this <title> into <head>. */}
      <title>{`${title} · Interaction Inspector`}</title>
      <h1 className="text-xl font-semibold">{title}</h1>
      {children}
      <p>
        <Link href="/" className="text-accent underline">
          Open another interaction
        </Link>
      </p>
    </div>
  );
}

const TITLES = {
  invalid_id: "Not a valid interaction id",
  not_found: "Interaction not found",
  forgotten: "Interaction forgotten",
  unavailable: "Nebuly is unavailable",
} as const;

/** The page title for an outcome that is not the interaction itself. */
export function outcomeTitle(outcome: Exclude<InteractionOutcome, { kind: "ok" }>): string {
  if (outcome.kind === "invalid_id") return TITLES.invalid_id;
  if (outcome.error.code === "interaction_forgotten") return TITLES.forgotten;
  return outcome.error.code === "not_found" ? TITLES.not_found : TITLES.unavailable;
}

export function InvalidIdView({ rawId }: { rawId: string }) {
  return (
    <Panel title={TITLES.invalid_id}>
      <p className="text-muted">
        <code className="break-all rounded bg-sunken px-1 font-mono">{rawId.length > 120 ? `${rawId.slice(0, 120)}…` : rawId}</code> is not an
        interaction id. An id is a UUID such as <code className="font-mono">3f2b8c1e-5d4a-4e7b-9c21-0a6f8e9d1b23</code>: check that the
        link was copied whole.
      </p>
    </Panel>
  );
}

export async function NotFoundView({ id }: { id: string }) {
  // Worded by what the viewer may see, never by the id: the same words for every unknown id.
  const several = visibleProjects(await requestViewer()).length > 1;
  return (
    <Panel title={TITLES.not_found}>
      <p className="text-muted">
        {several ? "None of the Nebuly projects you can see has" : "Nebuly has no"} interaction <code className="break-all font-mono">{id}</code>, and none is
        cached here. It may belong to {several ? "a project you have no access to" : "another project"}, or Nebuly&apos;s retention may have removed it.
      </p>
    </Panel>
  );
}

// Sessions opened with the shared password are all named "password"; open access names "anyone".
const forgetterOf = (name: string | null) =>
  name === null || name === "anyone" ? null : name === "password" ? "someone using the shared password" : name;

/**
 * After a forget: says so, and offers no way to fetch the interaction by accident. Fetching it
 * again is one explicit button (a plain form, so it works without JavaScript too).
 */
export async function ForgottenView({ id }: { id: string }) {
  const forgotten = await forgottenInteraction(id, await requestViewer());
  const who = forgetterOf(forgotten?.forgottenBy ?? null);
  return (
    <Panel title={TITLES.forgotten}>
      <p className="text-muted">
        Interaction <code className="break-all font-mono">{id}</code> was forgotten on this inspector
        {forgotten ? (
          <>
            {" on "}
            <LocalTime iso={forgotten.forgottenAt.toISOString()} relative />
          </>
        ) : null}
        {who ? ` by ${who}` : ""}: its local copy, its search entry and its place in Recently viewed were deleted, and every share link to it was
        revoked.
      </p>
      <p className="text-muted">
        <strong className="text-ink">Nebuly&apos;s own copy is untouched.</strong> Nothing here fetches it again unless you ask:
      </p>
      <form action={fetchAgainAction} className="flex justify-center">
        <input type="hidden" name="id" value={id} />
        <button type="submit" className="btn">
          Fetch again from Nebuly
        </button>
      </form>
    </Panel>
  );
}

const EXPLANATIONS: Partial<Record<AppError["code"], string>> = {
  upstream_timeout: "Nebuly did not answer in time.",
  upstream_rate_limited: "Nebuly is rate limiting requests right now.",
  upstream_auth_failed: "Nebuly refused this server's API key: the person who runs this inspector needs to fix it.",
  upstream_error: "Nebuly could not be reached or answered with an error.",
};

export function UnavailableView({ id, error }: { id: string; error: AppError }) {
  return (
    <Panel title={TITLES.unavailable}>
      <p className="text-muted">
        {EXPLANATIONS[error.code] ?? error.message} Interaction <code className="break-all font-mono">{id}</code> has not been
        cached here yet, so there is nothing to show until Nebuly answers.
      </p>
      {/* The exact words: which project failed (with several) and which setting holds its key. */}
      {EXPLANATIONS[error.code] ? <p className="text-sm text-muted">{error.message}</p> : null}
      <p className="text-xs text-muted">
        Error code: <code className="font-mono">{error.code}</code>
      </p>
      <div className="flex justify-center">
        <RefreshForm id={id} label="Try again" pendingLabel="Trying…" className="btn btn-primary" />
      </div>
    </Panel>
  );
}
