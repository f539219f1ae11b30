/**
 * The PostgreSQL change feed (ADR 0024) and artifact chunks, with known answers: a catalogue write
 * that commits after a later one is still delivered (its xid is below what the feed saw, so a
 * sequence-number tail would skip it), nothing is delivered twice, placeholders never, a registry
 * change is told once, a lost LISTEN connection is replaced and what was written meanwhile arrives,
 * and an artifact larger than a chunk comes back byte for byte. Skips without PostgreSQL unless CI=true.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { Item } from '../src/core/types.ts';
import type { ChangeFeed } from '../src/storage/change-feed.ts';
import { getArtifactRows, putArtifactRows } from '../src/storage/postgres/artifacts.ts';
import { PostgresStore } from '../src/storage/postgres/postgres-store.ts';
import { admin, skip, throwawayDatabase } from './helpers/throwaway-postgres.ts';
import { waitFor } from './helpers/wait-for.ts';

const NOW = Date.UTC(2026, 2, 1);

describe('the PostgreSQL change feed', { skip }, () => {
  let url = '';
  let store: PostgresStore;
  let feed: ChangeFeed;
  const delivered: string[] = [];
  let registryChanges = 0;

  before(async () => {
    url = await throwawayDatabase('feed');
    store = await PostgresStore.open(url, { poolSize: 3 });
    // an older transaction still open (here; on a shared server, any session's) holds the snapshot's
    // xmin below the baseline's own writes: they must still count as seen
    const old = new pg.Client({ connectionString: url });
    await old.connect();
    try {
      await old.query('BEGIN');
      await old.query('SELECT pg_current_xact_id()');
      await store.upsertItems([{ id: 'before-feed', title: 'Old', category: 'dress' }], NOW);
      // never polls on its own here: every delivery below is a notification or an explicit catchUp()
      feed = await store.openChangeFeed({ pollIntervalMs: 3_600_000 });
      feed.start({
        items: async (items: Item[]) => { delivered.push(...items.map((i) => `${i.id}:${i.retired ? 'retired' : 'live'}`)); },
        registry: async () => { registryChanges++; },
      });
      await feed.catchUp();
    } finally {
      await old.query('COMMIT');
      await old.end();
    }
  });
  after(async () => {
    await feed?.close();
    await store?.close();
  });

  it('delivers a write that commits after a later one, each once, and never a placeholder', async () => {
    assert.equal(delivered.length, 0, 'what was written before the feed opened is the baseline');
    const slow = new pg.Client({ connectionString: url });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      await slow.query(`INSERT INTO items (id, title, category, created_at, updated_at) VALUES ('slow', 'Slow', 'dress', 1, 1)`);
      await store.upsertItems([{ id: 'fast', title: 'Fast', category: 'dress' }], NOW); // a later xid, committed first
      await waitFor(() => delivered.includes('fast:live'), 'the fast write');
      await slow.query('COMMIT');
    } finally {
      await slow.end();
    }
    await waitFor(() => delivered.includes('slow:live'), 'the write that committed late');
    await store.appendEvents([{ id: 'e1', type: 'view', userId: 'm1', itemId: 'placeholder-1', ts: NOW }]);
    await store.retireItem('fast', NOW);
    await waitFor(() => delivered.includes('fast:retired'), 'the retirement');
    await feed.catchUp();
    assert.deepEqual(delivered, ['fast:live', 'slow:live', 'fast:retired']);
  });

  it('tells a registry change once', async () => {
    const seen = registryChanges;
    await store.putModels([{ version: 'v1', algorithm: 'popularity', status: 'active', createdAt: NOW, metrics: {} }]);
    await waitFor(() => registryChanges === seen + 1, 'the registry change');
    await feed.catchUp();
    assert.equal(registryChanges, seen + 1);
  });

  it('replaces a lost LISTEN connection and delivers what was written while it was gone', async () => {
    const { rowCount } = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'vitrine-changes' AND datname = $1",
      [new URL(url).pathname.slice(1)]);
    assert.equal(rowCount, 1);
    await store.upsertItems([{ id: 'while-gone', title: 'Gone', category: 'dress' }], NOW);
    // no poll for an hour: only the reconnect (after ~1 s) can bring it
    await waitFor(() => delivered.includes('while-gone:live'), 'the write made while the listener was gone', 5000);
    await store.upsertItems([{ id: 'after-reconnect', title: 'Back', category: 'dress' }], NOW);
    await waitFor(() => delivered.includes('after-reconnect:live'), 'a notification on the new connection');
  });

  it('stores an artifact in chunks and returns it byte for byte', async () => {
    const big = Buffer.from(Array.from({ length: 2500 }, (_, k) => (k * 7) % 256));
    await putArtifactRows(store.pool, 'v-big', [{ name: 'factors.f32', bytes: big }, { name: 'empty.json', bytes: Buffer.alloc(0) }], 1000);
    const { rows } = await store.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM model_artifacts WHERE version = 'v-big'");
    assert.equal(rows[0].n, 4, '3 chunks of factors, 1 of the empty file');
    const back = await getArtifactRows(store.pool, 'v-big');
    assert.deepEqual(back?.map((f) => [f.name, f.bytes.length]), [['empty.json', 0], ['factors.f32', 2500]]);
    assert.ok(back?.[1].bytes.equals(big));
    assert.equal(await getArtifactRows(store.pool, 'missing'), null);
  });
});
