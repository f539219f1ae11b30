/**
 * The outcome section of an evaluation: every algorithm's per-member metrics against member outcomes
 * (churn labels from the data, or a supplied CSV), ranked by how well each metric predicts retention.
 */
import type { EvaluationReport } from '../evaluate.ts';
import { RANKING_METRICS, userMetricVectors, type UserMetricVectors } from '../metrics/per-user.ts';
import type { EvalSplit } from '../splits.ts';
import type { ChurnLabels, ChurnWindow } from './churn-labels.ts';
import { correlateMetricsWithOutcome, type MetricOutcomeRow } from './metric-outcome.ts';
import type { OutcomeTable, SkippedRow } from './outcome-csv.ts';

export type OutcomeSource = { kind: 'churn'; labels: ChurnLabels; horizonDays: number } | { kind: 'csv'; file: string; table: OutcomeTable };

export interface OutcomeAnalysis {
  kind: 'churn' | 'csv';
  /** one sentence: what "retained" means here */
  definition: string;
  window?: ChurnWindow;
  horizonDays?: number;
  /** members with both metrics and an outcome */
  members: number;
  retained: number;
  churned: number;
  /** evaluated members without an outcome (no relevant item in the test window, or not in the CSV) */
  excludedMembers: number;
  skippedRows: SkippedRow[];
  /** per algorithm, metrics ranked best predictor first */
  byAlgorithm: Record<string, MetricOutcomeRow[]>;
  /**
   * The same statistics for a non-metric: the member's number of held-out items (their test-window
   * activity). A metric that predicts retention no better than this mostly measures activity.
   */
  activityReference: MetricOutcomeRow;
}

export const ACTIVITY_REFERENCE = 'held-out items (activity)';

/** Correlates every algorithm's per-member metrics with the outcome. */
export function analyseOutcome(report: EvaluationReport, split: Pick<EvalSplit, 'users'>, source: OutcomeSource): OutcomeAnalysis {
  const byAlgorithm: Record<string, MetricOutcomeRow[]> = {};
  let retained: Uint8Array;
  let members: Int32Array;
  if (source.kind === 'churn') {
    ({ members, retained } = source.labels);
  } else {
    const kept: number[] = [];
    split.users.forEach((u, m) => {
      if (source.table.retainedOf.has(u.userId)) kept.push(m);
    });
    members = Int32Array.from(kept);
    retained = Uint8Array.from(kept, (m) => source.table.retainedOf.get(split.users[m].userId) ?? 0);
  }
  const activity = source.kind === 'churn'
    ? Float64Array.from(source.labels.relevant, (r) => r.size)
    : Float64Array.from(members, (m) => split.users[m].relevant.size);
  for (const [name, result] of Object.entries(report.results)) {
    const vectors = source.kind === 'churn'
      ? userMetricVectors([...members].map((m) => split.users[m].userId), [...members].map((m) => result.lists[m]), source.labels.relevant, report.k)
      : pickMembers(result.perUser, members);
    const metrics: Record<string, Float64Array> = {};
    for (const metric of RANKING_METRICS) metrics[metric] = vectors[metric];
    byAlgorithm[name] = correlateMetricsWithOutcome(metrics, retained, { control: activity });
  }
  const activityReference = correlateMetricsWithOutcome({ [ACTIVITY_REFERENCE]: activity }, retained)[0];
  let nRetained = 0;
  for (const r of retained) nRetained += r;
  const base = {
    members: members.length, retained: nRetained, churned: members.length - nRetained,
    excludedMembers: split.users.length - members.length, byAlgorithm, activityReference,
  };
  if (source.kind === 'churn') {
    const w = source.labels.window;
    return {
      ...base, kind: 'churn', window: w, horizonDays: source.horizonDays, skippedRows: [],
      definition: `retained = at least one rental or purchase in the ${source.horizonDays}-day horizon ${day(w.horizonFrom)} … ${day(w.horizonTo)} `
        + `(exclusive); metrics scored on relevant items first rented in the test window ${day(w.testFrom)} … ${day(w.horizonFrom)}`,
    };
  }
  return {
    ...base, kind: 'csv', skippedRows: source.table.skipped,
    definition: `retained as given in ${source.file}; metrics scored on the protocol's full test part`,
  };
}

function pickMembers(v: UserMetricVectors, members: Int32Array): UserMetricVectors {
  const out = { userIds: [...members].map((m) => v.userIds[m]), k: v.k } as UserMetricVectors;
  for (const metric of RANKING_METRICS) out[metric] = Float64Array.from(members, (m) => v[metric][m]);
  return out;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
