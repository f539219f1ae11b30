import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DAY_MS } from '../src/core/time.ts';
import type { Fit, VitrineEvent } from '../src/core/types.ts';
import { FitRankingModel } from '../src/ml/fit/fit-trainer.ts';
import { getTrainer } from '../src/ml/registry.ts';
import { trainModels } from '../src/pipeline/model-training.ts';
import { loadTrainingData } from '../src/pipeline/training-data.ts';
import { openStore } from '../src/storage/open-store.ts';
import { testApp } from './helpers/app.ts';

const T0 = Date.UTC(2024, 0, 1);
const MEMBERS = 200;

/**
 * 200 members in size 8 rent three dresses: `runs-small` comes back "small" from everyone, the two
 * others "fit". The feedback arrives on the return, as in the synthetic world.
 */
function fitWorld(): VitrineEvent[] {
  const events: VitrineEvent[] = [];
  let n = 0;
  for (let u = 0; u < MEMBERS; u++) {
    for (const [itemId, fit] of [['runs-small', 'small'], ['true-a', 'fit'], ['true-b', 'fit']] as Array<[string, Fit]>) {
      const day = (n++ % 50) + 1;
      const base = { userId: `m${u}`, itemId, size: '8' };
      events.push({ id: `r${n}`, type: 'rent', ts: T0 + day * DAY_MS, ...base });
      events.push({ id: `t${n}`, type: 'return', ts: T0 + (day + 4) * DAY_MS, fit, ...base });
    }
  }
  return events;
}

