import { VitrineError } from '../../core/errors.ts';

/** Maps a better-sqlite3 error to a typed store error; other errors pass through unchanged. */
export function translateSqliteError(err: unknown): unknown {
  if (err instanceof VitrineError) return err;
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return err;
  const message = (err as Error).message;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new VitrineError('VITRINE_STORE_BUSY', `store busy: ${message}`, undefined, { cause: err });
  }
  if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_FSYNC') {
    return new VitrineError('VITRINE_STORE_FULL', `store full: ${message}`, undefined, { cause: err });
  }
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY')
    || code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
    return new VitrineError('VITRINE_STORE_UNAVAILABLE', `store unavailable: ${message}`, undefined, { cause: err });
  }
  return err;
}

/** Runs a synchronous SQLite call, turning SQLite failures into typed store errors. */
export function guardSqlite<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw translateSqliteError(err);
  }
}
