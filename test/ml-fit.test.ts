/**
 * The fit model on a planted world (members with true sizes, items that run small or large): it must
 * recover the sizes and offsets and predict "small" for an item that runs small in the member's true
 * size; plus AUC on hand-computed examples, the size normaliser and the artifact round trip.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { oneVsRestAuc, rocAuc } from '../src/eval/metrics/auc.ts';
import type { FitData } from '../src/ml/fit/fit-data.ts';
import { FitModel } from '../src/ml/fit/fit-model.ts';
import { trainForest, BOOST_DEFAULTS } from '../src/ml/fit/gbdt/boost.ts';
import { predictForest } from '../src/ml/fit/gbdt/forest.ts';
import { LATENT_SIZE_DEFAULTS, trainLatentSizes } from '../src/ml/fit/latent-size.ts';
import { seededRandom } from '../src/ml/fit/seeded-random.ts';
import { cupOrdinal, normaliseSize } from '../src/ml/fit/size-normaliser.ts';
import { trainFitModel } from '../src/ml/fit/train-fit.ts';

interface World {
  data: FitData;
  trueSize: number[];
  offset: number[];
}

/** Members with sizes 2…17 and a height that tells it; items running −3…+3 sizes; ±2 sizes rented. */
function plantedWorld(seed: number, nUsers = 300, nItems = 60, perUser = 15): World {
  const random = seededRandom(seed);
  const trueSize = Array.from({ length: nUsers }, () => 2 + Math.floor(random() * 16));
  const offset = Array.from({ length: nItems }, () => -3 + 6 * random());
  const users: number[] = [];
  const items: number[] = [];
  const sizes: number[] = [];
  const labels: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    for (let r = 0; r < perUser; r++) {
      const i = Math.floor(random() * nItems);
      const s = trueSize[u] + Math.round((random() - 0.5) * 4);
      const z = s + offset[i] - trueSize[u] + (random() - 0.5);
      users.push(u);
      items.push(i);
      sizes.push(s);
      labels.push(z < -1 ? 0 : z > 1 ? 2 : 1);
    }
  }
  const users32 = Int32Array.from(users);
  const data: FitData = {
    userIds: trueSize.map((_, u) => `m${u}`),
    itemIds: offset.map((_, i) => `i${i}`),
    users: users32,
    items: Int32Array.from(items),
    sizes: Float64Array.from(sizes),
    labels: Int8Array.from(labels),
    columns: [
      { kind: 'numeric', name: 'heightIn', scope: 'member', values: Float64Array.from(users32, (u) => 60 + trueSize[u] * 0.5) },
      { kind: 'categorical', name: 'category', scope: 'item', codes: Int32Array.from(items, (i) => i % 2), labels: ['dress', 'top'] },
    ],
  };
  return { data, trueSize, offset };
}

function pearson(a: number[], b: number[]): number {
  const ma = a.reduce((s, x) => s + x, 0) / a.length;
  const mb = b.reduce((s, x) => s + x, 0) / b.length;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  a.forEach((x, j) => {
    sab += (x - ma) * (b[j] - mb);
    saa += (x - ma) ** 2;
    sbb += (b[j] - mb) ** 2;
  });
  return sab / Math.sqrt(saa * sbb);
}

const SMALL_DATA_PARAMS = { minLeafRows: 20, rounds: 150, folds: 3, seed: 7 };

describe('latent sizes (Misra-style one-dimensional model)', () => {
  it('recovers planted member sizes and item offsets', () => {
    const { data, trueSize, offset } = plantedWorld(1);
    const m = trainLatentSizes(data, data.userIds.length, data.itemIds.length, { ...LATENT_SIZE_DEFAULTS, anchorMembers: true, epochs: 300 });
    assert.ok(m.link[0] > 0, 'a bigger size must feel larger');
    const size = trueSize.map((_, u) => m.userAnchor[u] + m.userShift[u] / m.link[0]);
    const off = offset.map((_, i) => m.itemOffset[i] / m.link[0]);
    assert.ok(pearson(size, trueSize) > 0.95, `member sizes r = ${pearson(size, trueSize)}`);
    assert.ok(pearson(off, offset) > 0.95, `item offsets r = ${pearson(off, offset)}`);
  });
});

