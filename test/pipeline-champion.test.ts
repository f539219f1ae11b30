import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_CONFIG } from '../src/core/config.ts';
import { chooseChampion, recordedChampion } from '../src/pipeline/champion.ts';
import { DEFAULT_TRAIN_ALGORITHMS, defaultAlgorithmsFor, trainModels } from '../src/pipeline/model-training.ts';
import type { GateOptions } from '../src/pipeline/validation-gate.ts';
import type { ModelRecord } from '../src/storage/store.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { clearWinnerWorld } from './helpers/clear-winner-world.ts';

const NOW = Date.UTC(2026, 10, 28, 12);
const DAY = 86_400_000;

describe('chooseChampion', () => {
  const c = (algorithm: string, score: number) => ({ algorithm, version: `${algorithm}-v`, score });

  it('with no champion yet, the best score wins', () => {
    const d = chooseChampion([c('als', 0.0055), c('hybrid', 0.0156), c('popularity-recent', 0.0101)], undefined, 0.05);
    assert.equal(d?.winner.algorithm, 'hybrid');
    assert.equal(d?.kept, false);
  });

  it('a challenger within the margin does not replace the champion; one past it does', () => {
    const champion = c('hybrid', 0.0100);
    const within = chooseChampion([c('ease', 0.0104), c('als', 0.0050)], champion, 0.05);
    assert.equal(within?.winner.algorithm, 'hybrid');
    assert.equal(within?.kept, true);
    assert.match(within?.reason ?? '', /challenger ease 0\.0104 does not beat 0\.0100 by 5%/);
    const past = chooseChampion([c('ease', 0.0106)], champion, 0.05);
    assert.equal(past?.winner.algorithm, 'ease');
    assert.equal(past?.kept, false);
  });

  it('a tie keeps the champion; a champion retrained this run is judged by its new score', () => {
    assert.equal(chooseChampion([c('ease', 0.01)], c('als', 0.01), 0)?.winner.algorithm, 'als');
    // the champion's algorithm among the contenders is the incumbent itself, not a challenger
    const d = chooseChampion([c('als', 0.02), c('ease', 0.03)], c('als', 0.02), 0.05);
    assert.equal(d?.winner.algorithm, 'ease');
  });

  it('nobody to choose from gives no decision', () => {
    assert.equal(chooseChampion([], undefined, 0.05), undefined);
    assert.equal(chooseChampion([c('als', Number.NaN)], undefined, 0.05), undefined);
  });
});

describe('default training list', () => {
  it('trains every top-N ranker, EASE only up to training.easeMaxItems items', () => {
    for (const a of ['popularity-recent', 'item-knn', 'ease', 'als', 'hybrid']) assert.ok(DEFAULT_TRAIN_ALGORITHMS.includes(a), a);
    assert.ok(defaultAlgorithmsFor(10_000, DEFAULT_CONFIG.training.easeMaxItems).includes('ease'));
    const lines: string[] = [];
    const big = defaultAlgorithmsFor(10_001, DEFAULT_CONFIG.training.easeMaxItems, (l) => lines.push(l));
    assert.deepEqual(big, DEFAULT_TRAIN_ALGORITHMS.filter((a) => a !== 'ease'));
    assert.match(lines[0], /ease: left out — 10,001 items is over training\.easeMaxItems \(10,000\)/);
  });
});

const ITEMS = ['a1', 'a2', 'a3', 'a4', 'P', 'b0', 'b1', 'b2', ...Array.from({ length: 12 }, (_, k) => `c${k + 1}`)];
const GATE: GateOptions = { ...DEFAULT_CONFIG.training.gate, algorithms: ['item-knn', 'popularity-recent'], testFraction: 0.04, minVsPopularity: 0 };

async function trainedApp(primaryAlgorithm: string): Promise<{ t: TestApp; records: ModelRecord[] }> {
  const t = await testApp({ now: NOW, config: { serving: { primaryAlgorithm }, training: { inWorker: false } } });
  // through the API, so that the serving catalogue sees them
  const items = await t.app.inject({ method: 'POST', url: '/v1/items/batch', payload: { items: ITEMS.map((id) => ({ id, title: id, category: 'dress' })) } });
  assert.equal(items.statusCode, 200);
  await t.store.appendEvents(clearWinnerWorld(NOW));
  let tick = NOW;
  const records = await trainModels(t.store, t.dir, { algorithms: ['item-knn', 'popularity-recent'], gate: GATE, clock: () => (tick += 1000) });
  await t.context.models.reload();
  await t.context.serving.apply({ kind: 'models' });
  return { t, records };
}

