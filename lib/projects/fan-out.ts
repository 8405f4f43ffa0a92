import { AppError, toAppError, type ErrorCode } from "@/lib/errors";

/** At most this many projects are asked at once; the rest wait for a free place. */
export const FAN_OUT_CONCURRENCY = 8;

/**
 * When no project has the id and some failed, the failure the reader is told about: the one that
 * best explains "we could not tell" (a timeout says try again; a refused key is the operator's).
 */
const FAILURE_ORDER: ErrorCode[] = ["upstream_timeout", "upstream_error", "upstream_rate_limited", "upstream_auth_failed"];

export interface Found<P, T> {
  project: P;
  value: T;
}

/**
 * Asks every project for one thing, at most `concurrency` at a time. The first answer wins and
 * every other call still running is aborted (calls not yet started never start). `not_found`
 * from every project is `not_found`; when nobody answered and some failed, the failure is the
 * answer (it is not a 404: the thing may well exist in the project that failed).
 */
export async function firstFound<P extends { name: string }, T>(
  projects: readonly P[],
  call: (project: P, signal: AbortSignal) => Promise<T>,
  options: { concurrency?: number; what?: string } = {},
): Promise<Found<P, T>> {
  if (projects.length === 0) throw new AppError("not_found", `${options.what ?? "It"} was not found.`);
  const concurrency = Math.max(1, options.concurrency ?? FAN_OUT_CONCURRENCY);
  const controllers = new Set<AbortController>();
  const failures: { project: P; error: AppError }[] = [];
  let firstNotFound: AppError | undefined;
  let next = 0;
  let settled = false;

  return new Promise<Found<P, T>>((resolve, reject) => {
    let running = 0;

    function finishWithoutWinner() {
      settled = true;
      if (failures.length === 0) {
        // One project: its own words, exactly as before projects existed.
        reject(projects.length === 1 && firstNotFound ? firstNotFound : new AppError("not_found", `${options.what ?? "It"} was not found in any of the ${projects.length} projects you can see.`));
        return;
      }
      failures.sort((a, b) => rank(a.error.code) - rank(b.error.code));
      const { project, error } = failures[0]!;
      if (projects.length === 1) return reject(error);
      const others = projects.length - failures.length;
      const alsoFailed = failures.length > 1 ? `, ${failures.length - 1} more failed` : "";
      const notFound = others > 0 ? `; ${others} other${others === 1 ? " does" : "s do"} not have it` : "";
      reject(new AppError(error.code, `${error.message} (project "${project.name}"${alsoFailed}${notFound})`, { retryAfterSeconds: error.retryAfterSeconds, cause: error }));
    }

    function startMore() {
      while (!settled && running < concurrency && next < projects.length) {
        const project = projects[next++]!;
        const controller = new AbortController();
        controllers.add(controller);
        running++;
        let pending: Promise<T>;
        try {
          pending = call(project, controller.signal);
        } catch (error) {
          // A call that throws before returning a promise counts as that project's failure, like a rejection.
          pending = Promise.reject(error);
        }
        pending.then(
          (value) => {
            controllers.delete(controller);
            running--;
            if (settled) return;
            settled = true;
            for (const other of controllers) other.abort();
            controllers.clear();
            resolve({ project, value });
          },
          (error: unknown) => {
            controllers.delete(controller);
            running--;
            if (settled) return;
            const appError = toAppError(error);
            if (appError.code !== "not_found") failures.push({ project, error: appError });
            else firstNotFound ??= appError;
            if (running === 0 && next >= projects.length) finishWithoutWinner();
            else startMore();
          },
        );
      }
    }

    startMore();
  });
}

function rank(code: ErrorCode): number {
  const index = FAILURE_ORDER.indexOf(code);
  return index === -1 ? FAILURE_ORDER.length : index;
}