describe('fit model', () => {
  const world = plantedWorld(2);
  const model = trainFitModel(world.data, SMALL_DATA_PARAMS);

  it('predicts "small" for an item that runs small, in the member\'s true size, and "large" for one that runs large', () => {
    const runsSmall = world.offset.map((o, i) => [o, i]).filter(([o]) => o < -2).map(([, i]) => i);
    const runsLarge = world.offset.map((o, i) => [o, i]).filter(([o]) => o > 2).map(([, i]) => i);
    assert.ok(runsSmall.length >= 3 && runsLarge.length >= 3);
    for (const u of [0, 1, 2, 3, 4]) {
      for (const i of runsSmall) {
        const p = model.predict(`m${u}`, `i${i}`, world.trueSize[u]);
        assert.ok(p.small > p.fit && p.small > p.large, `member ${u} item ${i}: ${JSON.stringify(p)}`);
      }
      for (const i of runsLarge) {
        const p = model.predict(u, `i${i}`, String(world.trueSize[u]));
        assert.ok(p.large > p.fit && p.large > p.small, `member ${u} item ${i}: ${JSON.stringify(p)}`);
      }
    }
  });

  it('recommends a bigger size of an item that runs small, also for a member it never saw (from their height)', () => {
    const i = world.offset.findIndex((o) => o < -2.5);
    const sizes = [8, 9, 10, 11, 12, 13, 14, 15];
    const bestOf = (rows: Array<{ size: number | string; fit: number }>): number =>
      Number(rows.reduce((a, b) => (b.fit > a.fit ? b : a)).size);
    const newcomer = model.predictItemInSize('someone-new', `i${i}`, sizes, { heightIn: 60 + 10 * 0.5, category: 'dress' });
    assert.ok(bestOf(newcomer) >= 12, `best size ${bestOf(newcomer)} for a size-10 body in an item running ${world.offset[i]}`);
    assert.ok(newcomer[0].small > newcomer[0].large);
  });

  it('exposes the latent size of a member and the offset of an item', () => {
    const sizes = world.trueSize.map((_, u) => model.memberSize(u));
    assert.ok(pearson(sizes, world.trueSize) > 0.9);
    assert.ok(model.itemOffset(`i${world.offset.indexOf(Math.min(...world.offset))}`) < -1);
    assert.ok(Number.isNaN(model.memberSize('someone-new')));
  });

  it('saves and loads to the same predictions; a tampered payload is refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vitrine-fit-'));
    try {
      await model.save(dir);
      const loaded = await FitModel.load(dir);
      assert.deepEqual(loaded.predictRows(world.data), model.predictRows(world.data));
      assert.deepEqual(loaded.predict('m3', 'i5', 'US 9', { heightIn: 64 }), model.predict('m3', 'i5', 9, { heightIn: 64 }));
      const payload = (await readdir(dir)).find((f) => f.startsWith('forest.nodeValue'));
      assert.ok(payload);
      await writeFile(join(dir, payload), new Uint8Array(16));
      await assert.rejects(FitModel.load(dir), { code: 'VITRINE_MODEL_ARTIFACT_CORRUPT' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is deterministic by seed', () => {
    const again = trainFitModel(world.data, SMALL_DATA_PARAMS);
    assert.deepEqual(again.predictRows(world.data), model.predictRows(world.data));
  });
});

