/**
 * Several nodes on one PostgreSQL database (issue 23, ADR 0024), each with its own empty data
 * directory: a model trained by another process is fetched from PostgreSQL; a version activated or
 * rolled back through node A is served by node B (whose pages come from a page worker); an item
 * written through A is in B's pages, and a retired one leaves them. The nodes poll once a minute here, so what is seen sooner came by
 * LISTEN/NOTIFY; the feed's own tests cover a commit that arrives late and a lost LISTEN connection.
 * One trainer at a time: a second gets VITRINE_MODEL_TRAINING_BUSY. Skips without PostgreSQL unless CI=true.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../src/core/config.ts';
import { VitrineError } from '../src/core/errors.ts';
import type { VitrineEvent } from '../src/core/types.ts';
import { failInterruptedTraining } from '../src/pipeline/interrupted-training.ts';
import { trainModels } from '../src/pipeline/model-training.ts';
import { buildApp, type VitrineApp } from '../src/serving/app.ts';
import { openStore } from '../src/storage/open-store.ts';
import type { PostgresStore } from '../src/storage/postgres/postgres-store.ts';
import { skip, throwawayDatabase } from './helpers/throwaway-postgres.ts';
import { waitFor } from './helpers/wait-for.ts';

const NOW = Date.UTC(2026, 2, 1);
const DAY = 86_400_000;
const ITEMS = Array.from({ length: 12 }, (_, k) => ({ id: `look-${k}`, title: `Look ${k}`, category: 'dress', sizes: { 8: 3 } }));
const ALGORITHMS = ['item-knn', 'popularity'];

interface Node { v: VitrineApp; store: PostgresStore; dir: string }

describe('nodes sharing one PostgreSQL database', { skip }, () => {
  let url = '';
  let trainerDir = '';
  let trainer: PostgresStore;
  let a: Node;
  let b: Node;
  const dirs: string[] = [];
  const tempDir = (name: string) => {
    const dir = mkdtempSync(join(tmpdir(), `vitrine-scale-${name}-`));
    dirs.push(dir);
    return dir;
  };
  // node B composes pages in a page worker (ADR 0010): changes must reach the worker, not only its HTTP thread
  const node = async (name: string, pageWorkers = 0): Promise<Node> => {
    const dir = tempDir(name);
    const store = await openStore(url, { postgres: { poolSize: 4 } }) as PostgresStore;
    const config = resolveConfig({
      dataDir: dir, store: { url, changePollMs: 60_000 }, training: { inWorker: false },
      serving: { primaryAlgorithm: 'item-knn', impressionFlushMs: 0, pageWorkers },
    });
    return { v: await buildApp({ config, store, logger: false, clock: () => NOW }), store, dir };
  };
  const servingOf = async (n: Node, algorithm: string) =>
    ((await n.v.app.inject({ url: '/v1/models' })).json() as { serving: Record<string, { current?: string; previous?: string }> }).serving[algorithm];
  const pageOf = async (n: Node, userId: string) => {
    const r = await n.v.app.inject({ url: `/v1/users/${userId}/page?rows=9&size=20` });
    assert.equal(r.statusCode, 200, r.body);
    return (r.json() as { rows: Array<{ items: Array<{ itemId: string }> }> }).rows.flatMap((row) => row.items.map((i) => i.itemId));
  };
  const pageVersionOf = async (n: Node, userId: string) =>
    ((await n.v.app.inject({ url: `/v1/users/${userId}/page?rows=3&size=5` })).json() as { modelVersion: string | null }).modelVersion;
  const activeVersions = async (algorithm: string) => (await trainer.listModels()).filter((m) => m.algorithm === algorithm);

  before(async () => {
    url = await throwawayDatabase('scale');
    trainerDir = tempDir('trainer');
    trainer = await openStore(url, { postgres: { poolSize: 2 } }) as PostgresStore;
    await trainer.upsertItems(ITEMS, NOW - 30 * DAY);
    await trainer.upsertUser('ann', { sizes: ['8'] }, NOW - 30 * DAY);
    const events: VitrineEvent[] = [];
    for (let m = 0; m < 6; m++) {
      for (let k = 0; k < 6; k++) events.push({ id: `r${m}-${k}`, type: 'rent', userId: `m${m}`, itemId: `look-${(m + k) % 12}`, ts: NOW - 10 * DAY });
    }
    await trainer.appendEvents(events);
    // what `vitrine train --store postgres://…` does on a machine of its own: two versions of each
    for (let k = 0; k < 2; k++) await trainModels(trainer, trainerDir, { algorithms: ALGORITHMS, gate: false });
    a = await node('a');
    b = await node('b', 1);
  });
  after(async () => {
    for (const n of [a, b]) {
      await n?.v.app.close();
      await n?.store.close();
    }
    await trainer?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('loads versions trained on another machine from PostgreSQL into an empty data directory', async () => {
    const [active, previous] = ['active', 'previous'].map((s) => (async () => (await activeVersions('item-knn')).find((m) => m.status === s)?.version)());
    const want = { current: await active, previous: await previous };
    assert.ok(want.current && want.previous);
    for (const n of [a, b]) {
      assert.deepEqual(await servingOf(n, 'item-knn'), want);
      assert.ok(existsSync(join(n.dir, 'models', want.current, 'manifest.json')), 'fetched into the node\'s data directory');
    }
  });

  it('a node that cannot fetch a version (its disk, not the version) fails to start and rejects nothing', async () => {
    const statuses = async () => (await trainer.listModels()).map((m) => `${m.version}:${m.status}`).sort();
    const before = await statuses();
    const dir = tempDir('broken');
    writeFileSync(join(dir, 'models'), 'a file where the models directory should be');
    const store = await openStore(url, { postgres: { poolSize: 2 } }) as PostgresStore;
    try {
      const config = resolveConfig({ dataDir: dir, store: { url, changePollMs: 60_000 }, training: { inWorker: false }, serving: { primaryAlgorithm: 'item-knn' } });
      await assert.rejects(buildApp({ config, store, logger: false, clock: () => NOW }), /ENOTDIR|EEXIST|not a directory/);
    } finally {
      await store.close();
    }
    assert.deepEqual(await statuses(), before, 'the shared registry is untouched');
  });

  it('node B serves the version activated through node A, then the rollback', async () => {
    const before = await servingOf(b, 'item-knn');
    const older = before.previous as string;
    const activated = await a.v.app.inject({ method: 'POST', url: `/v1/models/${older}/activate` });
    assert.equal(activated.statusCode, 200, activated.body);
    await waitFor(async () => (await servingOf(b, 'item-knn')).current === older, 'B serving the version A activated', 10_000);
    assert.deepEqual(await servingOf(b, 'item-knn'), { current: older, previous: before.current });
    await waitFor(async () => await pageVersionOf(b, 'ann') === older, 'B\'s page worker composing with it', 10_000);

    const rolledBack = await a.v.app.inject({ method: 'POST', url: '/v1/models/rollback', payload: { algorithm: 'item-knn' } });
    assert.equal(rolledBack.statusCode, 200, rolledBack.body);
    await waitFor(async () => (await servingOf(b, 'item-knn')).current === before.current, 'B serving the rollback', 10_000);
    await waitFor(async () => await pageVersionOf(b, 'ann') === before.current, 'B\'s page worker composing with the rollback', 10_000);
  });

  it('an item written through node A is in node B\'s pages; one retired through A leaves them', async () => {
    assert.ok(!(await pageOf(b, 'ann')).includes('fresh-look'));
    const put = await a.v.app.inject({ method: 'PUT', url: '/v1/items/fresh-look', payload: { title: 'Fresh', category: 'dress', sizes: { 8: 2 } } });
    assert.equal(put.statusCode, 201, put.body);
    await waitFor(async () => (await pageOf(b, 'ann')).includes('fresh-look'), 'the new item in B\'s page', 2000);

    assert.ok((await pageOf(b, 'ann')).includes('look-3'));
    assert.equal((await a.v.app.inject({ method: 'DELETE', url: '/v1/items/look-3' })).statusCode, 200);
    await waitFor(async () => !(await pageOf(b, 'ann')).includes('look-3'), 'the retired item gone from B\'s page', 2000);
  });

  it('lets one trainer run at a time across processes, and leaves a live run\'s rows alone', async () => {
    const held = await trainer.tryTrainingLock();
    assert.ok(held, 'the lock is free between runs');
    try {
      await assert.rejects(trainModels(a.store, a.dir, { algorithms: ['popularity'], gate: false }),
        (err: unknown) => err instanceof VitrineError && err.code === 'VITRINE_MODEL_TRAINING_BUSY');
      await trainer.putModel({ version: 'live-run', algorithm: 'popularity', status: 'training', createdAt: NOW, metrics: {} });
      assert.deepEqual(await failInterruptedTraining(b.store, 'stopped'), [], 'a run holding the lock is live, not stuck');
    } finally {
      await held.release();
    }
    assert.deepEqual((await failInterruptedTraining(b.store, 'stopped')).map((m) => m.version), ['live-run']);
    const records = await trainModels(a.store, a.dir, { algorithms: ['popularity'], gate: false });
    assert.equal(records[0].status, 'active', 'the next trainer runs once the lock is free');
  });

  it('removes a collected version\'s bytes from PostgreSQL (models.keepVersions)', async () => {
    const counts = async () => new Map((await trainer.pool.query<{ version: string; n: number }>(
      'SELECT version, count(*)::int AS n FROM model_artifacts GROUP BY version')).rows.map((r) => [r.version, r.n]));
    await trainModels(trainer, trainerDir, { algorithms: ['item-knn'], gate: false, keepVersions: 1 });
    const records = await activeVersions('item-knn');
    const stored = await counts();
    for (const r of records) {
      assert.equal(stored.has(r.version), r.artifactPath !== undefined, `${r.version} (${r.status}): bytes stored iff it keeps an artifact`);
    }
    assert.ok(records.some((r) => r.artifactPath === undefined), 'something was collected');
  });
});
