/**
 * How many randomized rounds a suite runs: all of them under CI (`CI=true`, .ci/run), a share in a
 * developer's `npm test` so that it stays under two minutes on two cores (docs/development.md). What is
 * checked is the same; each suite's own variable (VITRINE_CRASH_ROUNDS, FUZZ_RUNS) overrides both.
 */
export const FULL_SIZE = process.env.CI === 'true';

/** `full` under CI, else `local`; `override` (an environment variable's value) wins when set. */
export function rounds(full: number, local: number, override?: string): number {
  if (override !== undefined && override !== '') return Number(override);
  return FULL_SIZE ? full : local;
}
