import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DAY_MS } from '../src/core/time.ts';
import { buildInteractions, type InteractionData } from '../src/ml/dataset.ts';
import { seededUniform } from '../src/ml/common/rng.ts';
import type { HybridModel } from '../src/ml/hybrid/hybrid-model.ts';
import { hybridTrainer, trainingClock } from '../src/ml/hybrid/hybrid-trainer.ts';
import { sizeFromItems } from '../src/ml/hybrid/member-profiles.ts';
import type { Model } from '../src/ml/model.ts';
import { popularityRecentTrainer, popularityTrainer } from '../src/ml/popularity/popularity-trainer.ts';
import { assertCode, tempDir } from './helpers/ml-data.ts';

const { dir: root, cleanup } = tempDir();
after(cleanup);

/**
 * A fashion-rental world where what a member rents next is "new and trending, in my size": every 4
 * days an item launches, alternating size 0 (A…) and size 20 (B…, named by launch day); each day a
 * member rents with probability 0.15 one of the items of their size launched in the last 24 days, the
 * newer the likelier (weight e^(−age/5)). 120 members wear size 0 and 60 size 20, so size-0 items
 * dominate overall popularity. Everyone also rented C0 on day 0. X (size 20) and Y (size 0) rented
 * only C0: their histories differ in the size alone.
 * - popularity (all time) and popularity-recent offer X size-0 items;
 * - only recency within the member's size offers X the newest size-20 items (B358 launched last).
 */
const DAYS = 360;
const CLOCK = DAYS * DAY_MS;
const SIZE_CHART = ['0', '2', '4', '6', '8', '10', '12', '14', '16', '18', '20', '22'];
const GROUPS = [{ size: '0', prefix: 'A', members: 120, launchOffset: 0 }, { size: '20', prefix: 'B', members: 60, launchOffset: 2 }];

function plantedWorld(): InteractionData {
  const random = seededUniform(1);
  const rows: Array<{ user: string; item: string; ts: number; size: string }> = [];
  const had = new Map<string, Set<string>>();
  for (const g of GROUPS) {
    for (let m = 0; m < g.members; m++) {
      rows.push({ user: `${g.prefix}m${m}`, item: 'C0', ts: 0, size: g.size });
      had.set(`${g.prefix}m${m}`, new Set(['C0']));
    }
  }
  rows.push({ user: 'X', item: 'C0', ts: 1, size: '20' }, { user: 'Y', item: 'C0', ts: 1, size: '0' });
  for (let day = 1; day < DAYS; day++) {
    for (const g of GROUPS) {
      const live: Array<{ id: string; age: number }> = [];
      for (let d = day; d > day - 24 && d >= 0; d--) if ((d - g.launchOffset) % 4 === 0) live.push({ id: `${g.prefix}${d}`, age: day - d });
      for (let m = 0; m < g.members; m++) {
        if (random() >= 0.15) continue;
        const user = `${g.prefix}m${m}`;
        const seen = had.get(user) as Set<string>;
        const options = live.filter((o) => !seen.has(o.id));
        if (options.length === 0) continue;
        const weights = options.map((o) => Math.exp(-o.age / 5));
        let r = random() * weights.reduce((a, b) => a + b, 0);
        let k = 0;
        while (k < weights.length - 1 && r >= weights[k]) r -= weights[k++];
        seen.add(options[k].id);
        rows.push({ user, item: options[k].id, ts: day * DAY_MS + Math.floor(random() * DAY_MS), size: g.size });
      }
    }
  }
  const data = buildInteractions(rows);
  return { ...data, sizeLabels: SIZE_CHART, sizes: Int32Array.from(rows, (r) => SIZE_CHART.indexOf(r.size)) };
}

const data = plantedWorld();
const onlyC0 = { exclude: new Set(['C0']) };
let hybrid: Model;
const trainingLog: string[] = [];

before(async () => {
  hybrid = await hybridTrainer.train({ interactions: data }, {}, { now: CLOCK, onProgress: (_f, label) => trainingLog.push(label) });
});

const topFor = (model: Model, userId: string, n: number): string[] => model.recommend({ userId }, n, onlyC0).map((r) => r.itemId);
/** launched (named by day) within the last `days` before the clock, in size group `prefix` */
const recentIn = (prefix: string, days: number) => (id: string): boolean => id.startsWith(prefix) && Number(id.slice(1)) >= DAYS - days;

