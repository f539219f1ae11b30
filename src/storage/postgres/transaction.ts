import type pg from 'pg';
import { translatePgError } from './pg-errors.ts';

/**
 * A pooled connection checked out with its own 'error' listener (a connection breaking between two
 * queries would otherwise be an uncaught exception). `fail` records a failure that leaves it unusable;
 * `release` hands it back, or destroys it when it broke.
 */
export interface GuardedClient {
  client: pg.PoolClient;
  broken(): boolean;
  fail(err: Error): void;
  release(): void;
}

/** Checks a connection out of `pool` under the guard; a failure to connect is a typed store error. */
export async function checkOut(pool: pg.Pool): Promise<GuardedClient> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw translatePgError(err);
  }
  let broken: Error | undefined;
  const onError = (err: Error) => { broken = err; };
  client.on('error', onError);
  return {
    client,
    broken: () => broken !== undefined,
    fail: (err) => { broken ??= err; },
    release: () => {
      client.removeListener('error', onError);
      client.release(broken);
    },
  };
}

/**
 * Runs `fn` on one pooled connection (checkOut), inside BEGIN … COMMIT when `transaction` (the
 * default), with failures as typed store errors. A broken connection is destroyed rather than handed
 * back to the pool.
 */
export async function withClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, transaction = true): Promise<T> {
  const guarded = await checkOut(pool);
  const { client } = guarded;
  try {
    if (transaction) await client.query('BEGIN');
    const result = await fn(client);
    if (transaction) await client.query('COMMIT');
    return result;
  } catch (err) {
    if (transaction && !guarded.broken()) await client.query('ROLLBACK').catch((e: Error) => guarded.fail(e));
    throw translatePgError(err);
  } finally {
    guarded.release();
  }
}
