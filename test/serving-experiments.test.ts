import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assignmentPoint, assignVariant, fnv1a32 } from '../src/serving/experiments/assign.ts';
import { liftInterval, wilsonInterval } from '../src/serving/experiments/intervals.ts';
import { impressionOf, recordImpression } from '../src/serving/experiments/record-impression.ts';
import { buildExperimentReport, experimentReport } from '../src/serving/experiments/report.ts';
import { resolveVariantConfig, variantLabel } from '../src/serving/experiments/resolve.ts';
import { validateExperiment } from '../src/serving/experiments/validate-experiment.ts';
import { NO_EXPERIMENT } from '../src/serving/page/types.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import type { ExperimentRecord, VariantCounts } from '../src/storage/store.ts';
import { VitrineError } from '../src/core/errors.ts';

const T0 = Date.UTC(2026, 2, 1);
const users = Array.from({ length: 20_000 }, (_, i) => `member-${i}`);
const experiment = (id: string, weights: number[], extra: Partial<ExperimentRecord> = {}): ExperimentRecord => ({
  id, status: 'running', createdAt: T0, updatedAt: T0,
  variants: weights.map((weight, k) => ({ name: k === 0 ? 'control' : `v${k}`, weight, config: { model: `m${k}` } })), ...extra,
});
const near = (actual: number | null, expected: number, tol = 5e-5) =>
  assert.ok(actual !== null && Math.abs(actual - expected) <= tol, `${actual} ≉ ${expected}`);

describe('experiment assignment', () => {
  it('FNV-1a matches the published 32-bit test vectors', () => {
    assert.equal(fnv1a32(''), 0x811c9dc5);
    assert.equal(fnv1a32('a'), 0xe40c292c);
    assert.equal(fnv1a32('foobar'), 0xbf9cf968);
  });

  it('is deterministic: the same member always gets the same variant', () => {
    const e = experiment('exp-det', [1, 1, 1]);
    const first = users.slice(0, 500).map((u) => assignVariant(u, e)?.name);
    const again = users.slice(0, 500).map((u) => assignVariant(u, { ...e, variants: [...e.variants] })?.name);
    assert.deepEqual(again, first);
    assert.equal(assignmentPoint('exp-det', 'member-7'), assignmentPoint('exp-det', 'member-7'));
  });

  it('matches the weights over 20,000 members (1:2:1 and 9:1, within 1.5 points; chi-square p > 0.001)', () => {
    for (const weights of [[1, 2, 1], [9, 1]]) {
      const e = experiment(`exp-${weights.join('-')}`, weights);
      const counts = new Map<string, number>();
      for (const u of users) {
        const name = assignVariant(u, e)!.name;
        counts.set(name, (counts.get(name) ?? 0) + 1);
      }
      const total = weights.reduce((a, b) => a + b, 0);
      let chi2 = 0;
      e.variants.forEach((v) => {
        const expected = (users.length * v.weight) / total;
        const observed = counts.get(v.name) ?? 0;
        assert.ok(Math.abs(observed / users.length - v.weight / total) < 0.015, `${v.name}: ${observed} of ${users.length}`);
        chi2 += (observed - expected) ** 2 / expected;
      });
      // chi-square critical values at p = 0.001: 13.82 (2 df), 10.83 (1 df)
      assert.ok(chi2 < (weights.length === 3 ? 13.82 : 10.83), `chi2 ${chi2.toFixed(2)}`);
    }
  });

  it('assignments in two experiments are independent (salted by experiment id)', () => {
    const a = experiment('exp-a', [1, 1]);
    const b = experiment('exp-b', [1, 1]);
    const both = users.filter((u) => assignVariant(u, a)!.name === 'control' && assignVariant(u, b)!.name === 'control').length;
    assert.ok(Math.abs(both / users.length - 0.25) < 0.015, `${both} in both controls`);
  });

  it('never assigns a zero-weight variant; no positive weight → no variant', () => {
    const e = experiment('exp-zero', [1, 0, 1]);
    assert.equal(users.slice(0, 2000).filter((u) => assignVariant(u, e)!.name === 'v1').length, 0);
    assert.equal(assignVariant('member-1', experiment('exp-none', [0, 0])), undefined);
  });

  it('resolves the variant of the oldest running experiment, labelled <experiment>:<variant>, with its config', () => {
    const older = experiment('old', [0, 1], { createdAt: T0 - 10 });
    const newer = experiment('new', [1, 0]);
    const stopped = experiment('stopped', [1], { status: 'stopped', createdAt: T0 - 99 });
    assert.deepEqual(resolveVariantConfig('member-1', [newer, stopped, older]), { variant: 'old:v1', experimentId: 'old', config: { model: 'm1' } });
    assert.deepEqual(resolveVariantConfig('member-1', [newer]), { variant: 'new:control', experimentId: 'new', config: { model: 'm0' } });
    assert.equal(resolveVariantConfig('member-1', [stopped]), NO_EXPERIMENT);
    assert.equal(resolveVariantConfig('member-1', []), NO_EXPERIMENT);
  });

  it('validates weights and names with registered codes', () => {
    const code = (fn: () => unknown) => {
      try { fn(); } catch (e) { return (e as VitrineError).code; }
      return 'none';
    };
    assert.equal(code(() => validateExperiment('x', { variants: [{ name: 'a', weight: 0 }, { name: 'b', weight: 0 }] })), 'VITRINE_EXPERIMENT_BAD_WEIGHTS');
    assert.equal(code(() => validateExperiment('x', { variants: [{ name: 'a', weight: -1 }, { name: 'b', weight: 2 }] })), 'VITRINE_EXPERIMENT_BAD_WEIGHTS');
    assert.equal(code(() => validateExperiment('x', { variants: [{ name: 'a', weight: 1 }, { name: 'a', weight: 2 }] })), 'VITRINE_EXPERIMENT_INVALID');
    assert.equal(code(() => validateExperiment('x'.repeat(120), { variants: [{ name: 'treatment', weight: 1 }] })), 'VITRINE_EXPERIMENT_INVALID');
    assert.deepEqual(validateExperiment('x', { variants: [{ name: 'a', weight: 2 }] }), { status: 'draft', variants: [{ name: 'a', weight: 2, config: {} }] });
  });
});