test('hybrid offers the newest items in the member\'s size, where popularity offers the majority size', async () => {
  const popular = await popularityTrainer.train({ interactions: data }, {}, { now: CLOCK });
  const recent = await popularityRecentTrainer.train({ interactions: data }, {}, { now: CLOCK });
  for (const model of [popular, recent]) assert.ok(topFor(model, 'X', 3).every((id) => id.startsWith('A')), `${model.algorithm}: ${topFor(model, 'X', 3)}`);
  const x = topFor(hybrid, 'X', 3);
  assert.ok(x.includes('B358') && x.every(recentIn('B', 12)), `hybrid for X (size 20): ${x}`);
  const y = topFor(hybrid, 'Y', 3);
  assert.ok(y.includes('A356') && y.every(recentIn('A', 12)), `hybrid for Y (size 0): ${y}`);
  assert.equal(hybrid.manifest.extra?.learner, 'logloss');
  // the guard: here the trees beat every component on held-out inner members, and say so
  const guard = hybrid.manifest.extra?.guard as { current: { ranking: string; ndcg: Record<string, number> } };
  assert.equal(hybrid.manifest.extra?.ranking, 'forest');
  assert.ok(guard.current.ndcg.forest > guard.current.ndcg['size-popularity'], JSON.stringify(guard.current.ndcg));
  assert.ok(trainingLog.some((l) => l.startsWith('questions at or after the training clock: ranking by forest (inner NDCG@10')), trainingLog.join('\n'));
});

test('without the size features X and Y look alike: the size is what tells them apart', async () => {
  const sizeBlind = await hybridTrainer.train({ interactions: data }, { dropFeatures: 'sizePopRecent,sizePopAll,sizeMatch,sizeGap,memberSize' }, { now: CLOCK });
  assert.deepEqual(topFor(sizeBlind, 'X', 5), topFor(sizeBlind, 'Y', 5));
  assert.ok(!topFor(sizeBlind, 'X', 1).every(recentIn('B', 12)));
});

test('recommend is a full ranking for any n and honours exclude and filter', () => {
  const all = hybrid.recommend({ userId: 'X' }, data.itemIds.length);
  assert.equal(new Set(all.map((r) => r.itemId)).size, data.itemIds.length);
  for (let k = 1; k < all.length; k++) assert.ok(all[k - 1].score >= all[k].score);
  const sizeTwenty = data.itemIds.filter((id) => id.startsWith('B'));
  const filtered = hybrid.recommend({ userId: 'X' }, 1000, { exclude: new Set(['B358']), filter: (id) => id.startsWith('B') });
  assert.equal(filtered.length, sizeTwenty.length - 1);
  assert.ok(filtered.every((r) => r.itemId.startsWith('B') && r.itemId !== 'B358'));
  assert.deepEqual(hybrid.recommend({ userId: 'X' }, 0), []);
});

test('a live interaction list ranks like the member it describes; unknown members and vectors are typed errors', async () => {
  // a size-20 member's own rentals, replayed live (no size column): their neighbours are size-20 items
  const rows = [...data.users.keys()].filter((k) => data.userIds[data.users[k]] === 'Bm0');
  const live = hybrid.recommend({ interactions: rows.map((k) => ({ itemId: data.itemIds[data.items[k]], ts: data.ts[k] })) }, 3,
    { exclude: new Set(rows.map((k) => data.itemIds[data.items[k]])) });
  assert.ok(live.every((r) => recentIn('B', 24)(r.itemId)), `live: ${live.map((r) => r.itemId)}`);
  // why: a list carries no sizes, so the member's size is read from the items (size 20 = rank 10 of the chart)
  const { profiles, stats } = (hybrid as HybridModel).state;
  const itemIndex = new Map(data.itemIds.map((id, i) => [id, i]));
  const asked = { interactions: rows.map((k) => ({ itemId: data.itemIds[data.items[k]], ts: data.ts[k] })) };
  assert.equal(profiles.resolve(asked, itemIndex, stats.asOfDay, stats.columns.sizeMedian).sizeRank, 10);
  assert.equal(profiles.stateOf(profiles.history.rowOf('Bm0') as number).sizeRank, 10);
  assert.equal(sizeFromItems(Int32Array.of(0, 1, 2, 3), Float32Array.of(Number.NaN, 10, 0, 10)), 10);
  assert.ok(Number.isNaN(sizeFromItems(Int32Array.of(0), Float32Array.of(Number.NaN))));
  await assertCode(() => hybrid.recommend({ userId: 'nobody' }, 3), 'VITRINE_MODEL_UNKNOWN_USER');
  await assertCode(() => hybrid.recommend({ vector: new Float32Array(4) }, 3), 'VITRINE_MODEL_BAD_PARAMS');
  assert.ok(hybrid.similar('B358', 3).every((r) => r.itemId !== 'B358'));
});

