/**
 * The serving predictor (src/ml/fit/serving-predictor.ts) behind FitModel.predictItems must give the
 * same bits as the generic predictRows path: members and items seen and unseen, several sizes (number,
 * label, unparseable), numeric and categorical member columns, item and rental columns, batches longer
 * than its chunk; its per-call member state must not leak into the next call; the forest compiled to
 * JavaScript and to WebAssembly must equal the array walk, NaN included.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { alignFitData } from '../src/ml/fit/align-fit-data.ts';
import type { FitColumn, FitData } from '../src/ml/fit/fit-data.ts';
import { fitFeatureColumns } from '../src/ml/fit/fit-features.ts';
import { encodeFitModel } from '../src/ml/fit/fit-model-codec.ts';
import { FitModel } from '../src/ml/fit/fit-model.ts';
import { addForestScoresRowMajor, addForestScoresWithShared, type Forest, predictForest, softmaxRows } from '../src/ml/fit/gbdt/forest.ts';
import { compileForestToWasm } from '../src/ml/fit/gbdt/wasm-forest.ts';
import { seededRandom } from '../src/ml/fit/seeded-random.ts';
import { FitServingPredictor } from '../src/ml/fit/serving-predictor.ts';
import { normaliseSize } from '../src/ml/fit/size-normaliser.ts';
import { trainFitModel } from '../src/ml/fit/train-fit.ts';

const BODY_TYPES = ['petite', 'athletic', 'full'];
const CATEGORIES = ['dress', 'top', 'gown', 'jumpsuit'];
const OCCASIONS = ['party', 'work', 'wedding'];

/** Members with a true size (height tells it, body type a bit), items running −3…+3 sizes, some values missing. */
function world(seed: number, nUsers = 240, nItems = 50, perUser = 12): FitData {
  const random = seededRandom(seed);
  const trueSize = Array.from({ length: nUsers }, () => 2 + Math.floor(random() * 14));
  const bodyType = trueSize.map((s, u) => (u % 9 === 0 ? -1 : s < 6 ? 0 : s < 11 ? 1 : 2));
  const offset = Array.from({ length: nItems }, () => -3 + 6 * random());
  const rows = { users: [] as number[], items: [] as number[], sizes: [] as number[], labels: [] as number[], occasions: [] as number[] };
  for (let u = 0; u < nUsers; u++) {
    for (let r = 0; r < perUser; r++) {
      const i = Math.floor(random() * nItems);
      const s = trueSize[u] + Math.round((random() - 0.5) * 4);
      const z = s + offset[i] - trueSize[u] + (random() - 0.5);
      rows.users.push(u);
      rows.items.push(i);
      rows.sizes.push(r % 17 === 0 ? Number.NaN : s);
      rows.labels.push(z < -1 ? 0 : z > 1 ? 2 : 1);
      rows.occasions.push(r % 5 === 0 ? -1 : Math.floor(random() * OCCASIONS.length));
    }
  }
  const users = Int32Array.from(rows.users);
  const items = Int32Array.from(rows.items);
  return {
    userIds: trueSize.map((_, u) => `m${u}`),
    itemIds: offset.map((_, i) => `i${i}`),
    users, items, sizes: Float64Array.from(rows.sizes), labels: Int8Array.from(rows.labels),
    columns: [
      { kind: 'numeric', name: 'heightIn', scope: 'member', values: Float64Array.from(users, (u) => (u % 7 === 0 ? Number.NaN : 60 + trueSize[u] * 0.5)) },
      { kind: 'categorical', name: 'bodyType', scope: 'member', codes: Int32Array.from(users, (u) => bodyType[u]), labels: BODY_TYPES },
      { kind: 'categorical', name: 'category', scope: 'item', codes: Int32Array.from(items, (i) => (i % 11 === 0 ? -1 : i % CATEGORIES.length)), labels: CATEGORIES },
      { kind: 'numeric', name: 'price', scope: 'item', values: Float64Array.from(items, (i) => (i % 6 === 0 ? Number.NaN : 50 + 10 * (i % 13))) },
      { kind: 'categorical', name: 'occasion', scope: 'rental', codes: Int32Array.from(rows.occasions), labels: OCCASIONS },
      { kind: 'numeric', name: 'rentalDays', scope: 'rental', values: Float64Array.from(users, (u) => 4 + (u % 4)) },
    ],
  };
}

/**
 * The rows predictItems stands for, built by hand for predictRows: the member's and items' columns as
 * training last saw them (absent → missing), rental columns missing, the model's own vocabularies.
 */
