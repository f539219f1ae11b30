import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { invertSpdInPlace, sharedMatrix } from '../src/ml/ease/spd-inverse.ts';
import { easeTrainer, type EaseModel } from '../src/ml/ease/ease.ts';
import { seededUniform } from '../src/ml/common/rng.ts';
import { assertCode, blocks, ids, interactions, tempDir } from './helpers/ml-data.ts';

const { dir: root, cleanup } = tempDir();
after(cleanup);

/** A random SPD matrix XᵀX + 5I and a copy. */
function randomSpd(n: number, shared: boolean): { a: Float64Array; g: Float64Array } {
  const next = seededUniform(n);
  const x = Float64Array.from({ length: 3 * n * n }, () => (next() < 0.1 ? 1 : 0));
  const g = new Float64Array(n * n);
  for (let u = 0; u < 3 * n; u++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g[i * n + j] += x[u * n + i] * x[u * n + j];
  for (let i = 0; i < n; i++) g[i * n + i] += 5;
  const a = shared ? sharedMatrix(n) : new Float64Array(n * n);
  a.set(g);
  return { a, g };
}

function maxErrorOfProduct(g: Float64Array, inv: Float64Array, n: number): number {
  let err = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += g[i * n + k] * inv[k * n + j];
      err = Math.max(err, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return err;
}

test('the blocked sweep inverse gives A·A⁻¹ = I (ragged last block), identical in this thread and in 2 workers', async () => {
  const one = randomSpd(70, false);
  assert.equal(await invertSpdInPlace(one.a, 70, { blockSize: 16 }), true);
  assert.ok(maxErrorOfProduct(one.g, one.a, 70) < 1e-10);
  const two = randomSpd(90, true);
  assert.equal(await invertSpdInPlace(two.a, 90, { blockSize: 8, threads: 2 }), true);
  assert.ok(maxErrorOfProduct(two.g, two.a, 90) < 1e-10);
  // every entry is computed the same way whichever thread owns its row: bit-identical results
  const same = randomSpd(90, false);
  await invertSpdInPlace(same.a, 90, { blockSize: 8 });
  assert.deepEqual(same.a, two.a);
  const notPd = Float64Array.from([1, 2, 2, 1]);
  assert.equal(await invertSpdInPlace(notPd, 2), false);
});

test('EASE matches a hand-checked inverse: B_ij = −P_ij / P_jj with a zero diagonal', async () => {
  // XᵀX + I = [[2,1,0],[1,3,1],[0,1,2]], P = ⅛·[[5,−2,1],[−2,4,−2],[1,−2,5]]
  const model = (await easeTrainer.train({ interactions: interactions([['u', 'a'], ['u', 'b'], ['v', 'b'], ['v', 'c']]) }, { lambda: 1 })) as EaseModel;
  const expected = { a: [0, 0.5, -0.2], b: [0.4, 0, 0.4], c: [-0.2, 0.5, 0] };
  for (const [item, row] of Object.entries(expected)) {
    const got = [...model.weightRow(item)];
    got.forEach((w, j) => assert.ok(Math.abs(w - row[j]) < 1e-6, `B[${item}] = ${got} vs ${row}`));
  }
  const s = model.score({ userId: 'u' }, ['a', 'b', 'c']);
  [0.4, 0.5, 0.2].forEach((e, j) => assert.ok(Math.abs(s[j] - e) < 1e-6, String(s)));
});

test('block structure: the held-out item of a member\'s block ranks first', async () => {
  const data = blocks([
    { users: ids('g', 15), items: ids('x', 8) },
    { users: ids('h', 15), items: ids('y', 8) },
  ], [['g0', 'x7'], ['h4', 'y0']]);
  const model = await easeTrainer.train({ interactions: data }, { lambda: 10 });
  const ownBut = (prefix: string, held: string): Set<string> => new Set(ids(prefix, 8).filter((i) => i !== held));
  assert.equal(model.recommend({ userId: 'g0' }, 1, { exclude: ownBut('x', 'x7') })[0].itemId, 'x7');
  assert.equal(model.recommend({ userId: 'h4' }, 1, { exclude: ownBut('y', 'y0') })[0].itemId, 'y0');
  assert.equal(model.similar('x1', 1)[0].itemId.startsWith('x'), true);
});

test('save/load gives identical recommendations', async () => {
  const data = blocks([{ users: ids('g', 6), items: ids('x', 5) }, { users: ids('h', 6), items: ids('y', 5) }], [['g0', 'x1']]);
  const model = await easeTrainer.train({ interactions: data });
  await model.save(`${root}/ease`);
  const loaded = await easeTrainer.load(`${root}/ease`);
  assert.deepEqual(loaded.recommend({ userId: 'g0' }, 10), model.recommend({ userId: 'g0' }, 10));
  assert.deepEqual(loaded.recommend({ interactions: [{ itemId: 'y3' }] }, 4), model.recommend({ interactions: [{ itemId: 'y3' }] }, 4));
});

test('a catalogue over the memory budget is TOO_LARGE; aborts, empty data and unknown members are typed', async () => {
  const data = interactions([['u', 'a'], ['u', 'b']]);
  await assertCode(() => easeTrainer.train({ interactions: data }, { memoryBudgetGB: 1e-9 }), 'VITRINE_MODEL_TOO_LARGE', '2 items');
  const controller = new AbortController();
  controller.abort();
  await assertCode(() => easeTrainer.train({ interactions: data }, {}, { signal: controller.signal }), 'VITRINE_MODEL_ABORTED');
  await assertCode(() => easeTrainer.train({ interactions: interactions([]) }), 'VITRINE_MODEL_EMPTY_DATA');
  const model = await easeTrainer.train({ interactions: data });
  await assertCode(() => model.recommend({ userId: 'w' }, 1), 'VITRINE_MODEL_UNKNOWN_USER');
});
