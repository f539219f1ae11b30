/**
 * `/readyz` answered from the latest dependency check instead of a check per request. Under overload a
 * ping to PostgreSQL waits for a pooled connection behind page records and rebuilds, so a check run
 * per request timed out on every node at once and HAProxy marked the whole cluster down
 * (bench/results/cluster.md) while every node still served. A slow check is not unreadiness; a failed
 * one is, and so is a check still running after `staleMs` (a store that hangs).
 * - the first call runs the checks and waits for them (start-up);
 * - later calls answer at once from the latest result, and start a new check in the background when
 *   that result is older than `refreshMs` (one check in flight at a time);
 * - unready when the latest check failed (its error), or the check in flight began over `staleMs` ago
 *   (not when nobody asked for a while: the first call after a quiet spell answers with the latest).
 */
import { VitrineError } from '../core/errors.ts';

export interface ReadinessCheck {
  /** resolves when the dependency answers; rejects with why it does not */
  run(): Promise<void>;
  /** the error to report when `run` rejects with something else than a VitrineError */
  describe(err: unknown): VitrineError;
}

export interface ReadinessOptions {
  refreshMs: number;
  staleMs: number;
  clock?: () => number;
}

export type Readiness = { ready: true } | { ready: false; error: VitrineError };

export class ReadinessProbe {
  private readonly clock: () => number;
  private checkedAt = -Infinity;
  private inFlightSince = 0;
  private latest: Readiness | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly checks: readonly ReadinessCheck[], private readonly opts: ReadinessOptions) {
    this.clock = opts.clock ?? Date.now;
  }

  async status(): Promise<Readiness> {
    if (!this.latest) await this.check();
    else if (this.clock() - this.checkedAt >= this.opts.refreshMs) void this.check();
    const latest = this.latest!;
    if (!latest.ready) return latest;
    const runningMs = this.inFlight ? this.clock() - this.inFlightSince : 0;
    if (runningMs > this.opts.staleMs) {
      return { ready: false, error: new VitrineError('VITRINE_STORE_UNAVAILABLE', `a readiness check has been waiting for ${Math.round(runningMs)} ms`) };
    }
    return latest;
  }

  /** Runs the checks unless a run is in flight; resolves when it ends (never rejects). */
  private check(): Promise<void> {
    if (!this.inFlight) {
      this.inFlightSince = this.clock();
      this.inFlight = this.runChecks().finally(() => { this.inFlight = undefined; });
    }
    return this.inFlight;
  }

  private async runChecks(): Promise<void> {
    const started = this.clock();
    let result: Readiness = { ready: true };
    for (const c of this.checks) {
      try {
        await c.run();
      } catch (err) {
        result = { ready: false, error: err instanceof VitrineError ? err : c.describe(err) };
        break;
      }
    }
    this.checkedAt = started;
    this.latest = result;
  }
}
