/**
 * Capacity as an open-loop load meets it (issue 20): the highest offered rate the server keeps up
 * with. A closed-loop saturation run overstates it — at saturation many requests share each wake-up
 * of the event loops and threads, so a request costs less CPU than it does at a steady pace — and a
 * soak at "70%" of that figure ran the server at 80–95% of the machine (RELIABILITY.md).
 *
 * The search offers one rate per step (the caller's probe: an open-loop run of the soak's own mix)
 * and judges it: a step holds when what was answered matches what was offered, every answer was a
 * 2xx, and p99 stays within a bound. It grows the rate by `growth` while steps hold (or shrinks it while they fail), then bisects
 * between the highest rate that held and the lowest that failed until they are within `precision`.
 * No I/O here: the probe is given, so the logic is tested on a fake server (test/bench-capacity-search.test.ts).
 */

/** What one step of offered load gave. */
export interface ProbeResult {
  /** requests per second answered (answers over the step and its drain) */
  achievedPerSecond: number;
  /** 99th percentile latency from when each request was due, ms */
  p99Ms: number;
  /** requests not answered with a 2xx (a server that fails fast must not pass for one that keeps up) */
  failedRequests?: number;
}

export interface CapacitySearchOptions<P extends ProbeResult> {
  /** offers `rate` requests/s for one step and resolves with what it gave */
  probe: (rate: number) => Promise<P>;
  /** the first rate offered, requests/s */
  startRate: number;
  /** factor between rates until a step fails after one held (or holds after one failed); > 1 */
  growth: number;
  /** stop bisecting once (lowest failed − highest held) ≤ precision × highest held */
  precision: number;
  /** steps at most, the whole search */
  maxSteps: number;
  /** a step holds only if its p99 is at most this, ms */
  p99BoundMs: number;
  /** …and it answered at least this share of the rate offered (the drain after a step lowers it a little) */
  minAchievedShare: number;
  /** told of every step as it is judged */
  onStep?: (step: CapacityStep<P>) => void;
}

export type CapacityStep<P extends ProbeResult> = P & { rate: number; held: boolean; why: string };

export interface CapacitySearchResult<P extends ProbeResult> {
  /** the highest rate that held (0 when none did) */
  capacity: number;
  /** the lowest rate that failed (Infinity when none did: the search ran out of steps growing) */
  lowestFailed: number;
  /** whether the answer lies within `precision` (a held and a failed rate close enough) */
  converged: boolean;
  steps: Array<CapacityStep<P>>;
}

/** Whether a step kept up, and why not. */
export function judgeStep(rate: number, r: ProbeResult, bounds: { p99BoundMs: number; minAchievedShare: number }): { held: boolean; why: string } {
  const share = r.achievedPerSecond / rate;
  if (r.failedRequests) return { held: false, why: `${r.failedRequests} request(s) not answered 2xx` };
  if (share < bounds.minAchievedShare) return { held: false, why: `answered ${Math.round(share * 1000) / 10}% of the offered rate (< ${bounds.minAchievedShare * 100}%)` };
  if (!(r.p99Ms <= bounds.p99BoundMs)) return { held: false, why: `p99 ${r.p99Ms} ms > ${bounds.p99BoundMs} ms` };
  return { held: true, why: `p99 ${r.p99Ms} ms ≤ ${bounds.p99BoundMs} ms, answered ${Math.round(share * 1000) / 10}%` };
}

/** The rate to offer next, or undefined when the search is done. */
export function nextRate(lastRate: number, highestHeld: number, lowestFailed: number, growth: number, precision: number): number | undefined {
  if (lowestFailed === Infinity) return Math.max(lastRate + 1, Math.round(lastRate * growth));
  if (highestHeld === 0) {
    const lower = Math.floor(lastRate / growth);
    return lower >= 1 && lower < lastRate ? lower : undefined;
  }
  if (lowestFailed - highestHeld <= precision * highestHeld) return undefined;
  const mid = Math.round((highestHeld + lowestFailed) / 2);
  return mid > highestHeld && mid < lowestFailed ? mid : undefined;
}

/** Steps the offered rate until the highest rate that holds is known within `precision`. */
export async function searchCapacity<P extends ProbeResult>(opts: CapacitySearchOptions<P>): Promise<CapacitySearchResult<P>> {
  if (!(opts.growth > 1)) throw new Error('growth must be > 1');
  if (!(opts.startRate >= 1)) throw new Error('startRate must be ≥ 1');
  const steps: Array<CapacityStep<P>> = [];
  let highestHeld = 0, lowestFailed = Infinity;
  let rate: number | undefined = Math.round(opts.startRate);
  while (rate !== undefined && steps.length < opts.maxSteps) {
    const result = await opts.probe(rate);
    const step = { ...result, rate, ...judgeStep(rate, result, opts) };
    steps.push(step);
    opts.onStep?.(step);
    // every rate offered lies between the two (nextRate), so the bracket only narrows
    if (step.held) highestHeld = Math.max(highestHeld, rate);
    else lowestFailed = Math.min(lowestFailed, rate);
    rate = nextRate(rate, highestHeld, lowestFailed, opts.growth, opts.precision);
  }
  const converged = highestHeld > 0 && lowestFailed !== Infinity && lowestFailed - highestHeld <= Math.max(1, opts.precision * highestHeld);
  return { capacity: highestHeld, lowestFailed, converged, steps };
}
