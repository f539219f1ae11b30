/**
 * The serving shortcuts of the model library give the same answers as a full scan of the catalogue:
 * popularity walks a pre-sorted order, item-knn ranks only an item's stored neighbours, ALS `score`
 * computes only the asked items' dot products.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alsTrainer } from '../src/ml/als/als-trainer.ts';
import type { AlsModel } from '../src/ml/als/als-model.ts';
import { seededUniform } from '../src/ml/common/rng.ts';
import { topN } from '../src/ml/common/top-n.ts';
import { itemKnnTrainer } from '../src/ml/item-knn/item-knn.ts';
import type { PopularityModel } from '../src/ml/popularity/popularity-model.ts';
import { popularityTrainer } from '../src/ml/popularity/popularity-trainer.ts';
import { interactions } from './helpers/ml-data.ts';

const random = seededUniform(21);
const rows: Array<[string, string, number]> = [];
for (let u = 0; u < 200; u++) {
  for (let j = 0; j < 8; j++) rows.push([`u${u}`, `i${Math.floor(random() ** 2 * 150)}`, j + 1]); // skewed: many ties at the tail
}
const data = interactions(rows);
const odd = (id: string) => Number(id.slice(1)) % 2 === 1;

test('popularity: the walk over the sorted order equals a top-N scan, with exclusions, filters and ties', async () => {
  const model = (await popularityTrainer.train({ interactions: data })) as PopularityModel;
  const ids = model.items;
  const scores = model.score({ userId: 'x' }, ids);
  for (const [n, exclude, filter] of [[10, undefined, undefined], [150, new Set(['i0', 'i1']), odd], [40, undefined, odd]] as const) {
    const expected = [...topN(scores, n, Uint8Array.from(ids, (id) => (exclude?.has(id) ? 1 : 0)), filter ? (i) => filter(ids[i]) : undefined)]
      .map((i) => ids[i]);
    assert.deepEqual(model.recommend({ userId: 'x' }, n, { exclude, filter }).map((s) => s.itemId), expected);
  }
  const self = ids[3];
  const expectedSimilar = [...topN(scores, 20, Uint8Array.from(ids, (id) => (id === self ? 1 : 0)))].map((i) => ids[i]);
  assert.deepEqual(model.similar(self, 20).map((s) => s.itemId), expectedSimilar);
});

test('item-knn: similar() over the stored neighbours equals a scan of the dense neighbour scores', async () => {
  const model = await itemKnnTrainer.train({ interactions: data }, { k: 15 });
  const ids = (model as unknown as { items: readonly string[] }).items;
  for (const seed of ids.slice(0, 30)) {
    const got = model.similar(seed, 10, { filter: odd });
    const dense = (model as unknown as { itemScores(i: number): Float32Array }).itemScores(ids.indexOf(seed));
    const expected = [...topN(dense, 10, Uint8Array.from(ids, (id) => (id === seed ? 1 : 0)), (i) => odd(ids[i]))];
    assert.deepEqual(got.map((s) => s.itemId), expected.map((i) => ids[i]), seed);
    got.forEach((s, r) => assert.equal(s.score, dense[expected[r]]));
  }
});

test('ALS: score() of a few items equals the scores recommend() ranks by, bit for bit', async () => {
  const model = (await alsTrainer.train({ interactions: data }, { factors: 8, iterations: 3 })) as AlsModel;
  const top = model.recommend({ userId: 'u5' }, 30);
  const scored = model.score({ userId: 'u5' }, [...top.map((s) => s.itemId), 'nobody-knows']);
  top.forEach((s, r) => assert.equal(scored[r], s.score));
  assert.ok(Number.isNaN(scored[top.length]));
});
