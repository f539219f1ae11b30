/**
 * The HTTP API on a PostgreSQL store (issue 23): what `vitrine serve --store postgres://…` does, in
 * process. Events are acknowledged with the database's duplicate count, a page leaves out what the
 * member holds and its record lands in PostgreSQL, and a forgotten member leaves no row behind.
 * Skips without a reachable server unless CI=true (helpers/throwaway-postgres.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../src/core/config.ts';
import { buildApp, type VitrineApp } from '../src/serving/app.ts';
import { openStore } from '../src/storage/open-store.ts';
import type { PostgresStore } from '../src/storage/postgres/postgres-store.ts';
import { skip, throwawayDatabase } from './helpers/throwaway-postgres.ts';
import { UNHURRIED_SERVING } from './helpers/unhurried.ts';

const NOW = Date.UTC(2026, 2, 1);
const ITEMS = Array.from({ length: 12 }, (_, k) => ({ id: `look-${k}`, title: `Look ${k}`, category: 'dress', sizes: { 8: 3 } }));

describe('the API on a PostgreSQL store', { skip }, () => {
  let dir = '';
  let store: PostgresStore;
  let v: VitrineApp;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitrine-api-pg-'));
    const url = await throwawayDatabase('api');
    store = await openStore(url, { postgres: { poolSize: 4 } }) as PostgresStore;
    const config = resolveConfig({ dataDir: dir, store: { url }, training: { inWorker: false }, serving: { impressionFlushMs: 0, ...UNHURRIED_SERVING } });
    v = await buildApp({ config, store, logger: false, clock: () => NOW });
  });
  after(async () => {
    await v?.app.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Rows of the member's in PostgreSQL, read beside the store's API. */
  const traces = async (userId: string) => {
    const { rows } = await store.pool.query<{ users: number; events: number; pages: number }>(`SELECT
      (SELECT count(*) FROM users WHERE id = $1)::int AS users, (SELECT count(*) FROM events WHERE user_id = $1)::int AS events,
      (SELECT count(*) FROM impressions WHERE user_id = $1)::int AS pages`, [userId]);
    return rows[0];
  };

  it('acknowledges events with duplicates counted, serves a page without held items, logs it, and forgets', async () => {
    assert.equal((await v.app.inject({ method: 'POST', url: '/v1/items/batch', payload: { items: ITEMS } })).statusCode, 200);
    assert.equal((await v.app.inject({ method: 'PUT', url: '/v1/users/ann', payload: { sizes: ['8'] } })).statusCode, 201);
    const rent = { id: 'rent-1', type: 'rent', userId: 'ann', itemId: 'look-0', size: '8', ts: NOW - 1000 };
    const posted = await v.app.inject({ method: 'POST', url: '/v1/events', payload: { events: [
      rent, rent, { id: 'view-1', type: 'view', userId: 'ann', itemId: 'look-1', ts: NOW - 500 },
      { id: 'view-2', type: 'view', userId: 'bea', itemId: 'look-0', ts: NOW - 400 },
    ] } });
    assert.deepEqual(posted.json(), { accepted: 3, duplicates: 1, rejected: [] });
    assert.deepEqual(await traces('ann'), { users: 1, events: 2, pages: 0 });
    assert.deepEqual(await traces('bea'), { users: 1, events: 1, pages: 0 }, 'a member first seen in an event is created');

    const page = await v.app.inject({ url: '/v1/users/ann/page?rows=3&size=4' });
    assert.equal(page.statusCode, 200);
    const shown = (page.json() as { rows: Array<{ items: Array<{ itemId: string }> }> }).rows.flatMap((r) => r.items.map((i) => i.itemId));
    assert.ok(shown.length > 0, 'the page has items');
    assert.ok(!shown.includes('look-0'), 'the rented item is not offered again');
    await v.context.serving.apply({ kind: 'flush' });
    assert.equal((await traces('ann')).pages, 1, 'the page record is in PostgreSQL');

    assert.deepEqual((await v.app.inject({ method: 'DELETE', url: '/v1/users/ann' })).json(), { id: 'ann', forgotten: true });
    assert.deepEqual(await traces('ann'), { users: 0, events: 0, pages: 0 });
    assert.deepEqual((await v.app.inject({ url: '/v1/stats' })).json(), { items: 12, users: 1, events: 1, store: 'postgres' });
    assert.deepEqual((await v.app.inject({ url: '/readyz' })).json(), { status: 'ready', store: 'postgres' });
  });

  it('what PostgreSQL cannot store (U+0000 in text, a position past 32 bits) is one rejected entry, never a failed batch', async () => {
    const good = { id: 'ok-1', type: 'view', userId: 'cat', itemId: 'look-2', ts: NOW - 100 };
    const events = await v.app.inject({ method: 'POST', url: '/v1/events', payload: { events: [
      { ...good, id: 'nul-size', type: 'rent', size: '8\u0000' },
      { ...good, id: 'nul-occasion', occasion: 'party\u0000' },
      { ...good, id: 'far-position', context: { position: 2 ** 31 } },
      good,
    ] } });
    assert.equal(events.statusCode, 200);
    const body = events.json() as { accepted: number; rejected: Array<{ index: number; code: string }> };
    assert.equal(body.accepted, 1);
    assert.deepEqual(body.rejected.map((r) => [r.index, r.code]), [[0, 'VITRINE_EVENT_INVALID'], [1, 'VITRINE_EVENT_INVALID'], [2, 'VITRINE_EVENT_INVALID']]);
    assert.deepEqual((await store.userEvents('cat')).map((e) => e.id), ['ok-1']);

    const items = await v.app.inject({ method: 'POST', url: '/v1/items/batch', payload: { items: [
      { id: 'nul-title', title: 'Bad\u0000title', category: 'dress' }, { id: 'fine', title: 'Fine', category: 'dress' },
    ] } });
    assert.equal(items.statusCode, 200);
    assert.deepEqual((items.json() as { results: Array<{ status: string }> }).results.map((r) => r.status), ['rejected', 'created']);
    assert.equal(await store.getItem('nul-title'), null);

    const carousel = await v.app.inject({ method: 'PUT', url: '/v1/carousels/c1', payload: { title: 'Nul\u0000', itemIds: ['fine'], personalize: false } });
    assert.equal(carousel.statusCode, 400);
  });
});
