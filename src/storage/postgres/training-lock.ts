import type pg from 'pg';
import type { TrainingLockHandle } from '../training-lock.ts';
import { translatePgError } from './pg-errors.ts';
import { checkOut } from './transaction.ts';

// any fixed 64-bit key distinct from the migration lock's: "VtTrain"
export const TRAINING_LOCK_KEY = 0x5674_5472_6169_6en;

/**
 * One trainer at a time across every process on the database (ADR 0024): a session-level advisory
 * lock on a connection held for the run. If the process dies, PostgreSQL ends its session and the
 * lock goes with it, so a crashed trainer never blocks the next one.
 */
export async function tryTrainingLock(pool: pg.Pool): Promise<TrainingLockHandle | null> {
  const guarded = await checkOut(pool);
  try {
    const { rows } = await guarded.client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1) AS got', [TRAINING_LOCK_KEY.toString()]);
    if (!rows[0].got) {
      guarded.release();
      return null;
    }
  } catch (err) {
    guarded.fail(err as Error);
    guarded.release();
    throw translatePgError(err);
  }
  return {
    release: async () => {
      // a broken connection lost the lock with its session; destroying it is the release
      if (!guarded.broken()) await guarded.client.query('SELECT pg_advisory_unlock($1)', [TRAINING_LOCK_KEY.toString()]).catch((e: Error) => guarded.fail(e));
      guarded.release();
    },
  };
}
