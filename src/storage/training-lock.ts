import type { Store } from './store.ts';

/** Held while a training run writes to the registry; release() lets the next trainer in. */
export interface TrainingLockHandle {
  release(): Promise<void>;
}

/**
 * A store shared by several processes that lets one trainer run at a time (PostgreSQL: a session
 * advisory lock, ADR 0024). SQLite's in-server job queue already runs one job at a time.
 */
export interface TrainingLockSource {
  /** The lock, or null at once when another process holds it (never waits). */
  tryTrainingLock(): Promise<TrainingLockHandle | null>;
}

export function trainingLockOf(store: Store): TrainingLockSource | undefined {
  const s = store as Partial<TrainingLockSource>;
  return typeof s.tryTrainingLock === 'function' ? store as Store & TrainingLockSource : undefined;
}
