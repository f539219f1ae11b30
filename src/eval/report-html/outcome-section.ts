/**
 * The outcome-correlation section: per algorithm, the metrics ranked by their AUC as a predictor of
 * retention, with DeLong intervals, and the point-biserial r with Fisher z intervals; charts of both.
 * Reusable by the simulator with its own rows:
 *   outcomeSection({ definition, members, retained, churned, byAlgorithm: { alg: correlateMetricsWithOutcome(…) } }, k): Html
 */
import { barChartSvg, chartRow, escapeHtml, type BarSeries, type BarValue, figure, heading3, htmlTable, legendSvg, list, note, paragraph, raw, section, type Html } from '../html/index.ts';
import { metricLabel } from '../metric-labels.ts';
import type { RankingMetric } from '../metrics/per-user.ts';
import type { MetricOutcomeRow } from '../outcome/metric-outcome.ts';

export interface OutcomeSectionInput {
  definition: string;
  members: number;
  retained: number;
  churned: number;
  excludedMembers?: number;
  skippedRows?: Array<{ line: number; reason: string }>;
  byAlgorithm: Record<string, MetricOutcomeRow[]>;
  /** a non-metric baseline (e.g. the member's held-out items = activity), shown under the best metrics */
  activityReference?: MetricOutcomeRow;
}

const REFERENCE_NAME = 'reference: held-out items (activity)';

