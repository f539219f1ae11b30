import type Database from 'better-sqlite3';
import { translateSqliteError } from './sqlite-errors.ts';

/**
 * Runs `write` (a transaction) so that this thread never sleeps in SQLite's busy handler: with no busy
 * wait, and on SQLITE_BUSY again after a millisecond, for `busyTimeoutMs` in all. The page log's
 * threads commit every 50 ms; an event append that met one slept in the handler's steps (1, 2, 5, 10
 * ms…) with the HTTP thread, and every request behind it, blocked: 9 of 300 freshness trials' appends
 * for 5–19 ms (issue 22, bench/serve-tail.ts --trials). The caller's promise waits instead; appends
 * stay in order (the group committer awaits each).
 */
export async function writeWhenFree<T>(db: Database.Database, busyTimeoutMs: number, write: () => T): Promise<T> {
  const giveUpAt = performance.now() + busyTimeoutMs;
  for (;;) {
    db.pragma('busy_timeout = 0');
    try {
      return write();
    } catch (err) {
      const busy = typeof (err as { code?: unknown })?.code === 'string' && (err as { code: string }).code.startsWith('SQLITE_BUSY');
      if (!busy || performance.now() >= giveUpAt) throw translateSqliteError(err);
    } finally {
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
