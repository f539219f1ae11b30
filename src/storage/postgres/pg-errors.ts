import { VitrineError } from '../../core/errors.ts';

// SQLSTATE classes and codes (PostgreSQL appendix A) that say "retry": nothing was written
const BUSY_STATES = new Set(['40001', '40P01', '55P03', '57014', '53300']);
// the server cannot take the write: disk full, out of memory or other resources
const FULL_STATES = new Set(['53100', '53200', '53000']);
// the server is going away, not there yet, or refuses us: the store cannot be reached
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '3D000', '25006']);
// socket-level failures node-postgres passes through from node:net
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** Maps a node-postgres error to a typed store error; other errors (bugs, constraint violations) pass through unchanged. */
export function translatePgError(err: unknown): unknown {
  if (err instanceof VitrineError) return err;
  const code = (err as { code?: unknown })?.code;
  const message = (err as Error)?.message ?? String(err);
  const typed = (c: 'VITRINE_STORE_BUSY' | 'VITRINE_STORE_FULL' | 'VITRINE_STORE_UNAVAILABLE', what: string) =>
    new VitrineError(c, `${what}: ${message}`, undefined, { cause: err });
  if (typeof code === 'string') {
    if (BUSY_STATES.has(code)) return typed('VITRINE_STORE_BUSY', 'store busy');
    if (FULL_STATES.has(code)) return typed('VITRINE_STORE_FULL', 'store full');
    // 08: connection exception; 28: invalid authorization
    if (UNAVAILABLE_STATES.has(code) || code.startsWith('08') || code.startsWith('28') || NETWORK_CODES.has(code)) {
      return typed('VITRINE_STORE_UNAVAILABLE', 'store unavailable');
    }
    return err;
  }
  // node-postgres's own failures carry no code. Every pooled connection busy for connectTimeoutMs:
  // the server is there but this node has more work than connections (store.poolSize)
  if (/timeout exceeded when trying to connect/.test(message)) return typed('VITRINE_STORE_BUSY', 'store busy (no free connection in the pool)');
  if (/Connection terminated|Client has encountered a connection error|Client was closed|connection timeout/i.test(message)) {
    return typed('VITRINE_STORE_UNAVAILABLE', 'store unavailable');
  }
  return err;
}

/** Runs a PostgreSQL call, turning its failures into typed store errors. */
export async function guardPg<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw translatePgError(err);
  }
}
