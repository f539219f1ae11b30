import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { DAY_MS } from '../src/core/time.ts';
import { conversionTrainer, momentsPrior } from '../src/ml/popularity/conversion.ts';
import type { PopularityModel } from '../src/ml/popularity/popularity-model.ts';
import { popularityRecentTrainer, popularityTrainer } from '../src/ml/popularity/popularity-trainer.ts';
import { assertCode, interactions, tempDir } from './helpers/ml-data.ts';

const { dir: root, cleanup } = tempDir();
after(cleanup);

// A: 3 members long ago (u1 twice); B: 2 members lately; C: 1 member twice lately; D: 1 member mid-way.
const data = interactions([
  ['u1', 'A', 5], ['u2', 'A', 5], ['u3', 'A', 5], ['u1', 'A', 6],
  ['u4', 'B', 95], ['u5', 'B', 96],
  ['u6', 'C', 99], ['u6', 'C', 100],
  ['u7', 'D', 50],
]);
const END = 100 * DAY_MS;
const ranked = (m: { recommend: PopularityModel['recommend'] }, n = 4): string[] => m.recommend({ userId: 'anyone' }, n).map((r) => r.itemId);
const scores = (m: PopularityModel): number[] => [...m.score({ userId: 'x' }, ['A', 'B', 'C', 'D'])];

test('popularity counts distinct members over all time (EVALUATION.md)', async () => {
  const model = (await popularityTrainer.train({ interactions: data })) as PopularityModel;
  assert.deepEqual(scores(model), [3, 2, 1, 1]);
  assert.deepEqual(ranked(model), ['A', 'B', 'C', 'D']);
});

test('popularity-recent counts interactions in the 90 days before the end of train', async () => {
  const model = (await popularityRecentTrainer.train({ interactions: data }, {}, { now: END })) as PopularityModel;
  assert.deepEqual(scores(model), [0, 2, 2, 1]);
  assert.deepEqual(ranked(model), ['B', 'C', 'D', 'A']);
  const lastTen = (await popularityRecentTrainer.train({ interactions: data }, { windowDays: 10 }, { now: END })) as PopularityModel;
  assert.deepEqual(scores(lastTen), [0, 2, 2, 0]);
  const lastTenUsers = (await popularityRecentTrainer.train({ interactions: data }, { windowDays: 10, count: 'users' }, { now: END })) as PopularityModel;
  assert.deepEqual(scores(lastTenUsers), [0, 2, 1, 0]);
});

test('popularity-recent counts the 90 days before the time asked (asOf), not before the end of train', async () => {
  const model = (await popularityRecentTrainer.train({ interactions: data }, {}, { now: END })) as PopularityModel;
  const at = (day: number): number[] => [...model.score({ userId: 'x' }, ['A', 'B', 'C', 'D'], { asOf: day * DAY_MS })];
  // asked on day 60: A (days 5–6) and D (day 50) are in [day −30, day 60]; B and C did not exist yet
  assert.deepEqual(at(60), [4, 0, 0, 1]);
  assert.deepEqual(model.recommend({ userId: 'x' }, 2, { asOf: 60 * DAY_MS }).map((r) => r.itemId), ['A', 'D']);
  // day 97: A, popular only before asOf − 90 days, drops out; C's day-99 and day-100 rows are still ahead
  assert.deepEqual(at(97), [0, 2, 0, 1]);
  assert.deepEqual(at(95.5), [1, 1, 0, 1]);
  assert.deepEqual(at(97), [0, 2, 0, 1], 'the cached count is not reused once a row enters or leaves the window');
  // after the end of train the window slides on and rows leave it: D on day 140, B on day 186, C's first on 189
  assert.deepEqual(at(141), [0, 2, 2, 0]);
  assert.deepEqual(at(187), [0, 0, 2, 0]);
  assert.deepEqual(at(189.5), [0, 0, 1, 0]);
  assert.deepEqual(at(100), scores(model), 'asked at the end of train: the trained scores');
  // the reference definition ignores asOf; all-time popularity does not depend on the clock either
  const reference = (await popularityRecentTrainer.train({ interactions: data }, { clock: 'train' }, { now: END })) as PopularityModel;
  assert.deepEqual([...reference.score({ userId: 'x' }, ['A', 'B', 'C', 'D'], { asOf: 60 * DAY_MS })], [0, 2, 2, 1]);
  const allTime = (await popularityTrainer.train({ interactions: data })) as PopularityModel;
  assert.deepEqual([...allTime.score({ userId: 'x' }, ['A', 'B', 'C', 'D'], { asOf: 60 * DAY_MS })], [3, 2, 1, 1]);
  // and the timeline survives save/load
  const dir = `${root}/recent-asof`;
  await model.save(dir);
  const loaded = await popularityRecentTrainer.load(dir);
  assert.deepEqual([...loaded.score({ userId: 'x' }, ['A', 'B', 'C', 'D'], { asOf: 60 * DAY_MS })], [4, 0, 0, 1]);
});

test('decayed popularity recounted at asOf counts only rows at or before it', async () => {
  const model = (await popularityTrainer.train({ interactions: data }, { mode: 'decayed', halfLifeDays: 10 }, { now: END })) as PopularityModel;
  const [a, b, c, d] = [...model.score({ userId: 'x' }, ['A', 'B', 'C', 'D'], { asOf: 50 * DAY_MS })];
  // A: u1 at day 6 (latest), u2 and u3 at day 5; D: u7 on day 50; B and C not yet rented
  assert.ok(Math.abs(a - (0.5 ** 4.4 + 2 * 0.5 ** 4.5)) < 1e-6);
  assert.deepEqual([b, c, d], [0, 0, 1]);
});

