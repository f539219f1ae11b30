/**
 * Time budgets for every downstream call (after hono's timeout middleware): the call gets an
 * AbortSignal that fires at its deadline, the caller stops waiting then, and the timer is cleared in
 * `finally` whatever happened. Timers are injected so tests drive time by hand instead of sleeping.
 */

// what a parameterless task is handed (it never looks)
export const NEVER_ABORTED = new AbortController().signal;

/** A clock and timers; `now` is monotonic milliseconds. */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's own timers and performance.now(). */
export const REAL_TIMERS: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The reason a deadline's signal aborts with, and what a late call rejects with. */
export class DeadlineExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(`deadline of ${budgetMs.toFixed(1)} ms exceeded`);
    this.name = 'DeadlineExceeded';
  }
}

/** True when `err` means "too late" rather than "failed". */
export function isDeadlineExceeded(err: unknown): err is DeadlineExceeded {
  return err instanceof DeadlineExceeded;
}

/**
 * Runs `task` with a signal that aborts after `ms`; resolves with its result, or rejects with
 * DeadlineExceeded when it is late (the task may still be running: synchronous work cannot be
 * interrupted, only abandoned) or with the task's own error. A parent signal aborts it too.
 */
export async function withDeadline<T>(
  task: (signal: AbortSignal) => T | Promise<T>,
  ms: number,
  opts: { timers?: Timers; parent?: AbortSignal } = {},
): Promise<T> {
  const timers = opts.timers ?? REAL_TIMERS;
  // a task declared without parameters never reads the signal: no controller for it (a Node
  // AbortSignal costs ~7 µs to make, and a page makes three such steps before any row)
  const controller = task.length > 0 ? new AbortController() : undefined;
  const budget = Math.max(0, ms);
  let handle: unknown;
  let onParentAbort: (() => void) | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    const expire = (): void => {
      const reason = new DeadlineExceeded(budget);
      controller?.abort(reason);
      reject(reason);
    };
    if (opts.parent?.aborted) return expire();
    handle = timers.setTimeout(expire, budget);
    if (opts.parent) {
      onParentAbort = expire;
      opts.parent.addEventListener('abort', onParentAbort, { once: true });
    }
  });
  try {
    // started in a microtask so a synchronous throw becomes a rejection like any other failure
    return await Promise.race([Promise.resolve().then(() => task(controller?.signal ?? NEVER_ABORTED)), late]);
  } finally {
    if (handle !== undefined) timers.clearTimeout(handle);
    if (onParentAbort) opts.parent?.removeEventListener('abort', onParentAbort);
  }
}

/** A request's budget: how much of it is left, on the injected clock. */
export class Deadline {
  readonly startedAt: number;

  constructor(readonly budgetMs: number, readonly timers: Timers = REAL_TIMERS) {
    this.startedAt = timers.now();
  }

  /** Milliseconds left (never negative). */
  remaining(): number {
    return Math.max(0, this.budgetMs - this.elapsed());
  }

  /** Milliseconds since the request started. */
  elapsed(): number {
    return this.timers.now() - this.startedAt;
  }
}