export function outcomeSection(input: OutcomeSectionInput, k: number): Html {
  const algorithms = Object.keys(input.byAlgorithm);
  const label = (m: string): string => (isRankingMetric(m) ? metricLabel(m, k) : m);
  const metrics = input.byAlgorithm[algorithms[0]]?.map((r) => r.metric).sort() ?? [];
  const rowOf = (a: string, m: string): MetricOutcomeRow | undefined => input.byAlgorithm[a].find((r) => r.metric === m);
  // the activity reference is drawn as one more category, in its own (last) series
  const ref = input.activityReference;
  const categories = [...metrics.map(label), ...(ref ? ['activity\n(reference)'] : [])];
  const chartSeries = (value: (row: MetricOutcomeRow | undefined) => BarValue | undefined): BarSeries[] => [
    ...algorithms.map((a) => ({ name: a, values: [...metrics.map((m) => value(rowOf(a, m))), undefined] })),
    ...(ref ? [{ name: REFERENCE_NAME, values: [...metrics.map(() => undefined), value(ref)] }] : []),
  ];
  // axes at least ±0.1 around 0.5 (AUC) and ±0.1 around 0 (r), so that noise does not look like an effect
  const all = [...Object.values(input.byAlgorithm).flat(), ...(ref ? [ref] : [])];
  const span = (values: number[], centre: number): number => Math.max(0.1, ...values.filter(Number.isFinite).map((v) => Math.abs(v - centre)));
  const aucSpan = span(all.flatMap((r) => [r.auc.low, r.auc.high]), 0.5);
  const rSpan = span(all.flatMap((r) => [r.r.low, r.r.high]), 0);
  const parts: Html[] = [
    paragraph(input.definition),
    list([
      `${input.members.toLocaleString('en-US')} members with an outcome: ${input.retained.toLocaleString('en-US')} retained `
        + `(${pct(input.retained / input.members)}), ${input.churned.toLocaleString('en-US')} churned`,
      ...(input.excludedMembers ? [`${input.excludedMembers.toLocaleString('en-US')} evaluated members left out (no outcome)`] : []),
      ...(input.skippedRows?.length ? [`${input.skippedRows.length} outcome rows skipped (first: line ${input.skippedRows[0].line}, ${input.skippedRows[0].reason})`] : []),
    ]),
    heading3('Best predictor of retention per algorithm'),
    htmlTable({
      columns: [{ label: 'algorithm' }, { label: 'best metric' }, { label: 'AUC [95% DeLong]', numeric: true }, { label: 'r [95% Fisher z]', numeric: true }],
      rows: algorithms.map((a) => {
        const top = input.byAlgorithm[a][0];
        return [a, top ? label(top.metric) : '—', top ? est(top.auc.auc, top.auc.low, top.auc.high) : '—', top ? est(top.r.r, top.r.low, top.r.high) : '—'];
      }).concat(input.activityReference ? [[
        'reference (not a metric)', input.activityReference.metric,
        est(input.activityReference.auc.auc, input.activityReference.auc.low, input.activityReference.auc.high),
        est(input.activityReference.r.r, input.activityReference.r.low, input.activityReference.r.high),
      ]] : []),
    }),
    raw(legendSvg([...algorithms, ...(ref ? [REFERENCE_NAME] : [])], 1040)),
    chartRow([
      figure(barChartSvg({
        title: 'AUC of each metric as a predictor of retention', yLabel: 'AUC (0.5 = no information)', baseline: 0.5,
        yMin: Math.max(0, 0.5 - aucSpan), yMax: Math.min(1, 0.5 + aucSpan), categories, width: 510, height: 280, showLegend: false,
        series: chartSeries((row) => bar(row?.auc.auc, row?.auc.low, row?.auc.high)),
      })),
      figure(barChartSvg({
        title: 'Point-biserial r with retention', yLabel: 'r', baseline: 0,
        yMin: Math.max(-1, -rSpan), yMax: Math.min(1, rSpan), categories, width: 510, height: 280, showLegend: false,
        series: chartSeries((row) => bar(row?.r.r, row?.r.low, row?.r.high)),
      })),
    ]),
  ];
  // one matrix per statistic (metrics × algorithms), the rank within each algorithm beside the AUC
  const cell = (v: number, low: number, high: number, rank?: number): Html => (Number.isNaN(v) ? raw('—')
    : raw(`${v.toFixed(3)}${rank ? ` <small>#${rank}</small>` : ''}<span class="ci">${low.toFixed(3)} – ${high.toFixed(3)}</span>`));
  const matrix = (stat: 'auc' | 'r' | 'partialR', caption: string): Html => htmlTable({
    caption,
    columns: [{ label: 'metric' }, ...algorithms.map((a) => ({ label: a, numeric: true }))],
    rows: metrics.map((m) => [label(m), ...algorithms.map((a) => {
      const row = rowOf(a, m);
      if (!row) return '—';
      if (stat === 'auc') return cell(row.auc.auc, row.auc.low, row.auc.high, row.rank);
      const r = stat === 'r' ? row.r : row.partialR;
      return r ? cell(r.r, r.low, r.high) : '—';
    })]),
  });
  parts.push(heading3('AUC as a predictor of retention, per metric and algorithm'));
  parts.push(matrix('auc', 'AUC [95% DeLong interval beneath]; #n = rank of the metric within the algorithm (1 = best predictor)'));
  parts.push(heading3('Point-biserial r with retention'));
  parts.push(matrix('r', 'r [95% Fisher z interval beneath]'));
  if (Object.values(input.byAlgorithm).some((rows) => rows.some((r) => r.partialR))) {
    parts.push(heading3('Beyond activity: partial r given the member\'s held-out items'));
    parts.push(matrix('partialR', 'partial r of metric and retention given activity [95% Fisher z interval beneath]; ≈ 0 = the metric adds nothing to activity'));
  }
  // the full rows (p-values, group means) fold away: native <details>, no script
  const details = algorithms.map((a) => `<h3>${escapeHtml(a)}: metrics ranked by AUC</h3>${htmlTable({
    columns: [{ label: 'rank', numeric: true }, { label: 'metric' }, { label: 'AUC [95%]', numeric: true }, { label: 'p (AUC = 0.5)', numeric: true },
      { label: 'r [95%]', numeric: true }, { label: 'mean, retained', numeric: true }, { label: 'mean, churned', numeric: true }, { label: 'n', numeric: true }],
    rows: input.byAlgorithm[a].map((r) => [r.rank, label(r.metric), est(r.auc.auc, r.auc.low, r.auc.high), pValue(r.auc.p),
      est(r.r.r, r.r.low, r.r.high), r.meanRetained.toFixed(4), r.meanChurned.toFixed(4), r.n]),
    highlightRows: [0],
  }).html}`).join('');
  parts.push(raw(`<details><summary>Every algorithm's ranking with p-values and the mean metric of retained and churned members</summary>${details}</details>`));
  parts.push(note('AUC = probability that a retained member has a higher metric than a churned one (ties ½), DeLong interval; '
    + 'r = Pearson correlation of the metric with the 0/1 outcome, Fisher z interval. An interval straddling 0.5 (AUC) or 0 (r) '
    + 'means the metric does not tell retained from churned members here. Correlation is not causation: more active members '
    + 'both rent more held-out items (higher HR) and are more likely to stay; intervals are not corrected for the number of metrics compared.'));
  return section('Outcome correlation', ...parts);
}

function isRankingMetric(m: string): m is RankingMetric {
  return ['ndcg', 'recall', 'precision', 'hitRate', 'map'].includes(m);
}

function bar(value?: number, low?: number, high?: number): { value: number; low?: number; high?: number } | undefined {
  return value === undefined || Number.isNaN(value) ? undefined : { value, low, high };
}

function est(v: number, low: number, high: number): string {
  return Number.isNaN(v) ? '—' : `${v.toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]`;
}

function pValue(p: number): string {
  return Number.isNaN(p) ? '—' : p < 1e-4 ? '< 0.0001' : p.toFixed(4);
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
