/**
 * The simulation's result, as the JSON it writes: per variant, retention (members not cancelled at
 * the end) with a Wilson interval, rents per member with a bootstrap interval (src/eval/stats), CTR
 * per row kind with Wilson intervals, fallbacks, the variant's offline metrics on the simulated
 * history, and how those per-member metrics correlate with retention (the evaluation's
 * correlateMetricsWithOutcome: point-biserial r and AUC with intervals); then each variant against
 * the control. No timings: the same seed gives byte-identical JSON (the CLI prints timings apart).
 */
import { correlateMetricsWithOutcome, type MetricOutcomeRow } from '../../eval/outcome/metric-outcome.ts';
import { bootstrapMean } from '../../eval/stats/bootstrap.ts';
import { liftInterval, wilsonInterval, type Interval as RateInterval } from '../../serving/experiments/intervals.ts';
import { OFFLINE_METRICS } from './offline.ts';
import type { SimulationRuns } from './run-simulation.ts';
import type { VariantRun } from './variant-world.ts';
import { EXAMINE_NEXT_ITEM, EXAMINE_NEXT_ROW } from './member-visit.ts';

export interface MeanInterval {
  mean: number;
  low: number;
  high: number;
}

export interface RowKindResult {
  shown: number;
  examined: number;
  clicks: number;
  hearts: number;
  rents: number;
  /** clicks / items shown (the experiment report's CTR) */
  ctr: RateInterval;
  /** clicks / items the member looked at */
  ctrExamined: RateInterval;
}

export interface VariantResult {
  name: string;
  algorithm: string;
  label: string;
  members: number;
  joinedDuringSimulation: number;
  visits: number;
  retention: RateInterval & { retained: number; churned: number };
  rentsPerMember: MeanInterval;
  rowKinds: Record<string, RowKindResult>;
  fallbacks: { pages: number; pagesWithFallback: number; rate: RateInterval; bySource: Record<string, number>; byCause: Record<string, number> };
  /** must be 0: items shown while held, pages labelled with another variant */
  invariants: { heldShown: number; misassigned: number };
  offline: { k: number; evaluated: number; metrics: Record<string, MeanInterval> };
  /** this variant's members: which offline metric tracks their retention */
  metricsVsRetention: MetricOutcomeRow[];
}

export interface SimulationResult {
  format: 'vitrine-simulation/1';
  options: Omit<SimulationRuns['options'], 'dataDir'>;
  model: { examineNextItem: number; examineNextRow: number; note: string };
  warmupEvents: number;
  variants: VariantResult[];
  /** each variant against the first (the control): retention difference (Newcombe) and lifts (Katz) */
  comparisons: Array<{ variant: string; against: string; retentionDifference: { value: number; low: number; high: number };
    retentionLift: ReturnType<typeof liftInterval>; rentsPerMemberDifference: number }>;
  /** all members pooled, each with the metric of the model that served them */
  pooledMetricsVsRetention: MetricOutcomeRow[];
}

const round = (x: number, digits = 6): number => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);
const roundAll = <T>(value: T): T => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' ? round(v) : v))) as T;

/** Summarises the runs (see the file comment). */
export function summarise(sim: SimulationRuns): SimulationResult {
  const variants = sim.runs.map(variantResult);
  const [control] = variants;
  const comparisons = variants.slice(1).map((v) => ({
    variant: v.name, against: control.name,
    retentionDifference: newcombeDifference(v.retention, control.retention),
    retentionLift: liftInterval(v.retention.retained, v.members, control.retention.retained, control.members),
    rentsPerMemberDifference: v.rentsPerMember.mean - control.rentsPerMember.mean,
  }));
  const pooled = pooledOutcome(sim.runs);
  const { dataDir: _dir, ...options } = sim.options;
  void _dir;
  return roundAll({
    format: 'vitrine-simulation/1' as const, options,
    model: {
      examineNextItem: EXAMINE_NEXT_ITEM, examineNextRow: EXAMINE_NEXT_ROW,
      note: 'members respond with src/sim/world/behaviour.ts; retention = not cancelled by the last simulated day',
    },
    warmupEvents: sim.runs[0].warmupEvents, variants, comparisons, pooledMetricsVsRetention: pooled,
  });
}

function variantResult(run: VariantRun): VariantResult {
  const n = run.members.length;
  let churned = 0;
  let visits = 0;
  let joined = 0;
  for (let j = 0; j < n; j++) {
    churned += run.churned[j];
    visits += run.visits[j];
    joined += run.joined[j];
  }
  const c = run.counts;
  const rowKinds: Record<string, RowKindResult> = {};
  for (const [kind, k] of Object.entries(c.rowKinds).sort(([a], [b]) => a.localeCompare(b))) {
    rowKinds[kind] = { ...k, ctr: wilsonInterval(k.clicks, k.shown), ctrExamined: wilsonInterval(k.clicks, k.examined) };
  }
  const metrics: Record<string, MeanInterval> = {};
  for (const m of OFFLINE_METRICS) metrics[m] = meanInterval(run.offline[m]);
  return {
    name: run.name, algorithm: run.algorithm, label: run.label, members: n, joinedDuringSimulation: joined, visits,
    retention: { ...wilsonInterval(n - churned, n), retained: n - churned, churned },
    rentsPerMember: meanInterval(Float64Array.from(run.rents)),
    rowKinds,
    fallbacks: {
      pages: c.pages, pagesWithFallback: c.pagesWithFallback, rate: wilsonInterval(c.pagesWithFallback, c.pages),
      bySource: sortKeys(c.fallbackSources), byCause: sortKeys(c.failureCauses),
    },
    invariants: { heldShown: c.heldShown, misassigned: c.misassigned },
    offline: { k: run.offline.k, evaluated: run.offline.evaluated, metrics },
    metricsVsRetention: correlateMetricsWithOutcome(metricVectors([run]), retainedOf([run])),
  };
}

function pooledOutcome(runs: readonly VariantRun[]): MetricOutcomeRow[] {
  return correlateMetricsWithOutcome(metricVectors(runs), retainedOf(runs));
}

function metricVectors(runs: readonly VariantRun[]): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const m of OFFLINE_METRICS) out[`${m}@${runs[0].offline.k}`] = concat(runs.map((r) => r.offline[m]));
  return out;
}

function retainedOf(runs: readonly VariantRun[]): Uint8Array {
  return Uint8Array.from(concat(runs.map((r) => Float64Array.from(r.churned, (x) => 1 - x))));
}

function concat(parts: ReadonlyArray<ArrayLike<number>>): Float64Array {
  const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) for (let j = 0; j < p.length; j++) out[at++] = p[j];
  return out;
}

/** Mean with a percentile-bootstrap 95% interval (1,000 resamples, fixed seed: reproducible). */
function meanInterval(values: Float64Array): MeanInterval {
  const b = bootstrapMean(values);
  return { mean: b.estimate, low: b.low, high: b.high };
}

/** Newcombe's hybrid score interval (1998, method 10) for p1 − p0 from the two Wilson intervals. */
export function newcombeDifference(a: RateInterval, b: RateInterval): { value: number; low: number; high: number } {
  if (a.rate === null || b.rate === null || a.low === null || a.high === null || b.low === null || b.high === null) {
    return { value: Number.NaN, low: Number.NaN, high: Number.NaN };
  }
  const d = a.rate - b.rate;
  return {
    value: d,
    low: d - Math.sqrt((a.rate - a.low) ** 2 + (b.high - b.rate) ** 2),
    high: d + Math.sqrt((a.high - a.rate) ** 2 + (b.rate - b.low) ** 2),
  };
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
