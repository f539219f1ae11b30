import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY_MS } from '../src/core/time.ts';
import { rocAuc } from '../src/eval/metrics/auc.ts';
import { churnLabels, churnWindow, parseHorizon } from '../src/eval/outcome/churn-labels.ts';
import { aucWithInterval, midranks } from '../src/eval/outcome/delong.ts';
import { correlateMetricsWithOutcome } from '../src/eval/outcome/metric-outcome.ts';
import { parseOutcomeCsv } from '../src/eval/outcome/outcome-csv.ts';
import { partialCorrelationWithInterval, pointBiserial, pointBiserialWithInterval } from '../src/eval/outcome/point-biserial.ts';
import { parseProtocol, splitDataset } from '../src/eval/splits.ts';
import { seededUniform } from '../src/eval/stats/random.ts';
import { assertCode, interactions } from './helpers/ml-data.ts';

const close = (actual: number, expected: number, what: string, tol = 1e-9): void =>
  assert.ok(Math.abs(actual - expected) < tol, `${what}: ${actual} ≠ ${expected}`);

test('point-biserial r by hand: x = 1…4, y = 0 0 1 1 → r = 2/√5; Fisher interval contains it', () => {
  close(pointBiserial([1, 2, 3, 4], [0, 0, 1, 1]), 2 / Math.sqrt(5), 'r');
  close(pointBiserial([4, 3, 2, 1], [false, false, true, true]), -2 / Math.sqrt(5), 'negative r');
  assert.ok(Number.isNaN(pointBiserial([1, 1, 1], [0, 1, 0])), 'constant metric');
  assert.ok(Number.isNaN(pointBiserial([1, 2, 3], [1, 1, 1])), 'one class');
  const ci = pointBiserialWithInterval([1, 2, 3, 4, 5, 6, 7, 8], [0, 0, 1, 0, 1, 1, 0, 1]);
  assert.ok(ci.low < ci.r && ci.r < ci.high && ci.n === 8);
  // n = 8: z = atanh(r), se = 1/√5
  close(ci.high, Math.tanh(Math.atanh(ci.r) + 1.959964 / Math.sqrt(5)), 'Fisher upper bound', 1e-6);
});

test('DeLong by hand: positives .9 .8 .7, negatives .6 .75 .3 → AUC 8/9, se √2/9', () => {
  const scores = [0.9, 0.8, 0.7, 0.6, 0.75, 0.3];
  const pos = [1, 1, 1, 0, 0, 0];
  const e = aucWithInterval(scores, pos);
  close(e.auc, 8 / 9, 'AUC');
  close(e.se, Math.sqrt(2) / 9, 'DeLong se');
  close(e.low, 8 / 9 - 1.959964 * (Math.sqrt(2) / 9), 'lower bound', 1e-6);
  assert.equal(e.high, 1, 'clipped at 1');
  assert.deepEqual([e.positives, e.negatives], [3, 3]);
});

test('DeLong AUC with ties equals the Mann–Whitney AUC; all-tied scores give 0.5', () => {
  const next = seededUniform(7);
  const scores = Array.from({ length: 300 }, () => Math.floor(next() * 4) / 4);
  const pos = scores.map((s) => (next() < 0.3 + s / 2 ? 1 : 0));
  close(aucWithInterval(scores, pos).auc, rocAuc(scores, pos), 'AUC');
  close(aucWithInterval([0, 0, 0, 0], [1, 0, 1, 0]).auc, 0.5, 'ties');
  assert.deepEqual([...midranks([3, 1, 3, 2])], [3.5, 1, 3.5, 2]);
  assert.ok(Number.isNaN(aucWithInterval([1, 2], [1, 1]).auc), 'one class');
});

function plantedMembers(seed: number, n: number): { recall: Float64Array; precision: Float64Array; retained: Uint8Array } {
  const next = seededUniform(seed);
  const recall = new Float64Array(n);
  const precision = new Float64Array(n);
  const retained = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    // like real metrics, most members score 0; precision is drawn independently of recall and outcome
    recall[j] = next() < 0.6 ? 0 : next();
    precision[j] = next() < 0.6 ? 0 : next() / 2;
    retained[j] = next() < 1 / (1 + Math.exp(-(-1 + 2.5 * recall[j]))) ? 1 : 0;
  }
  return { recall, precision, retained };
}