describe('boosted trees', () => {
  it('learn an interaction a linear model cannot, and send missing values the way the data says', () => {
    const random = seededRandom(3);
    const n = 2000;
    const x0 = new Float64Array(n);
    const x1 = new Float64Array(n);
    const labels = new Int8Array(n);
    for (let k = 0; k < n; k++) {
      x0[k] = random();
      x1[k] = random();
      // XOR of the two halves → class 0 or 2; a missing x0 always means class 1
      labels[k] = (x0[k] > 0.5) !== (x1[k] > 0.5) ? 2 : 0;
      if (k % 10 === 0) {
        x0[k] = Number.NaN;
        labels[k] = 1;
      }
    }
    const { forest } = trainForest([x0, x1], labels, 3, { ...BOOST_DEFAULTS, minLeafRows: 10, rounds: 60 });
    const probs = predictForest(forest, [Float64Array.of(0.2, 0.8, 0.8, Number.NaN), Float64Array.of(0.2, 0.2, 0.1, 0.5)]);
    const argmax = (k: number): number => [0, 1, 2].reduce((a, c) => (probs[k * 3 + c] > probs[k * 3 + a] ? c : a), 0);
    assert.deepEqual([0, 1, 2, 3].map(argmax), [0, 2, 2, 1]);
  });
});

describe('AUC (ties share their average rank)', () => {
  it('matches hand-computed values', () => {
    // positives 0.35, 0.8 vs negatives 0.1, 0.4: 3 of 4 pairs ordered
    assert.equal(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 0.75);
    // positives 0.5, 0.9 vs negatives 0.5, 0.5: two ties (½ each) + two wins = 3 / 4
    assert.equal(rocAuc([0.5, 0.5, 0.5, 0.9], [1, 0, 0, 1]), 0.75);
    assert.equal(rocAuc([0.3, 0.3, 0.3], [true, false, true]), 0.5);
    assert.equal(rocAuc([0.9, 0.1], [0, 1]), 0);
    assert.ok(Number.isNaN(rocAuc([0.2, 0.4], [0, 0])));
  });

  it('averages one-vs-rest AUCs over the classes', () => {
    // rows: label 0, 1, 2, 1 — class 0 and 2 perfectly ranked, class 1: positives 0.5, 0.2 vs negatives 0.1, 0.3 → 3/4
    const probs = [0.8, 0.1, 0.1, 0.2, 0.5, 0.3, 0.1, 0.3, 0.6, 0.3, 0.2, 0.5];
    const { perClass, mean } = oneVsRestAuc(probs, [0, 1, 2, 1], 3);
    assert.deepEqual(perClass, [1, 0.75, 1]);
    assert.equal(mean, 2.75 / 3);
  });
});

describe('size normaliser', () => {
  it('maps common labels onto one ordinal scale', () => {
    const cases: Array<[string | number, number]> = [
      ['8', 8], [12, 12], ['US 8', 8], ['us8', 8], ['8P', 8], ['size 10', 10], ['14W', 14], ['EU 38', 8], ['38 EU', 8],
      ['FR 40', 10], ['UK 12', 8], ['IT 42', 6], ['XS', 1], ['S', 5], ['M', 9], ['L', 13], ['XL', 17], ['2XL', 21],
      ['x-small', 1], ['Medium', 9], ['S/M', 7], ['8-10', 9], ['1X', 15],
    ];
    for (const [label, want] of cases) assert.equal(normaliseSize(label), want, `normaliseSize(${JSON.stringify(label)})`);
    for (const label of ['one size', 'OS', '', 'banana', undefined, Number.NaN, 'constructor', '__proto__', 'S/constructor']) {
      assert.ok(Number.isNaN(normaliseSize(label)), `normaliseSize(${JSON.stringify(label)})`);
    }
    assert.ok(normaliseSize('S') < normaliseSize('M') && normaliseSize('M') < normaliseSize('L'));
  });

  it('orders cup letters, UK dd = US e', () => {
    assert.equal(cupOrdinal('aa'), 0);
    assert.equal(cupOrdinal('B'), 2);
    assert.equal(cupOrdinal('dd'), cupOrdinal('e'));
    assert.ok(Number.isNaN(cupOrdinal('z')));
    assert.ok(Number.isNaN(cupOrdinal('constructor')) && Number.isNaN(cupOrdinal('__proto__')));
  });
});
