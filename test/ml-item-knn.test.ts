import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { itemKnnTrainer } from '../src/ml/item-knn/item-knn.ts';
import { assertCode, blocks, ids, interactions, tempDir } from './helpers/ml-data.ts';

const { dir: root, cleanup } = tempDir();
after(cleanup);
const close = (a: number, b: number): boolean => Math.abs(a - b) < 1e-6;

// a: u1 u2 u3, b: u1 u2 u4, c: u3 → cos(a,b) = 2/3, cos(a,c) = 1/√3, cos(b,c) = 0
const tiny = interactions([['u1', 'a'], ['u1', 'b'], ['u2', 'a'], ['u2', 'b'], ['u3', 'a'], ['u3', 'c'], ['u4', 'b']]);

test('scores are sums of cosines on the binary matrix, and similar() lists neighbours by cosine', async () => {
  const model = await itemKnnTrainer.train({ interactions: tiny });
  const s = model.score({ interactions: [{ itemId: 'a' }] }, ['a', 'b', 'c']);
  assert.equal(s[0], 0);
  assert.ok(close(s[1], 2 / 3) && close(s[2], 1 / Math.sqrt(3)), String(s));
  const similar = model.similar('a', 5);
  assert.deepEqual(similar.map((r) => r.itemId), ['b', 'c']);
  assert.ok(close(similar[0].score, 2 / 3));
  // u3 has a and c: b gets cos(a, b) (c is no neighbour of b)
  assert.ok(close(model.score({ userId: 'u3' }, ['b'])[0], 2 / 3));
});

test('an item counts towards j only when it is among j\'s k most similar items', async () => {
  // with k = 1, a's only neighbour is b: a member holding c adds nothing to a
  const k1 = await itemKnnTrainer.train({ interactions: tiny }, { k: 1 });
  assert.equal(k1.score({ interactions: [{ itemId: 'c' }] }, ['a'])[0], 0);
  const k2 = await itemKnnTrainer.train({ interactions: tiny }, { k: 2 });
  assert.ok(close(k2.score({ interactions: [{ itemId: 'c' }] }, ['a'])[0], 1 / Math.sqrt(3)));
});

test('shrinkage damps the cosine: c / (√(n_i n_j) + shrinkage)', async () => {
  const model = await itemKnnTrainer.train({ interactions: tiny }, { shrinkage: 1 });
  assert.ok(close(model.score({ interactions: [{ itemId: 'a' }] }, ['b'])[0], 2 / 4));
});

test('block structure: the held-out item of a member\'s block ranks first', async () => {
  const data = blocks([
    { users: ids('g', 12), items: ids('x', 6) },
    { users: ids('h', 12), items: ids('y', 6) },
  ], [['g0', 'x5'], ['g1', 'x0'], ['h3', 'y2']]);
  const model = await itemKnnTrainer.train({ interactions: data });
  const ownBut = (items: string[], held: string): Set<string> => new Set(items.filter((i) => i !== held));
  assert.equal(model.recommend({ userId: 'g0' }, 1, { exclude: ownBut(ids('x', 6), 'x5') })[0].itemId, 'x5');
  assert.equal(model.recommend({ userId: 'g1' }, 1, { exclude: ownBut(ids('x', 6), 'x0') })[0].itemId, 'x0');
  assert.equal(model.recommend({ userId: 'h3' }, 1, { exclude: ownBut(ids('y', 6), 'y2') })[0].itemId, 'y2');
  // the other block's items score 0, after every item of the member's own block
  const top6 = model.recommend({ userId: 'h3' }, 6).map((r) => r.itemId);
  assert.deepEqual(new Set(top6), new Set(ids('y', 6)));
});

test('save/load gives identical recommendations', async () => {
  const model = await itemKnnTrainer.train({ interactions: tiny });
  await model.save(`${root}/knn`);
  const loaded = await itemKnnTrainer.load(`${root}/knn`);
  for (const u of ['u1', 'u2', 'u3', 'u4']) assert.deepEqual(loaded.recommend({ userId: u }, 3), model.recommend({ userId: u }, 3));
  assert.deepEqual(loaded.similar('c', 3), model.similar('c', 3));
});

test('unknown members, unknown items, vector queries and empty data are typed errors', async () => {
  const model = await itemKnnTrainer.train({ interactions: tiny });
  await assertCode(() => model.recommend({ userId: 'u9' }, 3), 'VITRINE_MODEL_UNKNOWN_USER');
  await assertCode(() => model.similar('zz', 3), 'VITRINE_MODEL_UNKNOWN_ITEM');
  await assertCode(() => model.recommend({ vector: new Float32Array(4) }, 3), 'VITRINE_MODEL_BAD_PARAMS');
  await assertCode(() => model.recommend({ userId: 'u1' }, -1), 'VITRINE_MODEL_BAD_PARAMS');
  await assertCode(() => itemKnnTrainer.train({ interactions: interactions([]) }), 'VITRINE_MODEL_EMPTY_DATA');
  await assertCode(() => itemKnnTrainer.train({ interactions: tiny }, { k: 0 }), 'VITRINE_MODEL_BAD_PARAMS');
  assert.deepEqual([...model.score({ userId: 'u1' }, ['never'])].map(Number.isNaN), [true]);
});
