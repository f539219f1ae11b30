/**
 * Where a store's bytes are, read beside the running server: the file and its WAL, and per table
 * (its indexes included) the rows and bytes SQLite's dbstat counts. Two snapshots explain growth:
 * so many more rows × so many bytes a row, per table.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export interface StoreSnapshot {
  fileBytes: number;
  walBytes: number;
  /** the database as readers see it (its pages in the file and the WAL), bytes */
  logicalBytes: number;
  /** per table: rows and the bytes of its pages, its indexes' included */
  tables: Record<string, { rows: number; bytes: number }>;
  /** pages on the freelist (allocated, unused), bytes */
  freeBytes: number;
}

/** The store file's and its WAL's sizes on disk, bytes (cheap: two stats). */
export function storeFileSizes(dataDir: string): { fileBytes: number; walBytes: number } {
  const file = join(dataDir, 'vitrine.db');
  const size = (path: string) => { try { return statSync(path).size; } catch { return 0; } };
  return { fileBytes: size(file), walBytes: size(`${file}-wal`) };
}

/** The tables whose growth a soak explains. */
const TABLES = ['events', 'impressions', 'users', 'items', 'models'];

/** A snapshot of `dataDir`'s vitrine.db, read-only. */
export function storeSnapshot(dataDir: string): StoreSnapshot {
  const db = new Database(join(dataDir, 'vitrine.db'), { readonly: true, fileMustExist: true });
  try {
    const owner = new Map((db.prepare('SELECT name, tbl_name FROM sqlite_schema').all() as Array<{ name: string; tbl_name: string }>)
      .map((r) => [r.name, r.tbl_name]));
    const tables: StoreSnapshot['tables'] = Object.create(null);
    for (const name of TABLES) tables[name] = { rows: db.prepare(`SELECT count(*) FROM ${name}`).pluck().get() as number, bytes: 0 };
    for (const r of db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as Array<{ name: string; bytes: number }>) {
      const table = tables[owner.get(r.name) ?? r.name];
      if (table) table.bytes += r.bytes;
    }
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const freeBytes = (db.pragma('freelist_count', { simple: true }) as number) * pageSize;
    const logicalBytes = (db.pragma('page_count', { simple: true }) as number) * pageSize;
    return { ...storeFileSizes(dataDir), logicalBytes, tables, freeBytes };
  } finally {
    db.close();
  }
}

export interface StoreGrowth {
  fileBytes: number;
  walBytes: number;
  logicalBytes: number;
  /** per table: rows added, bytes added, bytes per added row */
  tables: Record<string, { rows: number; bytes: number; bytesPerRow: number | null }>;
  /** the tables' bytes added, summed: what the rows explain of the logical growth (the rest: freelist) */
  explainedBytes: number;
}

/** What grew between two snapshots, and by how much per row. */
export function storeGrowth(from: StoreSnapshot, to: StoreSnapshot): StoreGrowth {
  const tables: StoreGrowth['tables'] = Object.create(null);
  let explainedBytes = 0;
  for (const [name, end] of Object.entries(to.tables)) {
    const start = from.tables[name] ?? { rows: 0, bytes: 0 };
    const rows = end.rows - start.rows, bytes = end.bytes - start.bytes;
    tables[name] = { rows, bytes, bytesPerRow: rows > 0 ? Math.round(bytes / rows) : null };
    explainedBytes += bytes;
  }
  return { fileBytes: to.fileBytes - from.fileBytes, walBytes: to.walBytes - from.walBytes, logicalBytes: to.logicalBytes - from.logicalBytes, tables, explainedBytes };
}
