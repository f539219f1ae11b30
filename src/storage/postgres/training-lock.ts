import type pg from 'pg';
import type { TrainingLockHandle } from '../training-lock.ts';
import { translatePgError } from './pg-errors.ts';

// any fixed 64-bit key distinct from the migration lock's: "VtTrain"
export const TRAINING_LOCK_KEY = 0x5674_5472_6169_6en;

/**
 * One trainer at a time across every process on the database (ADR 0024): a session-level advisory
 * lock on a connection held for the run. If the process dies, PostgreSQL ends its session and the
 * lock goes with it, so a crashed trainer never blocks the next one.
 */
export async function tryTrainingLock(pool: pg.Pool): Promise<TrainingLockHandle | null> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw translatePgError(err);
  }
  let broken: Error | undefined;
  const onError = (err: Error) => { broken = err; };
  client.on('error', onError);
  try {
    const { rows } = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1) AS got', [TRAINING_LOCK_KEY.toString()]);
    if (!rows[0].got) {
      client.removeListener('error', onError);
      client.release();
      return null;
    }
  } catch (err) {
    client.removeListener('error', onError);
    client.release(true);
    throw translatePgError(err);
  }
  return {
    release: async () => {
      // a broken connection lost the lock with its session; destroying it is the release
      if (!broken) await client.query('SELECT pg_advisory_unlock($1)', [TRAINING_LOCK_KEY.toString()]).catch((e: Error) => { broken = e; });
      client.removeListener('error', onError);
      client.release(broken ?? false);
    },
  };
}