test('decayed popularity halves a member\'s weight every half-life, counting each member once at their latest', async () => {
  const model = (await popularityTrainer.train({ interactions: data }, { mode: 'decayed', halfLifeDays: 10 }, { now: END })) as PopularityModel;
  const h = (days: number): number => 0.5 ** (days / 10);
  const expected = [h(94) + 2 * h(95), h(5) + h(4), 1, h(50)];
  scores(model).forEach((s, i) => assert.ok(Math.abs(s - expected[i]) < 1e-6, `${s} vs ${expected[i]}`));
  assert.deepEqual(ranked(model), ['B', 'C', 'D', 'A']);
});

test('per-segment popularity ranks within a size; an unknown segment gives an empty list', async () => {
  const sized = { ...data, sizeLabels: ['S', 'M'], sizes: Int32Array.from([0, 0, 1, 1, 1, 1, 0, 0, -1]) };
  const model = (await popularityTrainer.train({ interactions: sized }, { segmentBy: 'size' })) as PopularityModel;
  assert.deepEqual(model.segments, ['S', 'M']);
  assert.deepEqual([...(model.segmentScores('S') ?? [])], [2, 0, 1, 0]);
  // in M: A has u3 and u1 (once each), B has u4 and u5; ties go to the earlier item
  assert.deepEqual(model.bySegment('M', 3).map((r) => [r.itemId, r.score]), [['A', 2], ['B', 2], ['C', 0]]);
  assert.deepEqual(model.bySegment('XL', 3), []);
  await assertCode(() => popularityTrainer.train({ interactions: data }, { segmentBy: 'size' }), 'VITRINE_MODEL_BAD_PARAMS', 'size column');
});

test('popularity honours exclude and filter, serves unknown members, and survives save/load', async () => {
  const model = await popularityTrainer.train({ interactions: data });
  assert.deepEqual(model.recommend({ userId: 'never-seen' }, 2, { exclude: new Set(['A']), filter: (id) => id !== 'B' }).map((r) => r.itemId), ['C', 'D']);
  assert.deepEqual(model.similar('A', 2).map((r) => r.itemId), ['B', 'C']);
  await assertCode(() => model.similar('Z', 2), 'VITRINE_MODEL_UNKNOWN_ITEM');
  await model.save(`${root}/pop`);
  const loaded = await popularityTrainer.load(`${root}/pop`);
  assert.deepEqual(loaded.recommend({ userId: 'x' }, 4), model.recommend({ userId: 'x' }, 4));
  await assertCode(() => popularityRecentTrainer.load(`${root}/pop`), 'VITRINE_MODEL_ARTIFACT_VERSION');
});

test('empty data and bad parameters are typed errors', async () => {
  await assertCode(() => popularityTrainer.train({ interactions: interactions([]) }), 'VITRINE_MODEL_EMPTY_DATA');
  await assertCode(() => popularityTrainer.train({ interactions: data }, { halfLifeDays: 0 }), 'VITRINE_MODEL_BAD_PARAMS');
});

// X: 2 viewers, 1 rents; Y: 10 viewers, 4 rent; Z: 1 viewer who rents (rent weight 1, view 0.2)
const funnel = interactions([
  ['a', 'X', 0, 0.2], ['a', 'X', 1, 1], ['b', 'X', 0, 0.2],
  ...Array.from({ length: 10 }, (_, k) => [`v${k}`, 'Y', 0, k < 4 ? 1 : 0.2] as const),
  ['c', 'Z', 0, 1],
]);

test('conversion is (rents + α) / (views + α + β) with a fixed prior', async () => {
  const model = await conversionTrainer.train({ interactions: funnel }, { prior: 'fixed', alpha: 1, beta: 3 });
  const got = [...model.score({ userId: 'a' }, ['X', 'Y', 'Z'])];
  [2 / 6, 5 / 14, 2 / 5].forEach((e, i) => assert.ok(Math.abs(got[i] - e) < 1e-6, `${got[i]} vs ${e}`));
  assert.deepEqual(model.recommend({ userId: 'a' }, 3).map((r) => r.itemId), ['Z', 'Y', 'X']);
});

test('the automatic prior matches the raw rates\' mean and variance (method of moments)', async () => {
  // raw rates 1/2, 4/10, 1/1: mean 0.63333, sample variance 0.103333
  const prior = momentsPrior(Float32Array.from([2, 10, 1]), Float32Array.from([1, 4, 1]), 1);
  assert.ok(prior);
  assert.ok(Math.abs(prior.alpha - 0.789964) < 1e-5, String(prior.alpha));
  assert.ok(Math.abs(prior.beta - 0.457348) < 1e-5, String(prior.beta));
  const model = await conversionTrainer.train({ interactions: funnel }, { minViewsForPrior: 1 });
  assert.ok(Math.abs(Number(model.manifest.extra?.alpha) - 0.789964) < 1e-5);
  // fewer than two items to estimate from: the fixed prior is used
  const fallback = await conversionTrainer.train({ interactions: funnel }, { minViewsForPrior: 5, alpha: 2, beta: 2 });
  assert.deepEqual(fallback.manifest.extra, { alpha: 2, beta: 2 });
});