describe('report statistics', () => {
  it('Wilson intervals match Newcombe (1998), Table I', () => {
    const a = wilsonInterval(81, 263);
    near(a.low, 0.2553, 1e-4); near(a.high, 0.3662, 1e-4);
    const b = wilsonInterval(15, 148);
    near(b.low, 0.0624, 1e-4); near(b.high, 0.1605, 1e-4);
    const c = wilsonInterval(0, 20);
    near(c.low, 0, 1e-4); near(c.high, 0.1611, 1e-4);
    assert.deepEqual(wilsonInterval(3, 0), { rate: null, low: null, high: null });
  });

  it('lift: 100/1000 vs 50/1000 is +100%, log-scale interval [+44.08%, +177.63%]', () => {
    // SE(log RR) = sqrt(1/100 − 1/1000 + 1/50 − 1/1000) = 0.167332; exp(ln 2 ± 1.959964 × SE) = 1.44078, 2.77628
    const lift = liftInterval(100, 1000, 50, 1000);
    near(lift.value, 1, 1e-12); near(lift.low, 0.44078); near(lift.high, 1.77628);
    const zeroControl = liftInterval(5, 100, 0, 100);
    assert.equal(zeroControl.value, null, 'unbounded when the control rate is 0');
    // Haldane–Anscombe: 5.5/100.5 vs 0.5/100.5 → RR 11, SE √(1/5.5 − 1/100.5 + 1/0.5 − 1/100.5) = 1.47035
    near(zeroControl.low, -0.38364, 1e-4); near(zeroControl.high, 195.315, 1e-2);
  });
});

