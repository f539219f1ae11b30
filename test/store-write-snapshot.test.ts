/**
 * A write transaction that reads first (does the item exist? what is the member's profile?) must not
 * fail because another connection committed in between. In WAL mode a deferred transaction's first
 * read pins a snapshot; if the page-log thread (its own connection) commits before the write, SQLite
 * refuses to upgrade that stale snapshot with SQLITE_BUSY at once, past any busy timeout — `bench:soak`
 * met it as a 503 VITRINE_STORE_BUSY on `PUT /v1/items/:id`. Here the other connection commits exactly
 * there, every time.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';

const NOW = Date.UTC(2026, 10, 28, 12);

describe('store: a write that reads first is not refused when another connection commits meanwhile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-snapshot-'));
  const file = join(dir, 'vitrine.db');
  let store: SqliteStore;
  let other: Database.Database;
  let intrusions = 0;

  /** Wraps one of the store's prepared reads so that, once inside its transaction, the other connection commits a page record. */
  const commitElsewhereAfter = (statement: string) => {
    const stmts = (store as unknown as { stmt: Record<string, Database.Statement> }).stmt;
    const read = stmts[statement];
    const get = read.get.bind(read);
    read.get = ((...args: unknown[]) => {
      const row = get(...args);
      if (store.db.inTransaction) {
        try {
          other.prepare('INSERT INTO impressions (page_id, user_id, ts, rows) VALUES (?, ?, ?, ?)').run(`pg-${intrusions}`, 'someone', NOW, '[]');
          intrusions++;
        } catch (err) {
          // the store holds the write lock already: the other connection would wait for it, as it should
          assert.equal((err as { code?: string }).code, 'SQLITE_BUSY');
        }
      }
      return row;
    }) as typeof read.get;
  };

  before(() => {
    store = new SqliteStore(file);
    other = new Database(file);
    other.pragma('busy_timeout = 0');
    commitElsewhereAfter('itemExists');
    commitElsewhereAfter('getUser');
  });
  after(async () => {
    other.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('PUT an item: upsertItems commits', async () => {
    assert.deepEqual(await store.upsertItems([{ id: 'dress-1', title: 'Dress', category: 'dress', sizes: { M: 2 } }], NOW), ['created']);
    assert.deepEqual(await store.upsertItems([{ id: 'dress-1', title: 'Dress', category: 'dress', sizes: { M: 1 } }], NOW), ['updated']);
    assert.deepEqual((await store.getItem('dress-1'))?.sizes, { M: 1 });
  });

  it('PUT a member: upsertUsers commits', async () => {
    assert.equal(await store.upsertUser('ann', { sizes: ['M'] }, NOW), 'created');
    assert.equal(await store.upsertUser('ann', { sizes: ['L'] }, NOW), 'updated');
    assert.deepEqual((await store.getUser('ann'))?.sizes, ['L']);
  });
});
