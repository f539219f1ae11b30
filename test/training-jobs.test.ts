/**
 * Training jobs under hostile or unlucky conditions (issue 20): bounded parameters refused before a
 * job exists, cancellation (the version being trained is never active), and registry rows a killed
 * process left in `training` marked failed at start-up.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../src/core/config.ts';
import { VitrineError } from '../src/core/errors.ts';
import type { VitrineEvent } from '../src/core/types.ts';
import { checkTrainingRequest, registeredTrainers } from '../src/ml/registry.ts';
import { trainModels } from '../src/pipeline/model-training.ts';
import { buildApp } from '../src/serving/app.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { UNHURRIED_SERVING } from './helpers/unhurried.ts';

const NOW = Date.UTC(2026, 10, 28, 12);
const DAY = 86_400_000;

/** `count` members each renting `itemId`. */
function rentals(tag: string, itemId: string, count: number, ts: number): VitrineEvent[] {
  return Array.from({ length: count }, (_, k) => ({ id: `${tag}-${k}`, type: 'rent', userId: `${tag}-m${k}`, itemId, ts }));
}

const badParams = (fn: () => unknown, mentions: string): void => {
  assert.throws(fn, (err: unknown) => err instanceof VitrineError && err.code === 'VITRINE_MODEL_BAD_PARAMS' && err.message.includes(mentions));
};

describe('training parameters are bounded and checked before any work', () => {
  it('every algorithm\'s defaults pass its own check unchanged', () => {
    for (const [name, trainer] of registeredTrainers()) assert.deepEqual(trainer.resolveParams(undefined), { ...trainer.defaults }, name);
  });

  it('refuses counts of work past their ceiling, unknown names and non-objects', () => {
    badParams(() => checkTrainingRequest(['als'], { als: { iterations: 1e8 } }), 'iterations');
    badParams(() => checkTrainingRequest(['als'], { als: { factors: 100_000 } }), 'factors');
    badParams(() => checkTrainingRequest(['item-knn'], { 'item-knn': { k: 1e9 } }), '"k"');
    badParams(() => checkTrainingRequest(['fit'], { fit: { rounds: 1e7 } }), 'rounds');
    badParams(() => checkTrainingRequest(['hybrid'], { hybrid: { easeItems: 50_000 } }), 'easeItems');
    badParams(() => checkTrainingRequest(['hybrid'], { hybrid: { dropFeatures: 'noSuchFeature' } }), 'noSuchFeature');
    badParams(() => checkTrainingRequest(['style-clusters'], { 'style-clusters': { maxIterations: 1e6 } }), 'maxIterations');
    badParams(() => checkTrainingRequest(['popularity'], { popularity: { windowDays: -1 } }), 'windowDays');
    badParams(() => checkTrainingRequest(['popularity'], { popularity: { typo: 1 } }), 'unknown parameter "typo"');
    badParams(() => checkTrainingRequest(['als'], { als: 5 as unknown as Record<string, unknown> }), 'must be an object');
    // parameters of an algorithm not being trained are checked too
    badParams(() => checkTrainingRequest(['popularity'], { als: { iterations: 1e8 } }), 'iterations');
    assert.doesNotThrow(() => checkTrainingRequest(['als'], { als: { iterations: 1000, factors: 1024 } }), 'the ceilings themselves pass');
  });

  it('vitrine train\'s pipeline refuses them before it registers anything', async () => {
    const store = new SqliteStore(':memory:');
    try {
      await store.appendEvents(rentals('a', 'A', 3, NOW - DAY));
      await assert.rejects(trainModels(store, tmpdir(), { algorithms: ['popularity', 'als'], params: { als: { iterations: 1e8 } }, gate: false }),
        (err: unknown) => err instanceof VitrineError && err.code === 'VITRINE_MODEL_BAD_PARAMS');
      assert.deepEqual(await store.listModels(), []);
    } finally {
      await store.close();
    }
  });
});