test('the pipeline trains the fit model from returns with fit feedback; it predicts what runs small, and reloads the same', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-fit-'));
  const store = await openStore('sqlite::memory:');
  try {
    await store.upsertItems(['runs-small', 'true-a', 'true-b'].map((id) => ({ id, title: id, category: 'dress', sizes: { '8': 2 } })), T0);
    await store.appendEvents(fitWorld());
    const data = await loadTrainingData(store);
    assert.equal(data.fitFeedback.users.length, 3 * MEMBERS, 'every return carries fit feedback');
    assert.equal(data.interactions.users.length, 3 * MEMBERS, 'positives are the rents');

    const [record] = await trainModels(store, dir, { algorithms: ['fit'], log: () => undefined });
    assert.equal(record.status, 'active', record.note);
    const model = await getTrainer('fit').load(join(dir, record.artifactPath as string));
    assert.ok(model instanceof FitRankingModel);
    const small = model.predict('m1', 'runs-small', '8');
    const trueToSize = model.predict('m1', 'true-a', '8');
    assert.ok(small.small > 0.5 && small.small > small.fit, `runs-small in 8: ${JSON.stringify(small)}`);
    assert.ok(trueToSize.fit > 0.5 && trueToSize.fit > trueToSize.small, `true-a in 8: ${JSON.stringify(trueToSize)}`);
    for (const p of [small, trueToSize]) assert.ok(Math.abs(p.small + p.fit + p.large - 1) < 1e-9);
    const many = model.predictMany('m1', ['true-a', 'runs-small', 'never-seen'], '8');
    assert.deepEqual(many.slice(0, 2), [trueToSize, small], 'the batch path gives what predict gives');
    assert.deepEqual(many[2], model.predict('m1', 'never-seen', '8'));
    // ranked for the member, the item that runs small comes last; similar sizing pairs the true-to-size ones
    assert.equal(model.recommend({ userId: 'm1' }, 3).at(-1)?.itemId, 'runs-small');
    assert.equal(model.similar('true-a', 1)[0].itemId, 'true-b');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a store without fit feedback gives the fit model a typed error, registered as rejected', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-fit-'));
  const store = await openStore('sqlite::memory:');
  try {
    await store.appendEvents([{ id: 'e1', type: 'rent', userId: 'u', itemId: 'i', ts: T0 }]);
    const [record] = await trainModels(store, dir, { algorithms: ['fit'], log: () => undefined });
    assert.equal(record.status, 'rejected');
    assert.match(record.note ?? '', /VITRINE_MODEL_EMPTY_DATA/);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * 200 members all rent the same three dresses in size 8; tall members (height ≥ 67 in) find every one
 * small, the others find them true to size. Only the body tells them apart.
 */
function bodyWorld(): { events: VitrineEvent[]; heights: number[] } {
  const events: VitrineEvent[] = [];
  const heights = Array.from({ length: MEMBERS }, (_, u) => 60 + (u % 13));
  let n = 0;
  for (let u = 0; u < MEMBERS; u++) {
    for (const itemId of ['d1', 'd2', 'd3']) {
      const day = (n++ % 50) + 1;
      const base = { userId: `b${u}`, itemId, size: '8' };
      events.push({ id: `r${n}`, type: 'rent', ts: T0 + day * DAY_MS, ...base });
      events.push({ id: `t${n}`, type: 'return', ts: T0 + (day + 4) * DAY_MS, fit: heights[u] >= 67 ? 'small' : 'fit', ...base });
    }
  }
  return { events, heights };
}

test('the pipeline\'s fit model learns from members\' bodies, and predicts from a profile for a member it never saw', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-fit-'));
  const store = await openStore('sqlite::memory:');
  try {
    const { events, heights } = bodyWorld();
    await store.upsertItems(['d1', 'd2', 'd3'].map((id) => ({ id, title: id, category: 'dress', sizes: { '8': 2 } })), T0);
    await store.upsertUsers(heights.map((h, u) => ({ id: `b${u}`, input: { attributes: { heightIn: h, bustSize: '34b' } } })), T0);
    await store.appendEvents(events);
    const data = await loadTrainingData(store);
    assert.equal(data.fitMembers.attributes.size, MEMBERS);
    assert.deepEqual(data.fitMembers.attributes.get('b7'), { heightIn: 67, bustSize: '34b' });

    const [record] = await trainModels(store, dir, { algorithms: ['fit'], log: () => undefined });
    assert.equal(record.status, 'active', record.note);
    const model = await getTrainer('fit').load(join(dir, record.artifactPath as string));
    assert.ok(model instanceof FitRankingModel);
    assert.deepEqual(model.fit.parts.vocab.columns.filter((c) => c.scope === 'member').map((c) => c.name), ['bustSize.band', 'bustSize.cup', 'heightIn']);
    // a member the model never saw: only the profile speaks for them
    const tall = model.predict('newcomer', 'd1', '8', { heightIn: 71 });
    const short = model.predict('newcomer', 'd1', '8', { heightIn: 61 });
    assert.ok(tall.small > 0.5 && tall.small > tall.fit, `tall: ${JSON.stringify(tall)}`);
    assert.ok(short.fit > 0.5 && short.fit > short.small, `short: ${JSON.stringify(short)}`);
    // serving's batch path (the fit filter's) gives the same with the profile
    assert.deepEqual(model.predictMany('newcomer', ['d1', 'd2'], '8', { heightIn: 71 })[0], tall);
    const batch = model.fit.predictItems('newcomer', ['d1', 'd2', 'd3'], 8, { heightIn: 61, 'bustSize.band': 34 });
    assert.deepEqual(Array.from(batch), Array.from(model.fit.predictItemsByRows('newcomer', ['d1', 'd2', 'd3'], 8, { heightIn: 61, 'bustSize.band': 34 })));
    // a trained member keeps the body the model learned
    assert.ok(model.predict('b12', 'd2', '8').small > 0.5, 'b12 is 72 in tall');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('serving\'s fit filter reads the profile of a member the fit model never saw: the tall newcomer is not shown what runs small for her', async () => {
  const t = await testApp({ now: T0 + 60 * DAY_MS, config: { serving: { primaryAlgorithm: 'popularity' }, training: { inWorker: false } } });
  try {
    const { events, heights } = bodyWorld();
    await t.app.inject({ method: 'POST', url: '/v1/items/batch', payload: { items: ['d1', 'd2', 'd3'].map((id) => ({ id, title: id, category: 'dress', sizes: { '8': 2 } })) } });
    await t.store.upsertUsers(heights.map((h, u) => ({ id: `b${u}`, input: { attributes: { heightIn: h } } })), T0);
    await t.store.appendEvents(events);
    await trainModels(t.store, t.dir, { algorithms: ['popularity', 'fit'], gate: false, log: () => undefined });
    await t.context.models.reload();
    await t.context.serving.apply({ kind: 'models' });
    await t.app.inject({ method: 'PUT', url: '/v1/pages/solo', payload: { rows: [{ kind: 'for-you' }] } });
    const shown = async (userId: string, heightIn: number): Promise<string[]> => {
      await t.app.inject({ method: 'PUT', url: `/v1/users/${userId}`, payload: { sizes: ['8'], attributes: { heightIn } } });
      const page = (await t.app.inject({ method: 'GET', url: `/v1/users/${userId}/page?page=solo&size=5` })).json();
      assert.deepEqual(page.fallbacks, []);
      return (page.rows[0]?.items ?? []).map((i: { itemId: string }) => i.itemId).sort();
    };
    assert.deepEqual(await shown('short-newcomer', 61), ['d1', 'd2', 'd3']);
    assert.deepEqual(await shown('tall-newcomer', 71), [], 'P(fit) under serving.fitFilterBelow for every dress');
  } finally {
    await t.close();
  }
});
