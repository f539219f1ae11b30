import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_CONFIG } from '../src/core/config.ts';
import { VitrineError } from '../src/core/errors.ts';
import type { VitrineEvent } from '../src/core/types.ts';
import { trainModels } from '../src/pipeline/model-training.ts';
import type { GateOptions } from '../src/pipeline/validation-gate.ts';
import { CORRUPT_ITEM_PREFIX, faultFromEnv, withFault } from '../src/serving/models/fault-injection.ts';
import { RegistryModelManager } from '../src/serving/models/model-manager.ts';
import type { AlsModel } from '../src/ml/als/als-model.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import type { ModelRecord } from '../src/storage/store.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { clearWinnerWorld } from './helpers/clear-winner-world.ts';

const NOW = Date.UTC(2026, 10, 28, 12);
const DAY = 86_400_000;

/** `count` members each renting `itemId` (ids unique per call through `tag`). */
function rentals(tag: string, itemId: string, count: number, ts: number): VitrineEvent[] {
  return Array.from({ length: count }, (_, k) => ({ id: `${tag}-${k}`, type: 'rent', userId: `${tag}-m${k}`, itemId, ts }));
}

/** Flips one byte of a payload file of the artifact: its sha256 no longer matches the manifest. */
function tamper(dataDir: string, record: ModelRecord): void {
  const dir = join(dataDir, record.artifactPath as string);
  const file = join(dir, readdirSync(dir).find((f) => f !== 'manifest.json') as string);
  const bytes = readFileSync(file);
  bytes[0] ^= 0xff;
  writeFileSync(file, bytes);
}

describe('a model is prepared for serving as it loads', () => {
  it('ALS: the fold-in Gram is computed at load, not by the first page that folds a member in (issue 22)', async () => {
    const t = await testApp({ now: NOW, config: { serving: { primaryAlgorithm: 'als' } } });
    try {
      const events = Array.from({ length: 30 }, (_, k): VitrineEvent => ({ id: `p-${k}`, type: 'rent', userId: `m${k % 6}`, itemId: `I${k % 5}`, ts: NOW - DAY + k }));
      await t.store.appendEvents(events);
      const [als] = await trainModels(t.store, t.dir, { algorithms: ['als'], clock: () => NOW });
      assert.equal(als.status, 'active');
      await t.context.models.reload();
      const model = t.context.models.current('als')?.model as AlsModel | undefined;
      assert.equal(model?.algorithm, 'als');
      assert.equal(model?.foldInPrepared, true);
    } finally {
      await t.close();
    }
  });
});

