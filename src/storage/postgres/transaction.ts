import type pg from 'pg';
import { translatePgError } from './pg-errors.ts';

/**
 * Runs `fn` on one pooled connection, inside BEGIN … COMMIT when `transaction` (the default), with
 * failures as typed store errors. While checked out, a connection has no pool listener: if it breaks
 * between two queries it emits 'error', which would be an uncaught exception without ours. A broken
 * connection is destroyed rather than handed back to the pool.
 */
export async function withClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, transaction = true): Promise<T> {
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
    if (transaction) await client.query('BEGIN');
    const result = await fn(client);
    if (transaction) await client.query('COMMIT');
    return result;
  } catch (err) {
    if (transaction && !broken) await client.query('ROLLBACK').catch((e: Error) => { broken = e; });
    throw translatePgError(err);
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}
