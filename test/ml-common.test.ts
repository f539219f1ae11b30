import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCsr, transposeCsr } from '../src/ml/common/csr.ts';
import { resolveParams, positive, oneOf } from '../src/ml/common/params.ts';
import { seededUniform } from '../src/ml/common/rng.ts';
import { topN } from '../src/ml/common/top-n.ts';
import { assertInteractions } from '../src/ml/common/train-input.ts';
import { UserHistory, resolveInteractions } from '../src/ml/common/user-history.ts';
import { algorithmNames, getTrainer } from '../src/ml/registry.ts';
import { assertCode, interactions } from './helpers/ml-data.ts';

test('buildCsr sorts columns within rows and merges repeated pairs by the rule', () => {
  const rows = Int32Array.from([1, 0, 1, 1, 0]);
  const cols = Int32Array.from([2, 1, 0, 2, 1]);
  const vals = Float32Array.from([1, 2, 3, 4, 0.5]);
  const sum = buildCsr(2, 3, rows, cols, vals, 'sum');
  assert.deepEqual([...sum.indptr], [0, 1, 3]);
  assert.deepEqual([...sum.indices], [1, 0, 2]);
  assert.deepEqual([...sum.values], [2.5, 3, 5]);
  assert.deepEqual([...buildCsr(2, 3, rows, cols, vals, 'max').values], [2, 3, 4]);
  assert.deepEqual([...buildCsr(2, 3, rows, cols, vals, 'binary').values], [1, 1, 1]);
  const kept = buildCsr(2, 3, rows, cols, vals, 'sum', (k) => k !== 3);
  assert.deepEqual([...kept.values], [2.5, 3, 1]);
  const t = transposeCsr(sum);
  assert.deepEqual([...t.indptr], [0, 1, 2, 3]);
  assert.deepEqual([...t.indices], [1, 0, 1]);
  assert.deepEqual([...t.values], [3, 2.5, 5]);
});

test('topN returns the best indexes, ties to the lower index, skipping NaN, −Infinity, excluded and filtered', () => {
  const scores = Float32Array.from([0.5, NaN, 3, 3, -Infinity, 1, 3, 0]);
  assert.deepEqual([...topN(scores, 4)], [2, 3, 6, 5]);
  const excluded = new Uint8Array(8);
  excluded[3] = 1;
  assert.deepEqual([...topN(scores, 3, excluded, (i) => i !== 6)], [2, 5, 0]);
  assert.deepEqual([...topN(scores, 100)], [2, 3, 6, 5, 0, 7]);
  assert.deepEqual([...topN(scores, 0)], []);
});

test('topN agrees with a full sort on random scores', () => {
  const next = seededUniform(3);
  const scores = Float32Array.from({ length: 5000 }, () => Math.round(next() * 1000) / 10);
  const sorted = [...scores.keys()].sort((a, b) => scores[b] - scores[a] || a - b);
  for (const n of [1, 2, 7, 50, 4999, 5000, 6000]) assert.deepEqual([...topN(scores, n)], sorted.slice(0, n), `n = ${n}`);
});

test('a user query resolves to item indexes; unknown members and all-unknown lists are UNKNOWN_USER', async () => {
  const data = interactions([['u1', 'a'], ['u1', 'b'], ['u2', 'b'], ['u1', 'a']]);
  const history = UserHistory.fromInteractions(data, 'binary');
  const itemIndex = new Map(data.itemIds.map((id, i) => [id, i]));
  assert.deepEqual([...history.resolve('t', { userId: 'u1' }, itemIndex).items], [0, 1]);
  const live = resolveInteractions('t', [{ itemId: 'b', weight: 2 }, { itemId: 'new' }, { itemId: 'b', weight: 3 }], itemIndex);
  assert.deepEqual([...live.items], [1]);
  assert.deepEqual([...live.weights], [3]);
  await assertCode(() => history.resolve('t', { userId: 'nobody' }, itemIndex), 'VITRINE_MODEL_UNKNOWN_USER', 'nobody');
  await assertCode(() => history.resolve('t', { interactions: [{ itemId: 'zzz' }] }, itemIndex), 'VITRINE_MODEL_UNKNOWN_USER');
  await assertCode(() => history.resolve('t', { vector: new Float32Array(2) }, itemIndex), 'VITRINE_MODEL_BAD_PARAMS');
});

test('parameters: unknown keys, wrong types and rule violations are BAD_PARAMS', async () => {
  const defaults = { lambda: 500, mode: 'all' };
  assert.deepEqual(resolveParams('t', defaults, { lambda: 10 }), { lambda: 10, mode: 'all' });
  const rules = { lambda: positive(), mode: oneOf('all', 'window') };
  await assertCode(() => resolveParams('t', defaults, { lamda: 1 } as never, rules), 'VITRINE_MODEL_BAD_PARAMS', 'unknown parameter "lamda"');
  await assertCode(() => resolveParams('t', defaults, { lambda: '5' } as never, rules), 'VITRINE_MODEL_BAD_PARAMS', 'finite number');
  await assertCode(() => resolveParams('t', defaults, { lambda: NaN }, rules), 'VITRINE_MODEL_BAD_PARAMS');
  await assertCode(() => resolveParams('t', defaults, { lambda: -1 }, rules), 'VITRINE_MODEL_BAD_PARAMS', 'positive');
  await assertCode(() => resolveParams('t', defaults, { mode: 'sometimes' }, rules), 'VITRINE_MODEL_BAD_PARAMS', 'one of all, window');
});

test('training input: empty data is EMPTY_DATA, inconsistent arrays are BAD_DATA', async () => {
  await assertCode(() => assertInteractions('t', interactions([])), 'VITRINE_MODEL_EMPTY_DATA');
  const data = interactions([['u', 'a']]);
  await assertCode(() => assertInteractions('t', { ...data, items: Int32Array.from([5]) }), 'VITRINE_MODEL_BAD_DATA', 'out of range');
  await assertCode(() => assertInteractions('t', { ...data, ts: new Float64Array(2) }), 'VITRINE_MODEL_BAD_DATA', 'ts has 2');
  await assertCode(() => assertInteractions('t', { ...data, weights: Float32Array.from([NaN]) }), 'VITRINE_MODEL_BAD_DATA', 'non-finite');
});

test('the registry finds every algorithm and names the valid ones for an unknown name', async () => {
  for (const name of ['popularity', 'popularity-recent', 'conversion', 'item-knn', 'ease', 'content', 'style-clusters']) {
    assert.equal(getTrainer(name).algorithm, name);
  }
  await assertCode(() => getTrainer('eaze'), 'VITRINE_MODEL_UNKNOWN_ALGORITHM', 'valid: .*ease');
  assert.ok(algorithmNames().includes('item-knn'));
  await assertCode(() => getTrainer('toString'), 'VITRINE_MODEL_UNKNOWN_ALGORITHM');
});