describe('impression logging and the report on planted data', () => {
  let dir: string;
  let store: SqliteStore;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vitrine-exp-'));
    store = new SqliteStore(join(dir, 'v.db'));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('impressionOf gives one impression event per shown item with page, row, position, variant and model version', () => {
    const page = { pageId: 'pg1', userId: 'm1', variant: 'e:b', modelVersion: 'als-3',
      rows: [{ rowId: 'for-you', kind: 'for-you', items: [{ itemId: 'a' }, { itemId: 'b' }] }, { rowId: 'trending', kind: 'trending', items: [{ itemId: 'c' }] }] };
    const { record, events } = impressionOf(page, T0, { itemEvents: true });
    assert.deepEqual(record.rows, [{ rowId: 'for-you', kind: 'for-you', items: ['a', 'b'] }, { rowId: 'trending', kind: 'trending', items: ['c'] }]);
    assert.deepEqual(events.map((e) => [e.id, e.type, e.itemId, e.context]), [
      ['imp:pg1:0:0', 'impression', 'a', { pageId: 'pg1', rowId: 'for-you', position: 0, variant: 'e:b', modelVersion: 'als-3' }],
      ['imp:pg1:0:1', 'impression', 'b', { pageId: 'pg1', rowId: 'for-you', position: 1, variant: 'e:b', modelVersion: 'als-3' }],
      ['imp:pg1:1:0', 'impression', 'c', { pageId: 'pg1', rowId: 'trending', position: 0, variant: 'e:b', modelVersion: 'als-3' }],
    ]);
    const long = impressionOf({ pageId: 'p'.repeat(128), userId: 'm1', rows: [{ rowId: 'r', kind: 'trending', items: [{ itemId: 'a' }] }] }, T0, { itemEvents: true });
    assert.ok(long.events[0].id.length <= 128);
    // the page record alone (serving.impressionItemEvents = false, the default): the same record, no event made
    const recordOnly = impressionOf(page, T0);
    assert.deepEqual(recordOnly.record, record);
    assert.deepEqual(recordOnly.events, []);
  });

  it('B has twice A\'s clicks: exact counts, CTR intervals that do not overlap, lift +100% with an interval above 0', async () => {
    const e = experiment('ctr-test', [1, 1]);
    // 50 members per variant, one page each of 20 items: 1000 impressions per variant; the control's pages
    // are logged without per-item events and must count the same
    for (const [variant, clicksPerPage, rentsPerPage] of [['control', 1, 0], ['v1', 2, 1]] as const) {
      for (let m = 0; m < 50; m++) {
        const pageId = `${variant}-page-${m}`;
        const userId = `${variant}-member-${m}`;
        const items = Array.from({ length: 20 }, (_, k) => ({ itemId: `item-${k}` }));
        await recordImpression(store, { pageId, userId, variant: variantLabel(e.id, variant), modelVersion: 'als-1',
          rows: [{ rowId: 'for-you', kind: 'for-you', items }] }, { ts: T0, itemEvents: variant === 'v1' });
        const outcomes = [
          ...Array.from({ length: clicksPerPage }, (_, k) => ({ id: `${pageId}-click-${k}`, type: 'click' as const, itemId: `item-${k}` })),
          ...Array.from({ length: rentsPerPage }, (_, k) => ({ id: `${pageId}-rent-${k}`, type: 'rent' as const, itemId: `item-${k}` })),
        ];
        await store.appendEvents(outcomes.map((o) => ({ ...o, userId, ts: T0 + 1000, context: { pageId, rowId: 'for-you', position: 0 } })));
      }
    }
    const report = await experimentReport(store, e);
    const [a, b] = report.variants;
    assert.equal(report.control, 'control');
    assert.deepEqual([a.users, a.pages, a.impressions, a.clicks, a.rents, a.renters], [50, 50, 1000, 50, 0, 0]);
    assert.deepEqual([b.users, b.pages, b.impressions, b.clicks, b.rents, b.renters], [50, 50, 1000, 100, 50, 50]);
    near(a.ctr.rate, 0.05, 1e-12); near(b.ctr.rate, 0.1, 1e-12);
    assert.ok(a.ctr.high! < b.ctr.low!, `A ${a.ctr.low}–${a.ctr.high} overlaps B ${b.ctr.low}–${b.ctr.high}`);
    assert.equal(a.lift, null);
    near(b.lift!.ctr.value, 1, 1e-12); near(b.lift!.ctr.low, 0.44078); near(b.lift!.ctr.high, 1.77628);
    near(b.conversion.rate, 1, 1e-12);
    assert.equal(b.lift!.rentRate.value, null, 'no rents in the control: lift unbounded');
  });

  it('equal arms give overlapping intervals and a lift interval around 0', () => {
    const counts: Record<string, VariantCounts> = {
      'eq:control': { users: 400, pages: 400, impressions: 8000, clicks: 400, rents: 40, clickers: 300, renters: 40 },
      'eq:v1': { users: 400, pages: 400, impressions: 8000, clicks: 404, rents: 41, clickers: 301, renters: 41 },
    };
    const report = buildExperimentReport(experiment('eq', [1, 1]), counts);
    const [a, b] = report.variants;
    assert.ok(a.ctr.high! > b.ctr.low! && b.ctr.high! > a.ctr.low!);
    assert.ok(b.lift!.ctr.low! < 0 && b.lift!.ctr.high! > 0);
  });
});