function servingRows(model: FitModel, user: string | number, itemIds: string[], size: number | string): FitData {
  const { vocab, memberValues, itemValues } = model.parts;
  const u = model.userIndexOf(user);
  const items = Int32Array.from(itemIds, (id) => vocab.itemIndex.get(id) ?? -1);
  const n = itemIds.length;
  const columns = vocab.columns.map((c, j): FitColumn => {
    const value = (k: number): number => c.scope === 'member' ? (u >= 0 ? memberValues[j][u] : Number.NaN)
      : c.scope === 'item' && items[k] >= 0 ? itemValues[j][items[k]] : Number.NaN;
    if (c.kind === 'numeric') return { kind: 'numeric', name: c.name, scope: c.scope, values: Float64Array.from({ length: n }, (_, k) => value(k)) };
    const codes = Int32Array.from({ length: n }, (_, k) => (Number.isNaN(value(k)) ? -1 : value(k)));
    return { kind: 'categorical', name: c.name, scope: c.scope, codes, labels: c.labels };
  });
  return {
    userIds: vocab.userIds, itemIds: vocab.itemIds, users: new Int32Array(n).fill(u), items,
    sizes: new Float64Array(n).fill(normaliseSize(size)), labels: new Int8Array(n), columns,
  };
}

/** Same bytes (so NaN and −0 count too). */
function assertSameBits(actual: Float64Array, expected: Float64Array, what: string): void {
  assert.equal(actual.length, expected.length, what);
  assert.ok(Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength)), what);
}

const PARAMS = { minLeafRows: 15, rounds: 60, folds: 3, seed: 5 };

