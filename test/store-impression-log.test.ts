/**
 * The page log's writer thread (impression-log-writer.ts): page records posted to it are committed
 * by the worker and readable on the serving connection once the promise resolves; the serving
 * connection's own writes go on beside it; its queue is bounded (backpressure, nothing dropped); a
 * worker that dies loses nothing; an error comes back.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import type { ImpressionRecord } from '../src/storage/store.ts';
import { storeContract } from './store-contract.ts';

const T0 = Date.UTC(2026, 0, 1);
const dir = mkdtempSync(join(tmpdir(), 'vitrine-implog-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const serverStore = (path = join(dir, `s${n++}.db`)) => new SqliteStore(path, { backgroundCheckpoint: true, backgroundImpressionLog: true });

// the whole contract holds with both background threads on, as `vitrine serve` opens the store
storeContract('sqlite (file, WAL, server threads)', async () => serverStore());

const record = (k: number, userId = `m${k % 7}`): ImpressionRecord => ({
  pageId: `pg-${String(k).padStart(6, '0')}`, userId, ts: T0 + k, modelVersion: 'als-1',
  rows: [{ rowId: 'for-you', kind: 'for-you', items: [`i${k}`, `i${k + 1}`] }],
});
const pagesOf = (from: number, count: number) => Array.from({ length: count }, (_, j) => ({ record: record(from + j), events: [] }));
const countPages = (store: SqliteStore) => store.db.prepare('SELECT count(*) FROM impressions').pluck().get() as number;

describe('page records from the writer thread', () => {
  it('are committed by the worker and read back on the serving connection, beside its own event writes', async () => {
    const path = join(dir, 'beside.db');
    const store = serverStore(path);
    try {
      const writes: Promise<unknown>[] = [];
      for (let b = 0; b < 40; b++) {
        writes.push(store.putImpressionsWithEvents(pagesOf(b * 50, 50)));
        writes.push(store.appendEvents([{ id: `e${b}`, type: 'rent', userId: 'm1', itemId: `i${b}`, ts: T0 + b }]));
      }
      await Promise.all(writes);
      assert.ok((store.impressionLog?.committedByWorker ?? 0) > 0, 'the worker committed them');
      assert.equal(countPages(store), 2000);
      assert.equal((await store.userEvents('m1', { limit: 100 })).length, 40);
      assert.deepEqual((await store.getImpression('pg-001234'))?.rows, record(1234).rows);
      assert.equal((await store.lastImpression('m3'))?.pageId, 'pg-001998', 'the newest page of m3 (1998 % 7 = 3)');
    } finally {
      await store.close();
    }
    const reopened = new SqliteStore(path);
    assert.equal(countPages(reopened), 2000, 'durable after close');
    await reopened.close();
  });

  it('numbers terms never served before on the worker: the serving connection writes nothing, so never waits for the lock', async () => {
    const store = serverStore();
    try {
      // any write on the serving connection now fails (SQLITE_READONLY); the worker's connection is its own
      store.db.pragma('query_only = ON');
      await store.putImpressionsWithEvents(pagesOf(0, 30));
      await store.putImpressionsWithEvents(pagesOf(20, 30)); // half its terms known, half new
      store.db.pragma('query_only = OFF');
      assert.equal(countPages(store), 50);
      assert.deepEqual((await store.getImpression('pg-000042'))?.rows, record(42).rows);
      const terms = store.db.prepare('SELECT count(*) FROM page_terms').pluck().get();
      assert.equal(terms, 1 + 51, "'for-you' (row id and kind, one term) and items i0…i50");
    } finally {
      await store.close();
    }
  });

  it('an event append meeting another connection\'s write lock waits for it without blocking the thread', async () => {
    const path = join(dir, 'lock.db');
    // 2 s: an append sleeping in SQLite's busy handler would hold this thread that long, then fail
    const store = new SqliteStore(path, { backgroundImpressionLog: true, busyTimeoutMs: 2000 });
    const other = new Database(path);
    try {
      other.exec('BEGIN IMMEDIATE');
      const appended = store.appendEvents([{ id: 'e-lock', type: 'rent', userId: 'm1', itemId: 'i1', ts: T0 }]);
      // the thread is free while the append waits: a turn of the event loop runs, and then the lock goes
      await new Promise((resolve) => setImmediate(resolve));
      other.exec('COMMIT');
      const result = await appended;
      assert.equal(result.accepted, 1);
      assert.equal((await store.userEvents('m1')).length, 1);
      // a lock never released is still an error once busyTimeoutMs is spent (VITRINE_STORE_BUSY), as before
      other.exec('BEGIN IMMEDIATE');
      const quick = new SqliteStore(path, { backgroundImpressionLog: true, busyTimeoutMs: 20 });
      await assert.rejects(quick.appendEvents([{ id: 'e-lock-2', type: 'rent', userId: 'm1', itemId: 'i2', ts: T0 }]), /VITRINE_STORE_BUSY|store busy/);
      other.exec('ROLLBACK');
      await quick.close();
    } finally {
      other.close();
      await store.close();
    }
  });

  it('holds at most 20,000 records for the worker: past that a batch is written on the serving thread, nothing dropped', async () => {
    const store = serverStore();
    try {
      // their terms numbered first (one record naming every item), so that no batch waits for numbering
      const items = Array.from({ length: 31_001 }, (_, i) => `i${i}`);
      await store.putImpressionsWithEvents([{ record: { pageId: 'pg-terms', userId: 'm0', ts: T0, rows: [{ rowId: 'for-you', kind: 'for-you', items }] }, events: [] }]);
      // posted in one turn of the event loop, before the worker can have committed any
      const writes = Array.from({ length: 30 }, (_, b) => store.putImpressionsWithEvents(pagesOf(b * 1000, 1000)));
      assert.equal(store.impressionLog?.writtenHereWhenFull, 10, 'the 21st batch on: the queue was full');
      await Promise.all(writes);
      assert.equal(countPages(store), 30_001);
      const after = store.putImpressionsWithEvents(pagesOf(30_000, 1000));
      assert.equal(store.impressionLog?.writtenHereWhenFull, 10, 'the queue drained: the worker takes batches again');
      await after;
    } finally {
      await store.close();
    }
  });

  it('loses nothing when the worker dies: pending and later batches are written on the serving thread', async () => {
    const store = serverStore();
    try {
      const first = Array.from({ length: 10 }, (_, b) => store.putImpressionsWithEvents(pagesOf(b * 20, 20)));
      // the worker gone with batches in flight (whichever it had committed stay, the rest are written here)
      await (store.impressionLog as unknown as { worker: Worker }).worker.terminate();
      await Promise.all(first);
      await store.putImpressionsWithEvents(pagesOf(200, 20));
      assert.equal(countPages(store), 220);
    } finally {
      await store.close();
    }
  });

  it('rejects a batch the database refuses, with the reason', async () => {
    const store = serverStore();
    try {
      const bad = { ...record(1), userId: null as unknown as string };
      await assert.rejects(store.putImpressionsWithEvents([{ record: record(0), events: [] }, { record: bad, events: [] }, { record: record(2), events: [] }]), /NOT NULL/);
      await store.putImpressionsWithEvents(pagesOf(10, 3));
      assert.equal(countPages(store), 3, 'a refused batch is all or nothing; the next one is stored');
    } finally {
      await store.close();
    }
  });

  it('is not started for an in-memory store or unless asked for', async () => {
    const memory = new SqliteStore(':memory:', { backgroundImpressionLog: true });
    assert.equal(memory.impressionLog, undefined);
    await memory.putImpressionsWithEvents(pagesOf(0, 2));
    assert.equal(countPages(memory), 2);
    await memory.close();
    const plain = new SqliteStore(join(dir, 'plain.db'));
    assert.equal(plain.impressionLog, undefined);
    await plain.close();
  });
});