test('time belongs to the query: asked at an earlier asOf, the hybrid\'s statistics and candidates are those of that day', () => {
  const model = hybrid as HybridModel;
  assert.equal(model.stateAt(undefined), model.state);
  assert.equal(model.stateAt(CLOCK - DAY_MS / 2), model.state, 'within a day of the training clock: the trained state');
  const past = model.stateAt(100 * DAY_MS + 3_600_000);
  const index = (id: string): number => data.itemIds.indexOf(id);
  const rentedBefore = (id: string, day: number): number => {
    let n = 0;
    for (let k = 0; k < data.users.length; k++) if (data.items[k] === index(id) && data.ts[k] < day * DAY_MS) n++;
    return n;
  };
  // the day grid: asked at day 100 + 1 h, rows before day 101 count
  assert.equal(past.stats.asOfDay, 101);
  assert.ok(rentedBefore('A96', 101) > 0);
  assert.equal(past.stats.columns.popAll[index('A96')], rentedBefore('A96', 101));
  assert.equal(past.stats.columns.popAll[index('A352')], 0);
  assert.ok(!past.stats.known(index('A352')) && model.state.stats.known(index('A352')));
  // trending at day 101: A96 was among the newest; at the clock it is long forgotten
  assert.ok(past.stats.columns.pop30[index('A96')] > 0 && model.state.stats.columns.pop30[index('A96')] === 0);
  const live = hybrid.recommend({ userId: 'Y' }, 3, { ...onlyC0, asOf: 400 * DAY_MS });
  assert.equal(live.length, 3, 'asked after the clock, from the statistics of that day');
});

test('hybrid artifact round-trips: identical scores and rankings after save and load', async () => {
  const dir = join(root, 'hybrid');
  await hybrid.save(dir);
  const loaded = await hybridTrainer.load(dir);
  for (const userId of ['X', 'Am3', 'Bm11']) {
    assert.deepEqual([...loaded.score({ userId }, data.itemIds)], [...hybrid.score({ userId }, data.itemIds)]);
    assert.deepEqual(loaded.recommend({ userId }, 10), hybrid.recommend({ userId }, 10));
  }
  await assertCode(() => popularityTrainer.load(dir), 'VITRINE_MODEL_ARTIFACT_VERSION');
  // a component missing from the artifact fails the load with a typed error, not a crash at serving
  rmSync(join(dir, 'components', 'knn', 'manifest.json'));
  await assertCode(() => hybridTrainer.load(dir), 'VITRINE_MODEL_ARTIFACT_CORRUPT');
});

test('asking for the same member twice answers from the remembered scores; another member or another history is scored afresh', async () => {
  const dir = join(root, 'hybrid-memo');
  await hybrid.save(dir);
  const fresh = async () => hybridTrainer.load(dir);
  const history = (userId: string) => [...data.users.keys()].filter((k) => data.userIds[data.users[k]] === userId)
    .map((k) => ({ itemId: data.itemIds[data.items[k]], ts: data.ts[k] }));
  const memo = await fresh();
  // interleaved asks on one instance, each compared with a new instance that has seen nothing
  const asks = [{ userId: 'X' }, { userId: 'X' }, { userId: 'Am3' }, { interactions: history('Bm0') },
    { interactions: history('Bm0') }, { interactions: history('Bm0').slice(1) }, { userId: 'X' }];
  for (const query of asks) {
    assert.deepEqual(memo.recommend(query, 10), (await fresh()).recommend(query, 10), JSON.stringify(query).slice(0, 60));
    assert.deepEqual([...memo.score(query, data.itemIds)], [...(await fresh()).score(query, data.itemIds)]);
  }
});

test('training is deterministic by seed', async () => {
  const again = await hybridTrainer.train({ interactions: data }, {}, { now: CLOCK });
  assert.deepEqual([...again.score({ userId: 'Bm4' }, data.itemIds)], [...hybrid.score({ userId: 'Bm4' }, data.itemIds)]);
});

test('empty data, unknown parameters and feature names are typed errors', async () => {
  await assertCode(() => hybridTrainer.train({ interactions: buildInteractions([]) }), 'VITRINE_MODEL_EMPTY_DATA');
  await assertCode(() => hybridTrainer.train({ interactions: data }, { dropFeatures: 'nope' }), 'VITRINE_MODEL_BAD_PARAMS', 'nope');
  await assertCode(() => hybridTrainer.train({ interactions: data }, { rounds: 0 }), 'VITRINE_MODEL_BAD_PARAMS');
});

test('too little history for an inner split falls back to size-band + recent popularity', async () => {
  const tiny = buildInteractions([
    { user: 'u1', item: 'a', ts: 0 }, { user: 'u2', item: 'a', ts: DAY_MS }, { user: 'u2', item: 'b', ts: 2 * DAY_MS },
  ]);
  const model = await hybridTrainer.train({ interactions: tiny });
  assert.match(String(model.manifest.extra?.learner), /^fallback/);
  assert.deepEqual(model.recommend({ userId: 'u1' }, 2, { exclude: new Set(['a']) }).map((r) => r.itemId), ['b']);
});

test('the training clock never reaches past the data: a late ctx.now is pulled back to a day after the last row', () => {
  assert.equal(trainingClock(100 * DAY_MS, 101 * DAY_MS), 101 * DAY_MS);
  assert.equal(trainingClock(100 * DAY_MS, 900 * DAY_MS), 101 * DAY_MS);
  // the last row belongs to train when the clock is at it (user-time passes its last train row)
  assert.equal(trainingClock(100 * DAY_MS, 100 * DAY_MS), 100 * DAY_MS + 1);
  assert.equal(trainingClock(100 * DAY_MS, 50 * DAY_MS), 50 * DAY_MS + 1);
});
