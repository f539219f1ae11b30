/**
 * The clock the hybrid's time features are computed at for a question asked at `asOf`. Rows at
 * asOf itself count (under user-time the member's last train rental is asOf, and belongs to what
 * they know), and the clock moves on a one-day grid anchored at the training clock, rounded towards
 * it: asked after the training clock, nothing after asOf is read; asked before it (user-time), at
 * most a day of train rows after asOf. The grid bounds how many clocks a model computes statistics
 * for (one per day asked about), and asking within a day of training reuses the trained ones.
 */
import { DAY_MS } from '../../core/time.ts';

/** The feature clock (an exclusive end, epoch ms) for a question asked at `asOf` of a model trained at `clock`. */
export function queryClock(clock: number, asOf: number | undefined): number {
  if (asOf === undefined || !Number.isFinite(asOf)) return clock;
  return clock + Math.trunc((asOf + 1 - clock) / DAY_MS) * DAY_MS;
}