describe('model lifecycle', () => {
  let t: TestApp;
  let tick = NOW;
  const clock = () => (tick += 1000);
  let v1: ModelRecord;
  let v2: ModelRecord;
  const top = (algorithm: string, which: 'current' | 'previous' = 'current') =>
    t.context.models[which](algorithm)?.model.recommend({ userId: 'anyone' }, 1)[0]?.itemId;

  before(async () => {
    t = await testApp({ now: NOW, config: { serving: { primaryAlgorithm: 'popularity' } } });
    await t.store.appendEvents([...rentals('a', 'A', 3, NOW - 2 * DAY), ...rentals('b', 'B', 1, NOW - 2 * DAY)]);
    [v1] = await trainModels(t.store, t.dir, { algorithms: ['popularity'], clock });
    await t.store.appendEvents(rentals('b2', 'B', 5, NOW - DAY));
    [v2] = await trainModels(t.store, t.dir, { algorithms: ['popularity'], clock });
  });
  after(async () => { await t.close(); });

  it('loads the registry\'s active and previous versions', async () => {
    await t.context.models.reload();
    assert.equal(t.context.models.current()?.version, v2.version, 'the primary algorithm by default');
    assert.equal(t.context.models.previous('popularity')?.version, v1.version);
    assert.equal(top('popularity'), 'B');
    assert.equal(top('popularity', 'previous'), 'A');
  });

  it('POST /v1/models/:version/activate swaps the serving model; the one it replaces becomes previous', async () => {
    const pageVersion = async () => (await t.app.inject({ method: 'GET', url: '/v1/users/a/page' })).json().modelVersion;
    assert.equal(await pageVersion(), v2.version);
    const generation = t.context.models.generation;
    const res = await t.app.inject({ method: 'POST', url: `/v1/models/${v1.version}/activate` });
    assert.equal(res.statusCode, 200);
    assert.ok(t.context.models.generation > generation, 'a swap moves the generation');
    assert.equal(await pageVersion(), v1.version, 'the next page comes from the activated version though its rows were cached');
    assert.equal(res.json().model.status, 'active');
    assert.equal(top('popularity'), 'A');
    assert.equal(t.context.models.previous('popularity')?.version, v2.version);
    const listed = (await t.app.inject({ method: 'GET', url: '/v1/models' })).json();
    const status = Object.fromEntries(listed.models.map((m: ModelRecord) => [m.version, m.status]));
    assert.deepEqual(status, { [v1.version]: 'active', [v2.version]: 'previous' });
    assert.deepEqual(listed.serving.popularity, { current: v1.version, previous: v2.version });
  });

  it('POST /v1/models/rollback restores the previous version; with none left it is a 409', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/models/rollback', payload: { algorithm: 'popularity' } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().active.version, v2.version);
    assert.equal(res.json().retired.version, v1.version);
    assert.match(res.json().retired.note, /rolled back/);
    assert.equal(top('popularity'), 'B');
    const again = await t.app.inject({ method: 'POST', url: '/v1/models/rollback' });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'VITRINE_MODEL_NO_PREVIOUS');
  });

  it('activating a version that does not exist is a 404', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/models/nope-1/activate' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'VITRINE_MODEL_NOT_FOUND');
  });

  it('a tampered artifact never replaces the running model, by reload or by activate', async () => {
    await t.store.appendEvents(rentals('c', 'C', 20, NOW - DAY / 2));
    const [v3] = await trainModels(t.store, t.dir, { algorithms: ['popularity'], clock });
    assert.equal(v3.status, 'active', 'the registry points at it …');
    tamper(t.dir, v3);
    await t.context.models.reload();
    assert.equal(t.context.models.current('popularity')?.version, v2.version, '… but serving keeps the running one');
    assert.equal(top('popularity'), 'B');
    assert.equal((await t.store.getModel(v3.version))?.status, 'rejected');
    assert.equal((await t.store.getModel(v2.version))?.status, 'active', 'the registry says what is served');

    const res = await t.app.inject({ method: 'POST', url: `/v1/models/${v3.version}/activate` });
    assert.equal(res.statusCode, 500);
    assert.equal(res.json().error.code, 'VITRINE_MODEL_ARTIFACT_CORRUPT');
    assert.equal(t.context.models.current('popularity')?.version, v2.version);
  });

  it('POST /v1/models/train trains in a worker, hot-swaps what passes; a second train meanwhile is a 409', async () => {
    await t.store.appendEvents(rentals('d', 'D', 40, NOW - DAY / 4));
    const started = await t.app.inject({ method: 'POST', url: '/v1/models/train', payload: { algorithms: ['popularity'] } });
    assert.equal(started.statusCode, 202);
    const { jobId, status } = started.json();
    assert.equal(status, 'running');
    const second = await t.app.inject({ method: 'POST', url: '/v1/models/train' });
    assert.equal(second.statusCode, 409);
    assert.equal(second.json().error.code, 'VITRINE_MODEL_TRAINING_BUSY');
    assert.equal(top('popularity'), 'B', 'serving goes on with the old model meanwhile');

    const job = await t.context.jobs.done(jobId);
    assert.equal(job?.status, 'succeeded', JSON.stringify(job?.error));
    const polled = (await t.app.inject({ method: 'GET', url: `/v1/jobs/${jobId}` })).json();
    assert.equal(polled.status, 'succeeded');
    assert.equal(polled.models[0].status, 'active');
    assert.equal(t.context.models.current('popularity')?.version, polled.models[0].version);
    assert.equal(top('popularity'), 'D', 'the new version serves');
    assert.equal(t.context.models.previous('popularity')?.version, v2.version);
  });

  it('bad training requests and unknown jobs', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/v1/models/train', payload: { algorithms: ['nope'] } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'VITRINE_MODEL_UNKNOWN_ALGORITHM');
    assert.equal(t.context.jobs.running(), undefined, 'a refused request starts nothing');
    const missing = await t.app.inject({ method: 'GET', url: '/v1/jobs/train-nope' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'VITRINE_JOB_NOT_FOUND');
  });
});