test('a planted relationship is recovered: retention depends on recall, not on precision', () => {
  const { recall, precision, retained } = plantedMembers(1, 3000);
  const rows = correlateMetricsWithOutcome({ precision, recall }, retained);
  assert.deepEqual(rows.map((r) => [r.rank, r.metric]), [[1, 'recall'], [2, 'precision']]);
  const [rec, prec] = rows;
  assert.ok(rec.auc.low > 0.5, `recall AUC interval ${rec.auc.low}…${rec.auc.high} above 0.5`);
  assert.ok(rec.r.low > 0, 'recall r interval above 0');
  assert.ok(prec.auc.low < 0.5 && prec.auc.high > 0.5, `precision AUC interval ${prec.auc.low}…${prec.auc.high} straddles 0.5`);
  assert.ok(prec.r.low < 0 && prec.r.high > 0, 'precision r interval straddles 0');
  assert.ok(rec.meanRetained > rec.meanChurned);
  assert.equal(rec.n, 3000);
});

test('the planted recovery holds across seeds, and a null metric\'s 95% interval misses 0.5 only about 5% of the time', () => {
  let nullMisses = 0;
  const seeds = 40;
  for (let seed = 100; seed < 100 + seeds; seed++) {
    const { recall, precision, retained } = plantedMembers(seed, 2000);
    const [first, second] = correlateMetricsWithOutcome({ precision, recall }, retained);
    assert.equal(first.metric, 'recall', `seed ${seed}`);
    assert.ok(first.auc.low > 0.5, `seed ${seed}: recall AUC above 0.5`);
    if (second.auc.low > 0.5 || second.auc.high < 0.5) nullMisses++;
  }
  assert.ok(nullMisses <= 6, `precision's interval excluded 0.5 for ${nullMisses} of ${seeds} seeds (expected ≈ 2)`);
});

test('partial r given a control equals the correlation of the residuals after regressing both on it', () => {
  const next = seededUniform(11);
  const z = Array.from({ length: 400 }, () => next());
  const x = z.map((v) => v + next());
  const y = z.map((v) => (next() < v ? 1 : 0));
  const residuals = (a: number[]): number[] => {
    const ma = a.reduce((s, v) => s + v, 0) / a.length;
    const mz = z.reduce((s, v) => s + v, 0) / z.length;
    let cov = 0;
    let vz = 0;
    a.forEach((v, j) => {
      cov += (v - ma) * (z[j] - mz);
      vz += (z[j] - mz) ** 2;
    });
    return a.map((v, j) => v - ma - (cov / vz) * (z[j] - mz));
  };
  const expected = pointBiserial(residuals(x), residuals(y), true);
  close(partialCorrelationWithInterval(x, y, z).r, expected, 'partial r', 1e-9);
});

test('a confounded metric (it only tracks activity) loses its correlation given activity; a planted one keeps it', () => {
  const next = seededUniform(5);
  const n = 3000;
  const activity = new Float64Array(n);
  const tracksActivity = new Float64Array(n);
  const own = new Float64Array(n);
  const retained = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    activity[j] = Math.floor(next() * 6);
    tracksActivity[j] = activity[j] / 5 + 0.2 * next();
    own[j] = next();
    retained[j] = next() < 0.1 + 0.1 * activity[j] + 0.3 * own[j] ? 1 : 0;
  }
  const rows = correlateMetricsWithOutcome({ tracksActivity, own }, retained, { control: activity });
  const confounded = rows.find((r) => r.metric === 'tracksActivity');
  const planted = rows.find((r) => r.metric === 'own');
  assert.ok(confounded?.partialR && planted?.partialR);
  assert.ok(confounded.r.low > 0.2, `raw r ${confounded.r.r} is strong`);
  assert.ok(confounded.partialR.low < 0 && confounded.partialR.high > 0, `partial r ${confounded.partialR.r} straddles 0`);
  assert.ok(planted.partialR.low > 0, `partial r of the planted metric ${planted.partialR.r} stays above 0`);
});

test('members without a metric value (NaN) are left out; mismatched lengths are refused', () => {
  const rows = correlateMetricsWithOutcome({ m: [1, Number.NaN, 0, 1, 0] }, [1, 1, 0, 1, 0]);
  assert.deepEqual([rows[0].n, rows[0].retained, rows[0].churned], [4, 2, 2]);
  close(rows[0].auc.auc, 1, 'perfect separation');
  assert.throws(() => correlateMetricsWithOutcome({ m: [1, 2] }, [1]), /2 values for 1 outcomes/);
});