describe('fit serving predictor (FitModel.predictItems)', () => {
  const data = world(11);
  const model = trainFitModel(data, PARAMS);
  const random = seededRandom(99);
  const someItems = (n: number): string[] =>
    Array.from({ length: n }, (_, k) => (k % 9 === 4 ? `unseen-item-${k}` : `i${Math.floor(random() * data.itemIds.length)}`));

  it('trained a forest that splits on member, item and size features (else the check proves little)', () => {
    const used = new Set(Array.from(model.parts.forest.nodeFeature).filter((f) => f >= 0).map((f) => model.parts.featureNames[f]));
    for (const prefix of ['size', 'user.', 'item.', 'latent.']) assert.ok([...used].some((u) => u.startsWith(prefix)), `${prefix}: ${[...used].join(', ')}`);
    assert.ok(model.parts.tables.userCategory.keys.length > 0 && model.parts.tables.itemSize.keys.length > 0);
  });

  it('writes the same feature rows as fitFeatureColumns, every feature, bit for bit', () => {
    const serving = new FitServingPredictor(model.parts);
    assert.equal(serving.width, model.parts.featureNames.length);
    for (const user of ['m0', 'm9', 'm42', 'never-seen']) {
      for (const size of [4, 'US 10', 'one size']) {
        const itemIds = someItems(45);
        const rows = alignFitData(servingRows(model, user, itemIds, size), model.parts.vocab);
        const columns = fitFeatureColumns(model.parts.tables, rows, model.parts.params.smoothing);
        const got = serving.features(model.userIndexOf(user), itemIds, normaliseSize(size));
        const F = serving.width;
        columns.forEach((col, f) => assertSameBits(Float64Array.from(col.keys(), (k) => got[k * F + f]), col, `${user} in ${size}: ${model.parts.featureNames[f]}`));
      }
    }
  });

  it('a saved and loaded model serves the same rows from its saved keys (groups by owner, no key map)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-fit-keys-'));
    try {
      await model.save(dir);
      const loaded = await FitModel.load(dir);
      const trained = new FitServingPredictor(model.parts), served = new FitServingPredictor(loaded.parts);
      for (const user of ['m0', 'm42', 'never-seen']) {
        const itemIds = someItems(30);
        assertSameBits(served.features(loaded.userIndexOf(user), itemIds, 8), trained.features(model.userIndexOf(user), itemIds, 8), user);
      }
      // the batch path still finds the same groups through the map it makes on first use
      const rows = servingRows(model, 'm9', someItems(20), 'US 8');
      assert.deepEqual(loaded.predictRows(rows), model.predictRows(rows));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('equals predictRows bit for bit: members seen and unseen, items seen and unseen, sizes as numbers and labels', () => {
    const members: Array<string | number> = ['m0', 'm7', 'm9', 'm18', 'm63', 'm200', 17, 'never-seen', -1, 10_000];
    const sizes: Array<number | string> = [2, 8, 8.5, 13, 30, 'US 8', 'M', 'S/M', 'one size'];
    let rows = 0;
    for (const user of members) {
      for (const size of sizes) {
        const itemIds = someItems(1 + Math.floor(random() * 40));
        const expected = model.predictRows(servingRows(model, user, itemIds, size));
        assertSameBits(model.predictItems(user, itemIds, size), expected, `${user} in ${size}`);
        assertSameBits(model.predictItemsByRows(user, itemIds, size), expected, `${user} in ${size} (by rows)`);
        rows += itemIds.length;
      }
    }
    assert.ok(rows > 500);
  });

  it('covers batches longer than its chunk, a batch of one and an empty batch', () => {
    for (const n of [0, 1, 127, 128, 129, 300]) {
      const itemIds = someItems(n);
      assertSameBits(model.predictItems('m3', itemIds, 9), model.predictRows(servingRows(model, 'm3', itemIds, 9)), `n = ${n}`);
    }
  });

  it('serves the same bits through the array walk when the engine has no WebAssembly', () => {
    const engine = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly');
    assert.ok(engine);
    let withoutWasm: FitServingPredictor;
    try {
      Reflect.deleteProperty(globalThis, 'WebAssembly');
      withoutWasm = new FitServingPredictor(model.parts);
    } finally {
      Object.defineProperty(globalThis, 'WebAssembly', engine);
    }
    for (const [user, size, n] of [['m0', 8, 40], ['m9', 'US 10', 130], ['never-seen', 4, 7]] as const) {
      const itemIds = someItems(n);
      const u = model.userIndexOf(user), s = normaliseSize(size);
      const expected = model.predictRows(servingRows(model, user, itemIds, size));
      assertSameBits(withoutWasm.predict(u, itemIds, s), expected, `${user} in ${size}, array walk`);
      assertSameBits(new FitServingPredictor(model.parts).predict(u, itemIds, s), expected, `${user} in ${size}, WebAssembly forest`);
    }
  });

  it('carries nothing of one call into the next (member category groups are reset)', () => {
    const itemIds = someItems(60);
    const expected = new Map<string, Float64Array>();
    const order = ['m5', 'never-seen', 'm5', 'm6', 'm5', 'm9', 'never-seen', 'm6'];
    for (const user of order) {
      const got = model.predictItems(user, itemIds, 10);
      const want = expected.get(user) ?? model.predictRows(servingRows(model, user, itemIds, 10));
      expected.set(user, want);
      assertSameBits(got, want, user);
    }
  });

  it('keeps each item × size group across calls: sizes alternating, and more sizes than it keeps (64), give predictRows bits', () => {
    const itemIds = someItems(40);
    const sizes = [8, 4, 8, ...Array.from({ length: 70 }, (_, k) => 2 + k / 4), 8, 4];
    for (const size of sizes) {
      assertSameBits(model.predictItems('m9', itemIds, size), model.predictRows(servingRows(model, 'm9', itemIds, size)), `size ${size}`);
    }
  });

  it('does not change the model, warmed or not (its caches are valid because a model never changes)', () => {
    const before = encodeFitModel(model.parts).payloads;
    model.warmServing();
    for (let r = 0; r < 5; r++) model.predictItems(`m${r}`, someItems(50), 6 + r);
    const after = encodeFitModel(model.parts).payloads;
    assert.deepEqual(after, before);
  });

  it('keeps one predictor per model: another model answers with its own tables and forest', () => {
    const other = trainFitModel(world(12), { ...PARAMS, seed: 6 });
    const itemIds = someItems(30);
    const a = model.predictItems('m1', itemIds, 8);
    const b = other.predictItems('m1', itemIds, 8);
    assertSameBits(b, other.predictRows(servingRows(other, 'm1', itemIds, 8)), 'other model');
    assertSameBits(model.predictItems('m1', itemIds, 8), a, 'first model again');
    assert.notDeepEqual(a, b);
  });
});

