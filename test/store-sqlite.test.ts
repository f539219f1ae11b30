import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { VitrineError } from '../src/core/errors.ts';
import { openStore } from '../src/storage/open-store.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { SQLITE_MIGRATIONS } from '../src/storage/sqlite/migrations.ts';
import { storeContract } from './store-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'vitrine-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

storeContract('sqlite (file, WAL)', async () => openStore(`sqlite:${join(dir, `c${n++}.db`)}`));

describe('SqliteStore specifics', () => {
  it('opens in WAL mode and records the schema version', async () => {
    const store = new SqliteStore(join(dir, 'wal.db'));
    assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(store.db.prepare('SELECT max(version) FROM schema_version').pluck().get(), SQLITE_MIGRATIONS.length);
    await store.close();
  });

  it('re-opening an existing store applies no migration twice and keeps data', async () => {
    const path = join(dir, 'reopen.db');
    const a = new SqliteStore(path);
    await a.appendEvents([{ id: 'e', type: 'view', userId: 'u', itemId: 'i', ts: 1 }]);
    await a.close();
    const b = new SqliteStore(path);
    assert.equal(await b.countEvents(), 1);
    await b.close();
  });

  it('upgrades a store written at schema 1: its events are kept and count in experiment reports', async () => {
    const path = join(dir, 'v1.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE schema_version (version INTEGER NOT NULL)');
    raw.exec(SQLITE_MIGRATIONS[0]);
    raw.prepare('INSERT INTO schema_version (version) VALUES (1)').run();
    raw.prepare(`INSERT INTO events (id, type, user_id, item_id, ts, variant) VALUES ('c1', 'click', 'u', 'i', 1, 'x:b')`).run();
    raw.close();
    const store = new SqliteStore(path);
    assert.equal(store.db.prepare('SELECT max(version) FROM schema_version').pluck().get(), SQLITE_MIGRATIONS.length);
    assert.equal((await store.experimentCounts(['x:b']))['x:b'].clicks, 1);
    assert.equal(await store.putCarousel({ id: 'c', title: 'C', itemIds: ['i'], personalize: false }, 1), 'created');
    await store.close();
  });

  it('refuses a store written by a newer schema', async () => {
    const path = join(dir, 'newer.db');
    (await openStore(`sqlite:${path}`)).close();
    const raw = new Database(path);
    raw.prepare('INSERT INTO schema_version (version) VALUES (?)').run(SQLITE_MIGRATIONS.length + 1);
    raw.close();
    assert.throws(() => new SqliteStore(path), (e: unknown) => e instanceof VitrineError && e.code === 'VITRINE_STORE_SCHEMA_TOO_NEW');
  });

  it('an unknown URL scheme is a typed error naming the known ones', async () => {
    await assert.rejects(openStore('mysql://x'), (e: unknown) => e instanceof VitrineError && e.code === 'VITRINE_STORE_UNKNOWN_SCHEME' && /sqlite:/.test(e.message));
  });
});
