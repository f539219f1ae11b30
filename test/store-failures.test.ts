/**
 * When the store cannot write, POST /v1/events answers 503 with a typed code and writes NOTHING of
 * the batch (API.md: a 200 means durable, so anything else must mean "not written, retry").
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { testApp, type TestApp } from './helpers/app.ts';

const NOW = Date.UTC(2026, 10, 28, 12);

const views = (prefix: string, n: number, idPad = 0) => Array.from({ length: n }, (_, i) => ({
  id: `${prefix}-${String(i).padStart(idPad, '0')}`, type: 'view', userId: `u${i % 7}`, itemId: `i${i % 11}`, ts: NOW - 1000,
}));

describe('store full: a size-capped store refuses the batch that overflows it', () => {
  let t: TestApp;
  // room for a few hundred small events, not for a thousand with 120-character ids
  before(async () => { t = await testApp({ now: NOW, sqlite: { maxSizeBytes: 256 * 1024 } }); });
  after(async () => { await t.close(); });
  const post = (events: object[]) => t.app.inject({ method: 'POST', url: '/v1/events', payload: { events } });

  it('503 VITRINE_STORE_FULL, nothing of the batch stored, earlier events intact, small batches still fit', async () => {
    const first = await post(views('early', 100));
    assert.deepEqual(first.json(), { accepted: 100, duplicates: 0, rejected: [] });
    const countBefore = await t.store.countEvents();

    const overflow = await post(views('x'.repeat(110), 1000, 6));
    assert.equal(overflow.statusCode, 503);
    assert.equal(overflow.json().error.code, 'VITRINE_STORE_FULL');
    assert.equal(await t.store.countEvents(), countBefore, 'nothing of the refused batch is stored');
    const stored = t.store.db.prepare("SELECT count(*) FROM events WHERE id LIKE 'early-%'").pluck().get();
    assert.equal(stored, 100, 'the acknowledged events are intact');

    const small = await post(views('after-full', 3));
    assert.deepEqual(small.json(), { accepted: 3, duplicates: 0, rejected: [] });
  });

  it('two batches committed together: only the one that overflows is refused', async () => {
    const [fits, overflows] = await Promise.all([post(views('pair-small', 5)), post(views('y'.repeat(110), 1000, 6))]);
    assert.deepEqual(fits.json(), { accepted: 5, duplicates: 0, rejected: [] });
    assert.equal(overflows.statusCode, 503);
    assert.equal(overflows.json().error.code, 'VITRINE_STORE_FULL');
    assert.equal(t.store.db.prepare("SELECT count(*) FROM events WHERE id LIKE 'yyy%'").pluck().get(), 0);
  });
});

describe('store busy: another connection holds the write lock', () => {
  let t: TestApp;
  let locker: Database.Database;
  before(async () => {
    t = await testApp({ now: NOW, sqlite: { busyTimeoutMs: 50 } });
    locker = new Database(join(t.dir, 'vitrine.db'));
  });
  after(async () => {
    if (locker.inTransaction) locker.exec('ROLLBACK');
    locker.close();
    await t.close();
  });
  const post = (events: object[]) => t.app.inject({ method: 'POST', url: '/v1/events', payload: { events } });

  it('503 VITRINE_STORE_BUSY with nothing stored; the same batch succeeds once the lock is released', async () => {
    const batch = views('busy', 20);
    locker.exec('BEGIN IMMEDIATE');
    const refused = await post(batch);
    assert.equal(refused.statusCode, 503);
    assert.equal(refused.json().error.code, 'VITRINE_STORE_BUSY');
    // readers are not blocked by the writer in WAL mode, so the count is visible while locked
    assert.equal(await t.store.countEvents(), 0, 'nothing of the refused batch is stored');

    locker.exec('ROLLBACK');
    const retried = await post(batch);
    assert.deepEqual(retried.json(), { accepted: 20, duplicates: 0, rejected: [] });
    assert.equal(await t.store.countEvents(), 20);
  });
});