// day 0-3 train; cutoff day 10; test window [10, E); horizon [E, E + H)
const CUTOFF = new Date(10 * DAY_MS).toISOString();
const ROWS: Array<[string, string, number]> = [
  ['u1', 'A', 0], ['u2', 'A', 0], ['u3', 'A', 0], ['u2', 'B', 1], ['u3', 'B', 1], ['u3', 'C', 2],
  ['u1', 'C', 12], ['u2', 'C', 13], ['u3', 'D', 14], // test window: relevant C (u1, u2); D is not in the vocabulary
  ['u1', 'B', 25], // u1 active in the horizon (and B is also a later relevant item, outside the window)
  ['u9', 'A', 29], // the last event: data observed to the end of day 29
];

test('churn labels: metrics on relevant items in [C, E), retained = activity in [E, E + H)', () => {
  const data = interactions(ROWS);
  const split = splitDataset({ name: 't', interactions: data }, parseProtocol('global-time', CUTOFF));
  assert.deepEqual(split.users.map((u) => u.userId), ['u1', 'u2']);
  const window = churnWindow(split, parseHorizon('10d'));
  assert.deepEqual([window.horizonFrom, window.horizonTo, window.observedUntil].map((t) => t / DAY_MS), [20, 30, 30]);
  const labels = churnLabels(data, split, window);
  assert.deepEqual([...labels.members], [0, 1]);
  assert.deepEqual([...labels.retained], [1, 0], 'u1 rents again on day 25, u2 does not');
  assert.deepEqual(labels.relevant.map((r) => [...r]), [['C'], ['C']], "B (day 25) is after u1's test window");
  const later = churnLabels(data, split, churnWindow(split, parseHorizon('2w'), 14 * DAY_MS));
  assert.deepEqual([...later.members], [0, 1]);
  assert.equal(parseHorizon('60d'), 60 * DAY_MS);
  assert.equal(parseHorizon('8w'), 56 * DAY_MS);
  assert.equal(parseHorizon('30'), 30 * DAY_MS);
});

test('churn: unobserved horizons, an empty test window and user-time are refused with the reason', async () => {
  const data = interactions(ROWS);
  const split = splitDataset({ name: 't', interactions: data }, parseProtocol('global-time', CUTOFF));
  await assertCode(() => churnWindow(split, parseHorizon('10d'), 25 * DAY_MS), 'VITRINE_EVAL_BAD_OUTCOME', 'ends after the data');
  await assertCode(() => churnWindow(split, parseHorizon('25d')), 'VITRINE_EVAL_BAD_OUTCOME', 'must start after the cutoff');
  await assertCode(() => churnLabels(data, split, churnWindow(split, parseHorizon('5d'), 11 * DAY_MS)), 'VITRINE_EVAL_BAD_OUTCOME',
    'no evaluated member has a relevant item in the test window');
  await assertCode(() => parseHorizon('soon'), 'VITRINE_EVAL_BAD_OUTCOME', 'not a duration');
  const rows: Array<[string, string, number]> = [['z', 'f', 0], ...['a', 'b', 'c', 'd', 'e', 'f'].map((i, d): [string, string, number] => ['x', i, d])];
  const userTime = splitDataset({ name: 't', interactions: interactions(rows) }, parseProtocol('user-time'));
  await assertCode(() => churnWindow(userTime, parseHorizon('10d')), 'VITRINE_EVAL_BAD_OUTCOME', 'use --protocol global-time');
});

test('outcome CSV: unknown members, bad values, repeats and short rows are reported by line and skipped', async () => {
  const csv = ['userId,retained', 'u1,1', 'u2,maybe', 'ghost,0', 'u1,0', '', 'u3', '"u4",yes', 'u5,FALSE'].join('\n');
  const t = parseOutcomeCsv(csv, (id) => ['u1', 'u2', 'u3', 'u4', 'u5'].includes(id));
  assert.deepEqual([...t.retainedOf], [['u1', 1], ['u4', 1], ['u5', 0]]);
  assert.deepEqual(t.skipped.map((s) => s.line), [3, 4, 5, 7]);
  assert.match(t.skipped[0].reason, /"maybe" is not 1\/0/);
  assert.match(t.skipped[1].reason, /"ghost" is not an evaluated member/);
  assert.match(t.skipped[2].reason, /appears again/);
  assert.match(t.skipped[3].reason, /1 cells where the header has 2/);
  const churned = parseOutcomeCsv('user_id,churned\nu1,1\nu2,0\n', () => true);
  assert.deepEqual([...churned.retainedOf], [['u1', 0], ['u2', 1]], 'churned is inverted');
  await assertCode(() => parseOutcomeCsv('member,stayed\nu1,1', () => true), 'VITRINE_EVAL_BAD_OUTCOME', 'must name a member column');
  await assertCode(() => parseOutcomeCsv('userId,retained\nghost,1', () => false), 'VITRINE_EVAL_BAD_OUTCOME', 'no usable row.*line 2');
});
