import { Notice } from "@/app/_components/notice";
import { Section } from "@/app/_components/interaction/section";
import { forgetInteractionAction } from "../actions";

const DANGER_BUTTON =
  "btn border-red-700 bg-red-700 text-white hover:bg-red-800 dark:border-red-400 dark:bg-red-400 dark:text-canvas dark:hover:bg-red-300";

/**
 * Erasure, at the foot of the page, away from the everyday controls. Forgetting asks first, with
 * no script: a disclosure holds the real button (as Revoke on /shared does). Without JavaScript
 * the form posts the server action as a plain form and the browser loads the page it redirects to.
 */
export function ForgetControl({ interactionId }: { interactionId: string }) {
  return (
    <Section id="local-copy" title="Local copy">
      <div className="space-y-3 text-sm">
        <p className="text-muted">
          This inspector keeps its own copy of the interaction (for search, Recently viewed and share links). Nebuly keeps the original.
        </p>
        <details className="group">
          <summary className="btn cursor-pointer list-none">
            <span className="group-open:hidden">Forget…</span>
            <span className="hidden group-open:inline">Keep it</span>
          </summary>
          <Notice tone="warning" className="mt-2 space-y-2">
            <p>
              <strong>Forget this interaction on this inspector?</strong> Its local copy, its search entry and its place in Recently viewed are
              deleted, and every share link to it is revoked for good (fetching it again later makes no link work again).
            </p>
            <p>
              <strong>Nebuly&apos;s own copy is untouched:</strong> to delete the interaction itself (for a person&apos;s erasure request), delete it in
              Nebuly as well.
            </p>
            <form action={forgetInteractionAction}>
              <input type="hidden" name="id" value={interactionId} />
              <button type="submit" className={DANGER_BUTTON}>
                Forget interaction
              </button>
            </form>
          </Notice>
        </details>
      </div>
    </Section>
  );
}
