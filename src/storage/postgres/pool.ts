import pg from 'pg';

export interface PostgresPoolOptions {
  /** connections in the pool (config store.poolSize) */
  poolSize?: number;
  /** how long opening a connection may take before VITRINE_STORE_UNAVAILABLE, and waiting for a free one before VITRINE_STORE_BUSY, ms */
  connectTimeoutMs?: number;
  /** how long a statement waits for a row or table lock before VITRINE_STORE_BUSY, ms (config store.busyTimeoutMs; 0 = forever) */
  lockTimeoutMs?: number;
  /** an idle connection failed (server restart, network): told here, never thrown */
  onPoolError?: (err: Error) => void;
}

// bigint columns hold epoch ms and counts, all well inside 2^53: numbers, not strings. Per pool, so
// that other users of `pg` in the process keep the library's defaults.
const INT8_OID = 20;
const types = new pg.TypeOverrides();
types.setTypeParser(INT8_OID, (v: string) => Number(v));

/** A node-postgres pool whose sessions commit durably and whose idle-connection errors are reported, not thrown. */
export function createPool(connectionString: string, opts: PostgresPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: withSessionSettings(connectionString, opts.lockTimeoutMs ?? 5000),
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    types,
    application_name: 'vitrine',
  });
  // without a listener, an idle client's error (e.g. the server restarting) is an uncaught exception;
  // the pool drops that client and opens a new one on the next query
  const report = opts.onPoolError ?? ((err: Error) => console.warn(`vitrine: a PostgreSQL connection failed while idle: ${err.message}`));
  pool.on('error', report);
  return pool;
}

/**
 * The URL with Vitrine's session settings added to its options, after any it gives so that they win:
 * `synchronous_commit=on` (a 200 follows the durable commit even on a server whose default is off)
 * and `lock_timeout` (a write waits for a lock as long as store.busyTimeoutMs says, as on SQLite). In
 * the URL rather than the pool's `options`, which a URL's own `?options=` would replace.
 */
export function withSessionSettings(connectionString: string, lockTimeoutMs: number): string {
  const url = new URL(connectionString);
  const given = url.searchParams.get('options');
  const ours = `-c synchronous_commit=on -c lock_timeout=${Math.max(0, Math.round(lockTimeoutMs))}`;
  url.searchParams.set('options', given ? `${given} ${ours}` : ours);
  return url.toString();
}
