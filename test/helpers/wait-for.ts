/**
 * Waiting on a condition in tests, polled until it holds. The give-up is a hang guard, not a speed
 * assertion: it turns "never" into a failure with a name and sits far above what any wait takes on a
 * loaded machine (a limit of a few seconds failed under other helpers' load; at load 60 on two cores
 * a server took over two minutes to start). Polls back off from 2 ms to 50 ms so that a long wait
 * does not spend the CPU its condition is waiting for.
 */
export const HANG_GUARD_MS = 300_000;

export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, guardMs = HANG_GUARD_MS): Promise<void> {
  const deadline = performance.now() + guardMs;
  let pauseMs = 2;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`gave up after ${guardMs} ms waiting for ${what} (a hang guard)`);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    pauseMs = Math.min(50, pauseMs * 2);
  }
}
