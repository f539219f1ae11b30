/**
 * Registry rows a training run left unfinished — `training` (before its artifact was saved) or
 * `candidate` (saved, no gate verdict yet) — because the process was killed (kill -9, power loss) or
 * the job's worker was stopped. Nothing will ever finish them, so they are
 * marked `failed` — at start-up, and after a cancelled job whose worker had to be stopped.
 * TODO(scale-out): with several processes training against one store (a `vitrine train` beside the
 * server) a start-up could mark another process's live run; that run's next registry write (candidate,
 * active or rejected) overwrites the mark.
 */
import type { ModelRecord, Store } from '../storage/store.ts';

const UNFINISHED: ReadonlySet<ModelRecord['status']> = new Set(['training', 'candidate']);

/** Marks every `training` or `candidate` row failed with `reason`, in one transaction; returns the rows marked. */
export async function failInterruptedTraining(store: Store, reason: string): Promise<ModelRecord[]> {
  const stuck = (await store.listModels()).filter((m) => UNFINISHED.has(m.status));
  const failed = stuck.map((m): ModelRecord => ({ ...m, status: 'failed', note: reason }));
  if (failed.length > 0) await store.putModels(failed);
  return failed;
}
