/**
 * The crash tests' view of what is on disk: the SQLite file opened read-only beside the running
 * server (WAL mode lets a reader in), so an invariant is checked against the store itself, not
 * against what the server chooses to say.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';

export interface RegistryRow {
  version: string;
  algorithm: string;
  status: string;
}

/** A read-only look at a data dir's store; close it before the next kill. */
export class StoreOnDisk {
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    this.db = new Database(join(dataDir, 'vitrine.db'), { readonly: true, fileMustExist: true });
  }

  /** Ids of stored events starting with `prefix`, and how many rows hold them (more rows than ids: a duplicate). */
  eventIds(prefix: string): { ids: Set<string>; rows: number } {
    const ids = this.db.prepare('SELECT id FROM events WHERE id >= ? AND id < ?').pluck().all(prefix, `${prefix}\uffff`) as string[];
    return { ids: new Set(ids), rows: ids.length };
  }

  /** The model registry, newest first. */
  registry(): RegistryRow[] {
    return this.db.prepare('SELECT version, algorithm, status FROM models ORDER BY created_at DESC, version DESC').all() as RegistryRow[];
  }

  /** What is left of a member: a profile row, events naming them. */
  memberTraces(userId: string): { profile: boolean; events: number } {
    return {
      profile: this.db.prepare('SELECT 1 FROM users WHERE id = ?').get(userId) !== undefined,
      events: this.db.prepare('SELECT count(*) FROM events WHERE user_id = ?').pluck().get(userId) as number,
    };
  }

  close(): void {
    this.db.close();
  }
}

/** Per algorithm, the versions the registry marks `active` (the promise: exactly one each). */
export function activeVersions(rows: readonly RegistryRow[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rows) if (!out.has(r.algorithm)) out.set(r.algorithm, []);
  for (const r of rows) if (r.status === 'active') out.get(r.algorithm)!.push(r.version);
  return out;
}
