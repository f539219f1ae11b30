/**
 * The compact page record (page-record-codec.ts): rows encode to term numbers and back, a page of
 * 8 rows × 20 items of a 5,000-item catalogue is a small fraction of its JSON, damaged bytes are a typed
 * error, and records written before the compact format (JSON rows, schema version 2) are still read
 * and counted after the migration.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { decodeRows, encodeRows, itemCountOf, PageTermCache, termIxsOf, termsOf } from '../src/storage/page-record-codec.ts';
import { SQLITE_MIGRATIONS } from '../src/storage/sqlite/migrations.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'vitrine-codec-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('page-record codec', () => {
  it('encodes a page as varints of its terms and decodes it back', () => {
    const rows = [{ rowId: 'for-you', kind: 'for-you', items: ['a', 'b', 'a'] }, { rowId: 'new', kind: 'trending', items: [] }];
    const terms = new PageTermCache();
    // numbers as a store hands them out, one past a varint byte
    for (const [term, ix] of [['for-you', 1], ['a', 300], ['b', 3], ['new', 4], ['trending', 5]] as const) terms.add(term, ix);
    assert.deepEqual(termsOf(rows), ['for-you', 'a', 'b', 'new', 'trending']);
    const bytes = encodeRows(rows, terms.ixOf);
    // format 1, 2 rows; row 1: for-you(1) for-you(1) 3 items a(300 = 0xac 0x02) b(3) a; row 2: new(4) trending(5) 0 items
    assert.deepEqual([...bytes], [1, 2, 1, 1, 3, 0xac, 0x02, 3, 0xac, 0x02, 4, 5, 0]);
    assert.deepEqual(termIxsOf(bytes).sort((x, y) => x - y), [1, 3, 4, 5, 300]);
    assert.deepEqual(decodeRows(bytes, terms.termOf), rows);
    assert.equal(itemCountOf(rows), 3);
  });

  it('makes a page of 8 rows × 20 items of 5,000 under a quarter of its JSON', () => {
    const rows = Array.from({ length: 8 }, (_, r) => ({ rowId: `row-${r}`, kind: 'for-you', items: Array.from({ length: 20 }, (_, k) => `i${String(1 + ((r * 613 + k * 241) % 5000)).padStart(4, '0')}`) }));
    const terms = new PageTermCache();
    // the catalogue numbered first, as a serving store has done after its first pages
    for (let i = 1; i <= 5000; i++) terms.add(`i${String(i).padStart(4, '0')}`, 1000 + i);
    termsOf(rows).filter((t) => !t.startsWith('i')).forEach((t, k) => terms.add(t, 7001 + k));
    const bytes = encodeRows(rows, terms.ixOf);
    const json = JSON.stringify(rows).length;
    assert.ok(bytes.length * 4 < json, `${bytes.length} bytes against ${json} of JSON`);
    // 1 + 1 + 8 × (2 + 2 + 1 + 20 × 2): every number from 128 to 16,383 takes two bytes
    assert.equal(bytes.length, 2 + 8 * 45);
  });

  it('refuses damaged bytes with VITRINE_STORE_CORRUPT', () => {
    const terms = new PageTermCache();
    terms.add('x', 1);
    for (const bytes of [[2, 0], [1, 1, 1], [1, 0, 7], [1, 1, 1, 1, 1, 9]]) {
      assert.throws(() => decodeRows(Uint8Array.from(bytes), terms.termOf), { code: 'VITRINE_STORE_CORRUPT' }, String(bytes));
    }
  });
});

describe('records stored before the compact format', () => {
  it('are read and counted after the migration, beside compact ones', async () => {
    const path = join(dir, 'v2.db');
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE schema_version (version INTEGER NOT NULL)');
    old.exec(SQLITE_MIGRATIONS[0]);
    old.exec(SQLITE_MIGRATIONS[1]);
    old.exec('INSERT INTO schema_version VALUES (1), (2)');
    const oldRows = [{ rowId: 'r1', kind: 'trending', items: ['d1', 'd2'] }, { rowId: 'r2', kind: 'for-you', items: ['d3'] }];
    old.prepare('INSERT INTO impressions (page_id, user_id, ts, variant, model_version, rows) VALUES (?, ?, ?, ?, ?, ?)')
      .run('old1', 'm1', 1000, 'e:a', 'als-1', JSON.stringify(oldRows));
    old.close();

    const store = new SqliteStore(path);
    try {
      assert.deepEqual(await store.getImpression('old1'), { pageId: 'old1', userId: 'm1', ts: 1000, variant: 'e:a', modelVersion: 'als-1', rows: oldRows });
      await store.putImpression({ pageId: 'new1', userId: 'm1', ts: 2000, variant: 'e:a', rows: [{ rowId: 'r1', kind: 'trending', items: ['d1', 'd4', 'd5', 'd6'] }] });
      assert.deepEqual((await store.lastImpression('m1'))?.rows, [{ rowId: 'r1', kind: 'trending', items: ['d1', 'd4', 'd5', 'd6'] }]);
      const counts = (await store.experimentCounts(['e:a']))['e:a'];
      assert.equal(counts.pages, 2);
      assert.equal(counts.impressions, 3 + 4, 'the old record counted from its JSON, the new one from its item count');
      assert.equal(await store.deletePageRecordsBefore(1500, 10), 1, 'the old record ages out like any other');
    } finally {
      await store.close();
    }
  });
});
