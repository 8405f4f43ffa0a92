/**
 * A wall-clock (or CPU-time) bound for a test that guards against slow, superlinear code.
 *
 * Under a mutation run (Stryker puts its `__stryker__` namespace on globalThis before the tests
 * load) every statement is instrumented and several runs share the CPU, so a time bound there
 * says nothing about the code and fails the run's first, unmutated pass. There the bound is
 * lifted: a mutant that makes the code loop or crawl is still caught, by Stryker's own timeout.
 */
export const UNDER_MUTATION = "__stryker__" in globalThis;

export function timeBudget(ms: number): number {
  return UNDER_MUTATION ? Number.POSITIVE_INFINITY : ms;
}
