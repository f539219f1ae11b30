import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY_MS } from '../src/core/time.ts';
import type { EvalDataset } from '../src/eval/eval-dataset.ts';
import { parseProtocol, splitDataset, type EvalUser } from '../src/eval/splits.ts';
import type { ItemFeatures } from '../src/ml/dataset.ts';
import { assertCode, interactions } from './helpers/ml-data.ts';

/** A dataset from [user, item, day] rows, with a size per row ("S<day>") and a category per item ("cat-<item>"). */
function dataset(rows: ReadonlyArray<readonly [string, string, number]>): EvalDataset {
  const data = interactions(rows);
  data.sizeLabels = rows.map(([, , day]) => `S${day}`);
  data.sizes = Int32Array.from(rows, (_, k) => k);
  const items: ItemFeatures = {
    category: data.itemIds.map((id) => `cat-${id}`),
    brand: data.itemIds.map(() => undefined),
    tags: data.itemIds.map(() => []),
    attributes: data.itemIds.map(() => ({})),
    price: data.itemIds.map(() => undefined),
    createdAt: new Float64Array(data.itemIds.length),
  };
  return { name: 'test', interactions: data, items };
}

const byUser = (users: EvalUser[]): Record<string, { train: string[]; relevant: string[] }> =>
  Object.fromEntries(users.map((u) => [u.userId, { train: [...u.trainItems].sort(), relevant: [...u.relevant].sort() }]));

// u1 re-rents i2 after the cutoff; u3 has only test rentals; u4's test item i9 is outside the vocabulary
const GLOBAL_ROWS = [
  ['u1', 'i1', 1], ['u1', 'i2', 2], ['u2', 'i3', 3], ['u2', 'i4', 4], ['u4', 'i1', 5],
  ['u1', 'i3', 10], ['u1', 'i2', 11], ['u1', 'i4', 12], ['u3', 'i5', 12], ['u4', 'i9', 15],
] as const;

test('global-time: train before the cutoff, relevant = new vocabulary items after it', () => {
  const split = splitDataset(dataset(GLOBAL_ROWS), parseProtocol('global-time', new Date(10 * DAY_MS).toISOString()));
  assert.deepEqual(byUser(split.users), { u1: { train: ['i1', 'i2'], relevant: ['i3', 'i4'] } });
  const train = split.train.interactions;
  assert.deepEqual(train.itemIds, ['i1', 'i2', 'i3', 'i4']);
  assert.deepEqual(train.userIds, ['u1', 'u2', 'u4']);
  assert.equal(split.trainRows, 5);
  assert.equal(split.trainEnd, 10 * DAY_MS);
  // side columns follow their rows; item features are re-indexed to the vocabulary
  assert.deepEqual(Array.from(train.sizes ?? [], (s) => train.sizeLabels?.[s]), ['S1', 'S2', 'S3', 'S4', 'S5']);
  assert.deepEqual(split.train.items?.category, ['cat-i1', 'cat-i2', 'cat-i3', 'cat-i4']);
});

test('global-time: a repeated pair counts once, at its first occurrence', () => {
  const rows = [['u1', 'i1', 1], ['u1', 'i1', 2], ['u2', 'i1', 3], ['u2', 'i2', 4], ['u1', 'i2', 20]] as const;
  const split = splitDataset(dataset(rows), parseProtocol('global-time', new Date(10 * DAY_MS).toISOString()));
  assert.equal(split.trainRows, 4, 'rows before the cutoff, repeats included');
  assert.equal(split.train.interactions.users.length, 3, 'distinct pairs in train');
  assert.deepEqual(Array.from(split.train.interactions.ts, (t) => t / DAY_MS), [1, 3, 4], 'the first occurrence is kept');
  assert.deepEqual(byUser(split.users), { u1: { train: ['i1'], relevant: ['i2'] } });
});

