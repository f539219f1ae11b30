/**
 * The background WAL checkpointer (wal-checkpointer.ts): the serving connection checkpoints nothing
 * itself, yet what it commits reaches the database file (the worker's checkpoint copies it there),
 * and close() stops the worker.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { waitFor } from './helpers/wait-for.ts';

const T0 = Date.UTC(2026, 0, 1);

describe('background WAL checkpoints', () => {
  it('commits stay in the WAL for the serving connection and reach the file through the worker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-wal-'));
    const path = join(dir, 'vitrine.db');
    const store = new SqliteStore(path, { backgroundCheckpoint: true });
    try {
      assert.ok(store.checkpointer);
      await store.checkpointer.started();
      assert.equal(store.db.pragma('wal_autocheckpoint', { simple: true }), 0, 'no checkpoint inside commits');
      const size = () => statSync(path).size;
      const before = size();
      const events = Array.from({ length: 20_000 }, (_, k) => ({ id: `e${k}`, type: 'rent' as const, userId: `m${k % 500}`, itemId: `i${k % 900}`, ts: T0 + k }));
      await store.appendEvents(events);
      const { checkpointer } = store;
      // the file grows only by checkpoints; the worker's report of one may arrive a moment after it
      await waitFor(() => size() > before + 500_000 && checkpointer.checkpoints > 0, 'the database file to take the events');
      assert.equal((await store.userEvents('m7', { limit: 1000 })).length, 40, 'every event readable');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is not started for an in-memory store or unless asked for', async () => {
    const memory = new SqliteStore(':memory:', { backgroundCheckpoint: true });
    assert.equal(memory.checkpointer, undefined);
    await memory.close();
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-wal-'));
    const plain = new SqliteStore(join(dir, 'vitrine.db'));
    assert.equal(plain.checkpointer, undefined);
    assert.ok(Number(plain.db.pragma('wal_autocheckpoint', { simple: true })) > 0, 'the automatic checkpoint stays');
    await plain.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
