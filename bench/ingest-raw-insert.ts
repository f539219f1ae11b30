/**
 * The in-process baselines of the ingest benchmark, each on a fresh database with the server's
 * schema and pragmas: SqliteStore.appendEvents (what the server calls per request) and the bare
 * prepared INSERT of the same rows, one transaction per batch (the ceiling of the events table alone:
 * no members or placeholder items created).
 */
import { join } from 'node:path';
import type { VitrineEvent } from '../src/core/types.ts';
import { eventParams } from '../src/storage/sqlite/rows.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';

export interface RawInsertResult {
  seconds: number;
  events: number;
}

/** Appends every batch through SqliteStore.appendEvents on a fresh store in `dir`. */
export async function runStoreAppend(dir: string, batches: ReadonlyArray<readonly VitrineEvent[]>): Promise<RawInsertResult> {
  const store = new SqliteStore(join(dir, 'append.db'));
  let events = 0;
  const began = performance.now();
  for (const batch of batches) events += (await store.appendEvents(batch)).accepted;
  const seconds = (performance.now() - began) / 1000;
  await store.close();
  return { seconds, events };
}

/** Inserts every batch with one prepared INSERT OR IGNORE into events, one transaction per batch. */
export async function runBareInsert(dir: string, batches: ReadonlyArray<readonly VitrineEvent[]>): Promise<RawInsertResult> {
  const store = new SqliteStore(join(dir, 'bare.db'));
  const insert = store.db.prepare(`INSERT OR IGNORE INTO events (id, type, user_id, item_id, ts, size, fit, rating, value,
    occasion, page_id, row_id, position, variant, model_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertBatch = store.db.transaction((batch: readonly VitrineEvent[]) => {
    let n = 0;
    for (const e of batch) n += insert.run(eventParams(e)).changes;
    return n;
  });
  let events = 0;
  const began = performance.now();
  for (const batch of batches) events += insertBatch(batch);
  const seconds = (performance.now() - began) / 1000;
  await store.close();
  return { seconds, events };
}
