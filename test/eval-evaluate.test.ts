import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY_MS } from '../src/core/time.ts';
import { evaluateSplit } from '../src/eval/evaluate.ts';
import { parseProtocol, splitDataset, type EvalSplit } from '../src/eval/splits.ts';
import { assertCode, interactions } from './helpers/ml-data.ts';

const CUTOFF = new Date(10 * DAY_MS).toISOString();
const split = (rows: ReadonlyArray<readonly [string, string, number]>): EvalSplit =>
  splitDataset({ name: 'test', interactions: interactions(rows) }, parseProtocol('global-time', CUTOFF));

// train popularity (distinct members): A 4, B 3, C 2, D 1; u1 then rents C, u2 rents D
const POPULAR = split([
  ['u1', 'A', 0], ['u2', 'A', 0], ['u3', 'A', 0], ['u4', 'A', 0], ['u2', 'B', 1], ['u3', 'B', 1], ['u4', 'B', 1],
  ['u3', 'C', 2], ['u4', 'C', 2], ['u4', 'D', 3], ['u1', 'C', 12], ['u2', 'D', 13],
]);

test('popularity at K = 2: train items excluded, each held-out item found at rank 2', async () => {
  const report = await evaluateSplit(POPULAR, { algorithms: ['popularity'], k: 2 });
  assert.equal(report.users, 2);
  assert.equal(report.items, 4);
  const r = report.results.popularity;
  // u1 gets [B, C] (A excluded), u2 gets [C, D] (A, B excluded): a hit at rank 2 each
  assert.ok(Math.abs(r.ndcg - 1 / Math.log2(3)) < 1e-12, `NDCG ${r.ndcg}`);
  assert.equal(r.hitRate, 1);
  assert.equal(r.precision, 0.5);
  assert.equal(r.recall, 1);
  assert.equal(r.map, 0.5);
  assert.equal(r.coverage, 3 / 4, 'B, C and D');
  assert.deepEqual(r.perUser.userIds, ['u1', 'u2']);
  assert.ok(r.trainSeconds >= 0 && r.unrankedUsers === 0);
});

test('item-kNN and EASE rank a planted held-out item first; --params overrides merge over the defaults', async () => {
  const rows: Array<[string, string, number]> = [];
  for (let u = 0; u < 4; u++) for (let i = 0; i < 4; i++) rows.push([`g${u}`, `p${i}`, u === 0 && i === 3 ? 20 : 0]);
  for (let u = 0; u < 4; u++) for (let i = 0; i < 4; i++) rows.push([`h${u}`, `q${i}`, 0]);
  const report = await evaluateSplit(split(rows), { algorithms: ['item-knn', 'ease'], k: 1, params: { ease: { lambda: 1 } } });
  assert.equal(report.users, 1);
  for (const name of ['item-knn', 'ease']) {
    assert.equal(report.results[name].ndcg, 1, `${name} ranks p3 first for g0`);
    assert.equal(report.results[name].hitRate, 1);
  }
  assert.deepEqual(report.results.ease.params, { lambda: 1 });
  assert.equal(report.results['item-knn'].params.k, 100, 'EVALUATION.md: 100 neighbours');
});

test('unknown algorithms and parameters fail before any training', async () => {
  await assertCode(() => evaluateSplit(POPULAR, { algorithms: ['popularity', 'nope'] }), 'VITRINE_MODEL_UNKNOWN_ALGORITHM', 'valid: .*popularity');
  await assertCode(() => evaluateSplit(POPULAR, { algorithms: ['popularity'], params: { nope: {} } }), 'VITRINE_MODEL_UNKNOWN_ALGORITHM');
  await assertCode(() => evaluateSplit(POPULAR, { algorithms: ['ease'], params: { ease: { lamda: 3 } } }), 'VITRINE_MODEL_BAD_PARAMS', 'lamda');
  await assertCode(() => evaluateSplit(POPULAR, { algorithms: ['popularity'], k: 0 }), 'VITRINE_EVAL_BAD_PROTOCOL');
});

test('the worker-thread recommendation pass gives the same lists as this thread', async () => {
  const rows: Array<[string, string, number]> = [];
  for (let u = 0; u < 320; u++) {
    for (let j = 0; j < 3; j++) rows.push([`u${u}`, `i${(u * 7 + j * 3) % 40}`, j]);
    rows.push([`u${u}`, `i${(u * 11 + 5) % 40}`, 15]);
  }
  const s = split(rows);
  assert.ok(s.users.length > 256, 'more members than the probe');
  const here = await evaluateSplit(s, { algorithms: ['popularity', 'item-knn'], threads: 1 });
  const there = await evaluateSplit(s, { algorithms: ['popularity', 'item-knn'], threads: 2 });
  for (const name of ['popularity', 'item-knn']) {
    assert.equal(here.results[name].recommendWorkers, 0);
    assert.equal(there.results[name].recommendWorkers, 2);
    assert.deepEqual(there.results[name].perUser, here.results[name].perUser, name);
    assert.equal(there.results[name].coverage, here.results[name].coverage);
  }
  assert.ok(here.results['item-knn'].hitRate > 0, 'the data has something to find');
});
