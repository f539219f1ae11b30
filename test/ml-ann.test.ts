import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calibrateProbes, exactSearch, IvfIndex, measureRecall } from '../src/ml/ann/index.ts';
import { seededUniform } from '../src/ml/common/rng.ts';

const gauss = (random: () => number) => () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** n × dim standard normal vectors (seeded), with norms spread like trained factors. */
function randomSet(n: number, dim: number, seed: number): Float32Array {
  const g = gauss(seededUniform(seed));
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const scale = 0.5 + (i % 7) / 7;
    for (let f = 0; f < dim; f++) out[i * dim + f] = g() * scale;
  }
  return out;
}

/** n × dim vectors around `clusters` centres (seeded): the shape of real item factors. */
function clusteredSet(n: number, dim: number, clusters: number, seed: number): Float32Array {
  const g = gauss(seededUniform(seed));
  const centres = Float32Array.from({ length: clusters * dim }, () => g() * 2);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = i % clusters;
    for (let f = 0; f < dim; f++) out[i * dim + f] = centres[c * dim + f] + g() * 0.6;
  }
  return out;
}

for (const [name, vectors, queries] of [
  ['random', randomSet(5000, 32, 1), randomSet(200, 32, 2)],
  ['clustered', clusteredSet(5000, 32, 40, 3), clusteredSet(200, 32, 40, 4)],
] as const) {
  for (const metric of ['inner-product', 'cosine'] as const) {
    test(`${name} set, ${metric}: calibrated probes reach recall@20 ≥ 0.95 vs exact, scanning a fraction`, () => {
      const index = IvfIndex.build(vectors, 5000, 32, { metric, seed: 7 });
      const tuned = calibrateProbes(index, vectors, queries.subarray(0, 100 * 32), 20, 0.97);
      // judged on queries the calibration did not see
      const report = measureRecall(index, vectors, queries.subarray(100 * 32), 20);
      assert.ok(report.recall >= 0.95, `recall@20 ${report.recall} at ${tuned.probes}/${index.lists} probes`);
      assert.ok(report.scannedFraction < 0.75, `scanned ${report.scannedFraction}`);
    });
  }
}

test('the index is deterministic given its seed', () => {
  const vectors = clusteredSet(2000, 16, 20, 5);
  const q = randomSet(1, 16, 6);
  const a = IvfIndex.build(vectors, 2000, 16, { metric: 'inner-product', seed: 3, probes: 4 }).search(q, 20);
  const b = IvfIndex.build(vectors, 2000, 16, { metric: 'inner-product', seed: 3, probes: 4 }).search(q, 20);
  assert.deepEqual([...a.indexes], [...b.indexes]);
  assert.deepEqual([...a.scores], [...b.scores]);
});

test('tiny sets: the answer is exactly the exact one, with exact scores (ties to the lower index)', () => {
  // 3 items in 2-d: inner products with q = (1, 0) are 2, 1, 2 → [0, 2, 1]
  const vectors = Float32Array.from([2, 0, 1, 5, 2, 0]);
  const index = IvfIndex.build(vectors, 3, 2, { metric: 'inner-product', seed: 1, lists: 3, probes: 1 });
  const hits = index.search([1, 0], 3);
  assert.deepEqual([...hits.indexes], [0, 2, 1]);
  assert.deepEqual([...hits.scores], [2, 2, 1]);
  const cosine = IvfIndex.build(vectors, 3, 2, { metric: 'cosine', seed: 1 }).search([1, 0], 2);
  assert.deepEqual([...cosine.indexes], [0, 2]);
  assert.ok(Math.abs(cosine.scores[0] - 1) < 1e-6);
  for (let n = 1; n <= 40; n += 13) {
    const set = randomSet(n, 8, n);
    const q = randomSet(1, 8, 100 + n);
    const exact = exactSearch(set, n, 8, 'inner-product', q, 10);
    const ann = IvfIndex.build(set, n, 8, { metric: 'inner-product', seed: 2, probes: 1000 }).search(q, 10);
    assert.deepEqual([...ann.indexes], [...exact.indexes], `n = ${n}`);
  }
  assert.equal(IvfIndex.build(new Float32Array(0), 0, 4, { metric: 'cosine' }).search([1, 0, 0, 0], 5).indexes.length, 0);
});