test('user-time: members with ≥ 5 items hold out their last max(1, floor(0.2·n)), ties in input order', () => {
  const rows: Array<[string, string, number]> = [];
  // u1: 6 distinct items (+ a repeat of a1 on day 9, not counted) → holds out 1: a5, the later of two on day 5
  for (const [item, day] of [['a0', 0], ['a1', 1], ['a2', 2], ['a3', 3], ['a4', 5], ['a5', 5], ['a1', 9]] as const) rows.push(['u1', item, day]);
  // u2: 10 items on days 0..9 → holds out 2: a8, a9 (in the vocabulary through u3)
  for (let d = 0; d < 10; d++) rows.push(['u2', `a${d}`, d]);
  // u3: 4 items → all train (puts a5, a8, a9 and b0 into the vocabulary)
  for (const [item, day] of [['a5', 0], ['b0', 1], ['a8', 2], ['a9', 3]] as const) rows.push(['u3', item, day]);
  const split = splitDataset(dataset(rows), parseProtocol('user-time'));
  assert.deepEqual(byUser(split.users), {
    u1: { train: ['a0', 'a1', 'a2', 'a3', 'a4'], relevant: ['a5'] },
    u2: { train: ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'], relevant: ['a8', 'a9'] },
  });
  assert.equal(split.trainRows, 6 + 8 + 4, "u1's repeat of a train item counts as a train row");
  assert.equal(split.trainEnd, 7 * DAY_MS, 'the last train interaction (u2 a7, day 7; the deduplicated repeat on day 9 is not train)');
  assert.equal(split.train.interactions.itemIds.length, 11, 'a0…a9 and b0');
});

test('user-time: a held-out item nobody has in train is not relevant', () => {
  const rows: Array<[string, string, number]> = [];
  for (let d = 0; d < 5; d++) rows.push(['u1', `x${d}`, d]);
  rows.push(['u2', 'x0', 0]);
  // u1's held-out x4 is in nobody's train part → u1 has no relevant item → nobody to evaluate
  return assertCode(() => splitDataset(dataset(rows), parseProtocol('user-time')), 'VITRINE_EVAL_NO_USERS', 'none is by a member');
});

test('no evaluated member is a typed error that says why', async () => {
  const ds = dataset(GLOBAL_ROWS);
  const day = (d: number): string => new Date(d * DAY_MS).toISOString().slice(0, 10);
  await assertCode(() => splitDataset(ds, parseProtocol('global-time', '2030-01-01')), 'VITRINE_EVAL_NO_USERS',
    `cutoff 2030-01-01 is after the last event ${day(15)}`);
  await assertCode(() => splitDataset(ds, parseProtocol('global-time', day(1))), 'VITRINE_EVAL_NO_USERS',
    `cutoff ${day(1)} is at or before the first event ${day(1)}`);
  await assertCode(() => splitDataset(ds, parseProtocol('user-time')), 'VITRINE_EVAL_NO_USERS', 'no member has 5 or more');
  await assertCode(() => splitDataset(dataset([]), parseProtocol('user-time')), 'VITRINE_EVAL_NO_USERS', 'no positive');
});

test('bad protocols are VITRINE_EVAL_BAD_PROTOCOL', async () => {
  await assertCode(() => parseProtocol('leave-one-out'), 'VITRINE_EVAL_BAD_PROTOCOL', 'one of global-time, user-time');
  await assertCode(() => parseProtocol(undefined), 'VITRINE_EVAL_BAD_PROTOCOL');
  await assertCode(() => parseProtocol('global-time'), 'VITRINE_EVAL_BAD_PROTOCOL', 'needs --cutoff');
  await assertCode(() => parseProtocol('global-time', 'July'), 'VITRINE_EVAL_BAD_PROTOCOL', 'not an ISO-8601 date');
  await assertCode(() => parseProtocol('user-time', '2017-07-01'), 'VITRINE_EVAL_BAD_PROTOCOL', 'takes no --cutoff');
  assert.deepEqual(parseProtocol('global-time', '2017-07-01'), { name: 'global-time', cutoff: Date.UTC(2017, 6, 1) });
});
