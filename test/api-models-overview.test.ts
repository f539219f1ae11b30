/**
 * GET /v1/models' rowKinds (which version serves each row kind, from the rows' own model order) and
 * GET /v1/models/evaluation (the data dir's latest `vitrine evaluate` report).
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EVALUATION_REPORT_FILE } from '../src/pipeline/evaluation-report-file.ts';
import { rowKindModels } from '../src/serving/models/row-kind-models.ts';
import { testApp, type TestApp } from './helpers/app.ts';

describe('rowKindModels', () => {
  it('names the first loaded algorithm of each row\'s order', () => {
    const loaded = new Map([['ease', 'ease-1'], ['popularity', 'pop-1'], ['content', 'content-1']]);
    const rows = rowKindModels('ease', (a) => loaded.get(a));
    const byKind = new Map(rows.map((r) => [r.kind, r]));
    assert.deepEqual(rows.map((r) => r.kind), ['for-you', 'because-you-liked', 'curated', 'style', 'for-occasion', 'trending',
      'new-arrivals', 'popular-in-your-size', 'back-in-your-size', 'similar']);
    assert.deepEqual(byKind.get('for-you'), { kind: 'for-you', asks: ['ease', 'content', 'style-clusters', 'popularity', 'popularity-recent'], algorithm: 'ease', version: 'ease-1' });
    // item-knn first, but not loaded: the primary serves
    assert.deepEqual(byKind.get('because-you-liked'), { kind: 'because-you-liked', asks: ['item-knn', 'ease', 'als', 'content', 'style-clusters'], algorithm: 'ease', version: 'ease-1' });
    assert.deepEqual(byKind.get('similar'), { ...byKind.get('because-you-liked'), kind: 'similar' });
    assert.deepEqual(byKind.get('for-occasion'), { kind: 'for-occasion', asks: ['popularity', 'popularity-recent', 'ease'], algorithm: 'popularity', version: 'pop-1' });
    assert.deepEqual(byKind.get('style'), { kind: 'style', asks: ['style-clusters'], algorithm: null, version: null });
    assert.deepEqual(byKind.get('trending'), { kind: 'trending', asks: ['popularity-recent'], algorithm: null, version: null });
    assert.deepEqual(byKind.get('new-arrivals'), { kind: 'new-arrivals', asks: [], algorithm: null, version: null });
  });

  it('for a primary named twice, asks it once', () => {
    const because = rowKindModels('item-knn', () => undefined).find((r) => r.kind === 'because-you-liked');
    assert.deepEqual(because?.asks, ['item-knn', 'ease', 'als', 'content', 'style-clusters']);
  });
});

describe('GET /v1/models/evaluation', () => {
  let t: TestApp;
  before(async () => { t = await testApp(); });
  after(async () => { await t.close(); });
  const get = () => t.app.inject({ url: '/v1/models/evaluation' });
  const keep = (text: string) => {
    mkdirSync(join(t.dir, 'reports'), { recursive: true });
    writeFileSync(join(t.dir, EVALUATION_REPORT_FILE), text);
  };

  it('is null before any evaluation was kept', async () => {
    const res = await get();
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { evaluation: null });
  });

  it('answers the kept report with every field it has', async () => {
    const evaluation = {
      writtenAt: 1_765_000_000_000, command: 'vitrine evaluate --data d --protocol user-time',
      citation: 'Data: Rent the Runway rentals from Misra, Wan & McAuley, RecSys 2018.',
      report: { protocol: 'user-time', k: 10, users: 3, items: 4, dataset: 'rtr', results: { popularity: { ndcg: 0.25, recall: 0.5 } }, segments: [{ name: 'new' }] },
    };
    keep(JSON.stringify(evaluation));
    const res = await get();
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { evaluation });
  });

  it('a damaged file is a 500 with its code', async () => {
    keep('{"writtenAt": 1, "comm');
    const res = await get();
    assert.equal(res.statusCode, 500);
    assert.equal(res.json().error.code, 'VITRINE_EVAL_REPORT_CORRUPT');
    keep(JSON.stringify({ writtenAt: 1, command: 'x', report: { results: [] } }));
    assert.equal((await get()).json().error.code, 'VITRINE_EVAL_REPORT_CORRUPT');
  });
});
