import pg from 'pg';

export interface PostgresPoolOptions {
  /** connections in the pool (config store.poolSize) */
  poolSize?: number;
  /** how long opening a connection may take before VITRINE_STORE_UNAVAILABLE, and waiting for a free one before VITRINE_STORE_BUSY, ms */
  connectTimeoutMs?: number;
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
    connectionString: withDurableCommits(connectionString),
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
 * The URL with `-c synchronous_commit=on` added to its session options (after any it gives, so it
 * wins): a 200 follows the durable commit even on a server whose default is off. In the URL rather
 * than the pool's `options`, which a URL's own `?options=` would replace.
 */
export function withDurableCommits(connectionString: string): string {
  const url = new URL(connectionString);
  const given = url.searchParams.get('options');
  url.searchParams.set('options', `${given ? `${given} ` : ''}-c synchronous_commit=on`);
  return url.toString();
}
