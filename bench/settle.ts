/**
 * When the soak's mix has run long enough for the server's CPU per request to stop rising (issue 20).
 * Right after the warm-up a request costs the server less than minutes into the mix: the mix's
 * regulars send a session a minute, so their revisions move (pages and rows made afresh) and they are
 * folded in from their live positives instead of looked up by id (member-query.ts). At 150/s the page
 * workers' CPU per request rose 1.71 → 2.05 ms over ~3 minutes, then held. A capacity measured before
 * that (20 s steps right after the warm-up: 1.74 ms a request at 950/s) was the capacity of a cheaper
 * server than the soak then met (2.1–2.5 ms), and "70%" of it ran the machine near saturation.
 *
 * The settle phase offers the mix at a steady rate in chunks and stops once the mean CPU per request of
 * the last `window` chunks is no more than `tolerance` above that of the `window` chunks before them
 * (a cost still rising is not settled; one falling is: the capacity measured then is conservative).
 * No I/O: the caller runs the chunks (soak-capacity.ts); tested with known series (test/bench-settle.test.ts).
 */

export interface SettleRule {
  /** chunks compared on each side */
  window: number;
  /** settled when mean(last window) ≤ (1 + tolerance) × mean(window before) */
  tolerance: number;
}

export const SETTLE_RULE: SettleRule = { window: 2, tolerance: 0.05 };

/** Whether a series of per-chunk CPU costs (oldest first) has stopped rising, by `rule`. */
export function hasSettled(cpuMsPerRequest: readonly number[], rule: SettleRule = SETTLE_RULE): boolean {
  const w = rule.window;
  if (!(w >= 1) || cpuMsPerRequest.length < 2 * w) return false;
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const last = mean(cpuMsPerRequest.slice(-w)), before = mean(cpuMsPerRequest.slice(-2 * w, -w));
  return last <= (1 + rule.tolerance) * before;
}

/**
 * Runs `chunk` (one chunk of the mix, resolving with its CPU ms per request) until the series has
 * settled or `maxChunks` ran; resolves with every chunk's cost and whether it settled.
 */
export async function settle(chunk: () => Promise<number>, maxChunks: number, rule: SettleRule = SETTLE_RULE): Promise<{ cpuMsPerRequest: number[]; settled: boolean }> {
  const series: number[] = [];
  while (series.length < maxChunks) {
    series.push(await chunk());
    if (hasSettled(series, rule)) return { cpuMsPerRequest: series, settled: true };
  }
  return { cpuMsPerRequest: series, settled: false };
}