describe('training jobs over HTTP', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ now: NOW, config: { serving: { primaryAlgorithm: 'popularity', ...UNHURRIED_SERVING } } });
    await t.store.appendEvents(rentals('a', 'A', 5, NOW - 2 * DAY));
  });
  after(async () => { await t.close(); });

  it('bad parameters are a 400 with a registered code and no job', async () => {
    for (const params of [{ als: { iterations: 1e8 } }, { popularity: { windowDays: 0 } }, { popularity: { nope: 1 } }]) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/models/train', payload: { algorithms: ['popularity'], params } });
      assert.equal(res.statusCode, 400, JSON.stringify(params));
      assert.equal(res.json().error.code, 'VITRINE_MODEL_BAD_PARAMS');
    }
    assert.equal(t.context.jobs.running(), undefined);
    assert.deepEqual(await t.store.listModels(), [], 'nothing registered');
  });

  it('a cancelled job ends cancelled; no version it made is active or left training', async () => {
    const started = await t.app.inject({ method: 'POST', url: '/v1/models/train', payload: { algorithms: ['popularity'] } });
    assert.equal(started.statusCode, 202);
    const { jobId } = started.json();
    // the worker is still starting: the cancel is in before it can train anything
    const cancelled = await t.app.inject({ method: 'POST', url: `/v1/jobs/${jobId}/cancel` });
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    assert.equal(cancelled.json().status, 'cancelled');
    assert.equal(cancelled.json().error.code, 'VITRINE_MODEL_ABORTED');
    assert.equal(t.context.jobs.running(), undefined);
    const models = await t.store.listModels();
    assert.deepEqual(models.filter((m) => m.status === 'active' || m.status === 'training'), []);
    assert.equal(t.context.models.current('popularity'), undefined, 'nothing was swapped in');

    const again = await t.app.inject({ method: 'POST', url: `/v1/jobs/${jobId}/cancel` });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'VITRINE_JOB_NOT_RUNNING');
    const unknown = await t.app.inject({ method: 'POST', url: '/v1/jobs/train-nope/cancel' });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'VITRINE_JOB_NOT_FOUND');
  });
});

describe('cancelling a run mid-training', () => {
  it('the version being trained is failed, the active one stays, nothing after it is trained', async () => {
    const store = new SqliteStore(':memory:');
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-cancel-'));
    try {
      await store.appendEvents(rentals('a', 'A', 5, NOW - DAY));
      const [kept] = await trainModels(store, dir, { algorithms: ['item-knn'], gate: false });
      assert.equal(kept.status, 'active');
      const controller = new AbortController();
      // the first progress report of item-knn cancels: the trainer's next check throws
      const run = trainModels(store, dir, {
        algorithms: ['item-knn', 'popularity'], gate: false, signal: controller.signal,
        onProgress: (algorithm) => { if (algorithm === 'item-knn') controller.abort(); },
      });
      await assert.rejects(run, (err: unknown) => err instanceof VitrineError && err.code === 'VITRINE_MODEL_ABORTED');
      const models = await store.listModels();
      const knn = models.filter((m) => m.algorithm === 'item-knn');
      assert.deepEqual(knn.map((m) => [m.version === kept.version, m.status]).sort(), [[false, 'failed'], [true, 'active']]);
      assert.deepEqual(models.filter((m) => m.algorithm === 'popularity'), [], 'popularity never started');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('start-up after a crash', () => {
  it('a registry row left in training is marked failed; the active version is untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-crashed-'));
    const store = new SqliteStore(join(dir, 'vitrine.db'));
    try {
      // what a process killed mid-training leaves behind (trainOne writes this row first)
      await store.putModel({ version: 'als-crashed', algorithm: 'als', status: 'training', createdAt: NOW, metrics: {} });
      await store.putModel({ version: 'pop-ok', algorithm: 'popularity', status: 'rejected', createdAt: NOW, metrics: {}, note: 'gate' });
      const config = resolveConfig({ dataDir: dir }, { serving: { primaryAlgorithm: 'popularity', ...UNHURRIED_SERVING } });
      const { app } = await buildApp({ config, store, logger: false, clock: () => NOW });
      try {
        const crashed = await store.getModel('als-crashed');
        assert.equal(crashed?.status, 'failed');
        assert.match(crashed?.note ?? '', /interrupted/);
        assert.equal((await store.getModel('pop-ok'))?.status, 'rejected');
        const listed = (await app.inject({ method: 'GET', url: '/v1/models' })).json();
        assert.deepEqual(listed.models.map((m: { version: string; status: string }) => [m.version, m.status]).sort(),
          [['als-crashed', 'failed'], ['pop-ok', 'rejected']]);
      } finally {
        await app.close();
      }
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
