/**
 * Registry rows a training run left unfinished — `training` (before its artifact was saved) or
 * `candidate` (saved, no gate verdict yet) — because the process was killed (kill -9, power loss) or
 * the job's worker was stopped. Nothing will ever finish them, so they are
 * marked `failed` — at start-up, and after a cancelled job whose worker had to be stopped.
 * With several processes on one store (PostgreSQL) a run elsewhere is live while it holds the
 * training lock (ADR 0024): rows are marked only when the lock is free, so a node starting beside a
 * `vitrine train` leaves that run's rows alone.
 */
import type { ModelRecord, Store } from '../storage/store.ts';
import { trainingLockOf } from '../storage/training-lock.ts';

const UNFINISHED: ReadonlySet<ModelRecord['status']> = new Set(['training', 'candidate']);

/** Marks every `training` or `candidate` row failed with `reason`, in one transaction; returns the rows marked. */
export async function failInterruptedTraining(store: Store, reason: string): Promise<ModelRecord[]> {
  const locks = trainingLockOf(store);
  if (!locks) return failUnfinished(store, reason);
  const lock = await locks.tryTrainingLock();
  if (!lock) return []; // someone is training: their rows are not stuck
  try {
    return await failUnfinished(store, reason);
  } finally {
    await lock.release();
  }
}

async function failUnfinished(store: Store, reason: string): Promise<ModelRecord[]> {
  const stuck = (await store.listModels()).filter((m) => UNFINISHED.has(m.status));
  const failed = stuck.map((m): ModelRecord => ({ ...m, status: 'failed', note: reason }));
  if (failed.length > 0) await store.putModels(failed);
  return failed;
}