describe('validation gate', () => {
  let dir: string;
  let store: SqliteStore;
  let tick = NOW;
  const clock = () => (tick += 1000);
  const gate: GateOptions = { ...DEFAULT_CONFIG.training.gate, algorithms: ['item-knn', 'popularity-recent'], testFraction: 0.04 };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitrine-gate-'));
    store = new SqliteStore(join(dir, 'v.db'));
    // group A's later rental, P, is found by popularity; item-kNN sends A members to c-items
    await store.appendEvents(clearWinnerWorld(NOW));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a candidate worse than popularity on the recent period is rejected, with its metrics', async () => {
    const [knn] = await trainModels(store, dir, { algorithms: ['item-knn'], gate, clock });
    assert.equal(knn.status, 'rejected');
    assert.equal(knn.metrics['ndcg@10'], 0);
    assert.equal(knn.metrics['popularity.ndcg@10'], 1);
    assert.equal(knn.metrics.gateUsers, 20);
    assert.match(knn.note ?? '', /validation gate: ndcg@10 0\.0000 < 0\.5 × popularity's 1\.0000/);
    assert.ok(knn.artifactPath, 'kept: an operator may still activate it by hand');
  });

  it('a candidate that reaches both bars is activated; one below the active version is rejected', async () => {
    const [recent] = await trainModels(store, dir, { algorithms: ['popularity-recent'], gate, clock });
    assert.equal(recent.status, 'active');
    assert.equal(recent.metrics['ndcg@10'], 1);
    // a 1-day window sees nothing of the train period: below the active version (and popularity)
    const [narrow] = await trainModels(store, dir, { algorithms: ['popularity-recent'], params: { 'popularity-recent': { windowDays: 1 } }, gate: { ...gate, minVsPopularity: 0 }, clock });
    assert.equal(narrow.status, 'rejected');
    assert.equal(narrow.metrics['active.ndcg@10'], 1);
    assert.equal(narrow.metrics['ndcg@10'], 0);
    assert.equal((await store.getModel(recent.version))?.status, 'active', 'the active version stays');
  });

  it('data too thin to judge: the first version of an algorithm activates, a later one is refused', async () => {
    const thinDir = mkdtempSync(join(tmpdir(), 'vitrine-thin-'));
    const thin = new SqliteStore(join(thinDir, 'v.db'));
    try {
      await thin.appendEvents(rentals('t', 'X', 2, NOW));
      const [first] = await trainModels(thin, thinDir, { algorithms: ['popularity-recent'], gate, clock });
      assert.equal(first.status, 'active');
      assert.match(first.note ?? '', /cannot judge/);
      const [second] = await trainModels(thin, thinDir, { algorithms: ['popularity-recent'], gate, clock });
      assert.equal(second.status, 'rejected');
      assert.match(second.note ?? '', new RegExp(`${first.version} stays active`));
    } finally {
      await thin.close();
      rmSync(thinDir, { recursive: true, force: true });
    }
  });
});

describe('fault injection (VITRINE_FAULT)', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ now: NOW });
    await t.store.appendEvents([...rentals('a', 'A', 3, NOW - DAY), ...rentals('b', 'B', 1, NOW - DAY)]);
    await trainModels(t.store, t.dir, { algorithms: ['popularity'], gate: false });
    await trainModels(t.store, t.dir, { algorithms: ['popularity'], gate: false });
  });
  after(async () => { await t.close(); });

  const manager = (fault: 'model-throw' | 'model-hang' | 'model-corrupt') =>
    new RegistryModelManager({ store: t.store, dataDir: t.dir, primaryAlgorithm: 'popularity', fault });

  it('is off unless set; an unknown value stops start-up', () => {
    assert.equal(faultFromEnv({}), undefined);
    assert.equal(faultFromEnv({ VITRINE_FAULT: 'model-hang' }), 'model-hang');
    assert.throws(() => faultFromEnv({ VITRINE_FAULT: 'model-melt' }), (e: unknown) => e instanceof VitrineError && e.code === 'VITRINE_CONFIG_INVALID');
    assert.equal(t.context.fault, undefined);
  });

  it('model-throw: the current model throws; the previous version still answers', async () => {
    const m = manager('model-throw');
    await m.reload();
    assert.throws(() => m.current()?.model.recommend({ userId: 'x' }, 5), /fault injected/);
    assert.throws(() => m.current()?.model.similar('A', 5), /fault injected/);
    assert.equal(m.previous()?.model.recommend({ userId: 'x' }, 1)[0].itemId, 'A');
  });

  it('model-hang: every prediction is a promise that never settles', async () => {
    const m = manager('model-hang');
    await m.reload();
    const hung = Promise.resolve(m.current()?.model.recommend({ userId: 'x' }, 5)).then(() => 'settled');
    const turn = new Promise((resolve) => setImmediate(() => resolve('still pending')));
    assert.equal(await Promise.race([hung, turn]), 'still pending');
  });

  it('model-corrupt: lists of non-finite scores and unknown item ids', async () => {
    const m = manager('model-corrupt');
    await m.reload();
    const list = m.current()?.model.recommend({ userId: 'x' }, 4) ?? [];
    assert.equal(list.length, 4);
    assert.ok(list.every((r) => !Number.isFinite(r.score)));
    assert.ok(list.some((r) => r.itemId.startsWith(CORRUPT_ITEM_PREFIX)));
    assert.ok(Array.from(m.current()?.model.score({ userId: 'x' }, ['A', 'B']) ?? []).every(Number.isNaN));
    const plain = withFault(m.previous()?.model as NonNullable<ReturnType<typeof m.previous>>['model'], 'model-corrupt');
    assert.equal(plain.algorithm, 'popularity');
  });
});