test('exclusions and filters are respected, and a restrictive filter still gets k results (more lists are probed)', () => {
  const n = 3000, dim = 16;
  const vectors = clusteredSet(n, dim, 30, 8);
  const index = IvfIndex.build(vectors, n, dim, { metric: 'inner-product', seed: 4, probes: 2 });
  const q = vectors.subarray(0, dim);
  const excluded = new Uint8Array(n);
  for (let i = 0; i < n; i += 2) excluded[i] = 1; // every even item is held
  const accept = (i: number) => i % 3 === 0; // …and only every third is in the member's size
  const hits = index.search(q, 20, { excluded, accept });
  assert.equal(hits.indexes.length, 20);
  for (const i of hits.indexes) assert.ok(i % 2 === 1 && i % 3 === 0, `item ${i} should have been filtered`);
  // a filter only ~1 in 100 items passes: the scan goes on until 20 are found
  const rare = index.search(q, 20, { accept: (i) => i % 100 === 0 });
  assert.equal(rare.indexes.length, 20);
  const exactRare = exactSearch(vectors, n, dim, 'inner-product', q, 20, { accept: (i) => i % 100 === 0 });
  assert.ok(new Set(rare.indexes).size === 20 && exactRare.indexes.length === 20);
  // asking for more than can pass returns everything that passes, no more
  assert.equal(index.search(q, 50, { accept: (i) => i < 10 }).indexes.length, 10);
});

test('ALS with an ANN index: approximate recommend keeps exclusions and filters, agrees with exact; without the option it stays exact', async () => {
  const { alsTrainer } = await import('../src/ml/als/als-trainer.ts');
  const { AlsModel } = await import('../src/ml/als/als-model.ts');
  const { interactions } = await import('./helpers/ml-data.ts');
  const random = seededUniform(9);
  const rows: Array<[string, string]> = [];
  for (let u = 0; u < 300; u++) {
    const group = u % 6;
    for (let j = 0; j < 12; j++) rows.push([`u${u}`, `i${group * 100 + Math.floor(random() * 100)}`]);
  }
  const model = await alsTrainer.train({ interactions: interactions(rows) }, { factors: 16, iterations: 6 });
  assert.ok(model instanceof AlsModel);
  const exact = model.recommend({ userId: 'u7' }, 20);
  assert.deepEqual(model.recommend({ userId: 'u7' }, 20, { approximate: true }), exact, 'no index yet: exact');
  const report = model.attachAnnIndex({ targetRecall: 0.95, k: 20 });
  assert.ok(report.recall >= 0.95 && report.probes <= report.lists, JSON.stringify(report));
  assert.deepEqual(model.recommend({ userId: 'u7' }, 20), exact, 'without `approximate` the answer is still exact');
  const held = new Set(exact.slice(0, 5).map((s) => s.itemId));
  const inSize = (id: string) => Number(id.slice(1)) % 2 === 0;
  const ann = model.recommend({ userId: 'u7' }, 20, { approximate: true, exclude: held, filter: inSize });
  assert.equal(ann.length, 20);
  for (const s of ann) assert.ok(!held.has(s.itemId) && inSize(s.itemId), s.itemId);
  const exactFiltered = model.recommend({ userId: 'u7' }, 20, { exclude: held, filter: inSize });
  const overlap = ann.filter((s) => exactFiltered.some((e) => e.itemId === s.itemId)).length;
  assert.ok(overlap >= 15, `overlap ${overlap}/20`);
});

test('the SIMD scan of several lists in one call gives the same numbers as one call per list', async () => {
  const { SimdRowDots } = await import('../src/ml/ann/simd-dots.ts');
  const n = 50, dim = 8;
  const simd = SimdRowDots.create(n, dim, 4);
  if (!simd) return; // no WebAssembly SIMD here: the scalar scan serves, nothing to compare
  simd.rows.set(randomSet(n, dim, 11));
  simd.setQuery(randomSet(1, dim, 12));
  // lists [0, 7) [7, 7) (empty) [7, 30) [30, 50), scored in the order 2, 1, 0 (list 3 not probed)
  const offsets = Int32Array.from([0, 7, 7, 30, 50]);
  const perList = new Float32Array(n);
  for (const l of [2, 1, 0]) perList.set(simd.dots(offsets[l], offsets[l + 1]).subarray(offsets[l], offsets[l + 1]), offsets[l]);
  simd.dots(0, n).fill(-1);
  const batched = simd.listDots(Int32Array.from([2, 1, 0]), 3, offsets);
  assert.deepEqual([...batched.subarray(0, 30)], [...perList.subarray(0, 30)]);
  assert.deepEqual([...batched.subarray(30)], new Array(20).fill(-1), 'rows of lists not asked for are not written');
});
