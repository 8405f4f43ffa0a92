/*
 * Limits both snapshot stores apply to lists. A module of its own, importing nothing: the stores
 * (repository.sqlite.ts, repository.postgres.ts) read these while repository.ts, which imports
 * them, is still loading, and a constant defined in repository.ts itself is not set yet then.
 */

/** How many characters of an answer a list shows. */
export const SNIPPET_CHARS = 300;
/** Matches are counted up to this many; past it a list says "1,000+". */
export const COUNT_LIMIT = 1_000;