describe('the champion fills the page', () => {
  let auto: { t: TestApp; records: ModelRecord[] };
  let pinned: { t: TestApp; records: ModelRecord[] };
  const version = (records: ModelRecord[], algorithm: string) => records.find((r) => r.algorithm === algorithm)?.version;

  before(async () => {
    auto = await trainedApp('auto');
    pinned = await trainedApp('item-knn');
  });
  after(async () => {
    await auto.t.close();
    await pinned.t.close();
  });

  it('the gate\'s best ranker is crowned, with the scores that made it so', async () => {
    assert.deepEqual(auto.records.map((r) => r.status), ['active', 'active'], 'both pass (minVsPopularity 0)');
    const champion = recordedChampion(await auto.t.store.listModels());
    assert.equal(champion?.algorithm, 'popularity-recent');
    assert.deepEqual({ ...champion?.scores['ndcg@10'] }, { 'item-knn': 0, 'popularity-recent': 1 });
    const res = await auto.t.app.inject({ method: 'GET', url: '/v1/models' });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.primaryAlgorithm, 'popularity-recent');
    assert.deepEqual(body.champion, {
      algorithm: 'popularity-recent', version: version(auto.records, 'popularity-recent'),
      scores: { 'ndcg@10': { 'item-knn': 0, 'popularity-recent': 1 } }, serving: true,
    });
  });

  it('the page\'s for-you row comes from the champion and modelVersion names it', async () => {
    const home = (await auto.t.app.inject({ method: 'GET', url: '/v1/users/B0/page?rows=4&size=5' })).json();
    assert.equal(home.modelVersion, version(auto.records, 'popularity-recent'));
    // a page of for-you alone (on home, rows placed before it claim some of its items)
    await auto.t.app.inject({ method: 'PUT', url: '/v1/pages/solo', payload: { rows: [{ kind: 'for-you' }] } });
    const solo = (await auto.t.app.inject({ method: 'GET', url: '/v1/users/B0/page?page=solo&size=5' })).json();
    const shown = solo.rows[0].items.map((i: { itemId: string }) => i.itemId);
    // recent popularity: a1 (40 rentals) first; B0 holds b0 and P
    assert.equal(shown[0], 'a1');
    const champion = auto.t.context.models.current('popularity-recent')?.model;
    assert.deepEqual(shown, champion?.recommend({ userId: 'B0' }, 5, { exclude: new Set(['b0', 'P']) }).map((s) => s.itemId));
  });

  it('a later run whose challenger does not beat the champion keeps it', async () => {
    let tick = NOW + DAY;
    const [knn] = await trainModels(auto.t.store, auto.t.dir, { algorithms: ['item-knn'], gate: GATE, clock: () => (tick += 1000) });
    assert.equal(knn.status, 'active');
    assert.equal(knn.metrics.champion, undefined);
    const champion = recordedChampion(await auto.t.store.listModels());
    assert.equal(champion?.algorithm, 'popularity-recent', 'item-kNN 0 against the champion\'s 1 on the new split');
    assert.equal(champion?.record.version, version(auto.records, 'popularity-recent'));
    assert.deepEqual({ ...champion?.scores['ndcg@10'] }, { 'item-knn': 0, 'popularity-recent': 1 });
  });

  it('serving.primaryAlgorithm pins for-you to another algorithm', async () => {
    const body = (await pinned.t.app.inject({ method: 'GET', url: '/v1/models' })).json();
    assert.equal(body.primaryAlgorithm, 'item-knn');
    assert.equal(body.champion.algorithm, 'popularity-recent');
    assert.equal(body.champion.serving, false);
    const page = (await pinned.t.app.inject({ method: 'GET', url: '/v1/users/A0/page?rows=4&size=5' })).json();
    assert.equal(page.modelVersion, version(pinned.records, 'item-knn'));
  });
});