describe('compiled forest', () => {
  const { forest } = trainFitModel(world(21), PARAMS).parts;
  const random = seededRandom(4);
  const n = 200;
  const F = forest.nFeatures;
  const value = (): number => (random() < 0.1 ? Number.NaN : (random() - 0.3) * 40);
  const probabilities = (score: (out: Float64Array) => void): Float64Array => {
    const out = new Float64Array(n * 3);
    for (let k = 0; k < n; k++) out.set(forest.base, k * 3);
    score(out);
    softmaxRows(out, 3);
    return out;
  };
  const columnsOf = (rows: Float64Array): Float64Array[] =>
    Array.from({ length: F }, (_, f) => Float64Array.from({ length: n }, (_, k) => rows[k * F + f]));

  it('the array walk adds the same scores as predictForest, NaN included', () => {
    const rows = Float64Array.from({ length: n * F }, value);
    const expected = predictForest(forest, columnsOf(rows));
    assertSameBits(probabilities((out) => addForestScoresRowMajor(forest, rows, F, n, out, 0)), expected, 'array walk');
  });

  it('reads the shared features from the shared row, whatever the rows hold there', () => {
    const isShared = (f: number): boolean => f % 3 === 0;
    const shared = Float64Array.from({ length: F }, value);
    const rows = Float64Array.from({ length: n * F }, (_, x) => (isShared(x % F) ? shared[x % F] : value()));
    const expected = predictForest(forest, columnsOf(rows));
    const scrambled = rows.map((v, x) => (isShared(x % F) ? 1e9 * (x % 2 === 0 ? 1 : -1) : v));
    assertSameBits(probabilities((out) => addForestScoresWithShared(forest, isShared)(scrambled, F, n, out, 0, shared)), expected, 'shared from the template');
  });

  /** The WebAssembly scorer over `rows` (n × F) with `shared`, its scores started at `out`. */
  const wasmScores = (f: Forest, rows: Float64Array, shared: Float64Array, isShared?: (x: number) => boolean) => (out: Float64Array): void => {
    const wasm = compileForestToWasm(f, F, n, isShared);
    assert.ok(wasm, 'this engine has WebAssembly');
    wasm.rows.set(rows);
    wasm.shared.set(shared);
    wasm.scores.set(out);
    wasm.score(n);
    out.set(wasm.scores);
  };

  it('compiled to WebAssembly, adds the same scores, shared features from the shared row', () => {
    const rows = Float64Array.from({ length: n * F }, value);
    assertSameBits(probabilities(wasmScores(forest, rows, new Float64Array(F))), predictForest(forest, columnsOf(rows)), 'wasm');
    const isShared = (f: number): boolean => f % 3 === 0;
    const shared = Float64Array.from({ length: F }, value);
    const withShared = rows.map((v, x) => (isShared(x % F) ? shared[x % F] : v));
    const scrambled = withShared.map((v, x) => (isShared(x % F) ? 1e9 * (x % 2 === 0 ? 1 : -1) : v));
    assertSameBits(probabilities(wasmScores(forest, scrambled, shared, isShared)), predictForest(forest, columnsOf(withShared)), 'wasm, shared');
  });

  it('compiled to WebAssembly, sends NaN the nanLeft way at every kind of node, and keeps −0 leaves', () => {
    // one tree per class over feature 0: x ≤ 1 (NaN right), !(x > 1) (NaN left), a NaN threshold either way
    const tree = (nanLeft: number, threshold: number, leaves: [number, number]) => ({ nanLeft, threshold, leaves });
    const trees = [tree(0, 1, [0.25, -0.5]), tree(1, 1, [-0, 2]), tree(1, Number.NaN, [3, -4])];
    const handmade: Forest = {
      nClasses: 3, nFeatures: F, base: Float64Array.of(0.1, 0.2, 0.3), treeRoot: Int32Array.of(0, 3, 6),
      nodeFeature: Int32Array.from(trees.flatMap(() => [0, -1, -1])),
      nodeThreshold: Float64Array.from(trees.flatMap((t) => [t.threshold, 0, 0])),
      nodeNanLeft: Uint8Array.from(trees.flatMap((t) => [t.nanLeft, 0, 0])),
      nodeLeft: Int32Array.from(trees.flatMap((_, j) => [3 * j + 1, -1, -1])),
      nodeRight: Int32Array.from(trees.flatMap((_, j) => [3 * j + 2, -1, -1])),
      nodeValue: Float64Array.from(trees.flatMap((t) => [0, ...t.leaves])),
    };
    const rows = new Float64Array(n * F);
    for (let k = 0; k < n; k++) rows[k * F] = [Number.NaN, 0.5, 1, 1.5, -0][k % 5];
    const wasm = compileForestToWasm(handmade, F, n);
    assert.ok(wasm);
    wasm.rows.set(rows);
    wasm.scores.fill(-0); // −0 + −0 is −0: the sum shows the leaf's sign
    wasm.score(n);
    // NaN: right (−0.5), left (−0), left (3); 0.5 and 1: left, left, right; 1.5: right, right, right
    const expected = [[-0.5, -0, 3], [0.25, -0, -4], [0.25, -0, -4], [-0.5, 2, -4], [0.25, -0, -4]];
    for (let k = 0; k < 5; k++) assert.deepEqual([...wasm.scores.subarray(k * 3, k * 3 + 3)], expected[k], `row ${k}`);
    assert.ok(Object.is(wasm.scores[1], -0), 'a −0 leaf stays −0');
  });
});
