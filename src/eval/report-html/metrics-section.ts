/** The metrics section: a table of every metric per algorithm with bootstrap intervals, one bar chart per metric. */
import type { MetricIntervals } from '../analysis/intervals.ts';
import type { EvaluationReport } from '../evaluate.ts';
import { barChartSvg, chartRow, figure, htmlTable, legendSvg, note, raw, section, type Html } from '../html/index.ts';
import { intervalCell, metricLabel } from '../metric-labels.ts';
import { RANKING_METRICS } from '../metrics/per-user.ts';

export function metricsSection(report: EvaluationReport, intervals: Record<string, MetricIntervals>, level: number): Html {
  const algorithms = Object.keys(report.results);
  const k = report.k;
  const columns = [
    { label: 'algorithm' },
    ...RANKING_METRICS.map((m) => ({ label: metricLabel(m, k), numeric: true })),
    { label: 'coverage', numeric: true }, { label: 'train s', numeric: true },
  ];
  const rows = algorithms.map((a) => [
    a, ...RANKING_METRICS.map((m) => intervalCell(intervals[a][m])),
    report.results[a].coverage.toFixed(3), report.results[a].trainSeconds.toFixed(1),
  ]);
  const best = bestRow(algorithms.map((a) => report.results[a].ndcg));
  const charts = RANKING_METRICS.map((m) => figure(barChartSvg({
    title: metricLabel(m, k), yLabel: `mean ${metricLabel(m, k)}`, categories: [''], width: 320, height: 210, showLegend: false,
    series: algorithms.map((a) => ({ name: a, values: [{ value: intervals[a][m].estimate, low: intervals[a][m].low, high: intervals[a][m].high }] })),
  })));
  charts.push(figure(barChartSvg({
    title: 'Catalogue coverage', yLabel: 'share of vocabulary', categories: [''], width: 320, height: 210, yMin: 0, showLegend: false,
    series: algorithms.map((a) => ({ name: a, values: [{ value: report.results[a].coverage }] })),
  })));
  return section('Metrics',
    htmlTable({ columns, rows, highlightRows: best < 0 ? [] : [best],
      caption: `mean over ${report.users.toLocaleString('en-US')} evaluated members [${Math.round(level * 100)}% bootstrap interval]; bold: best NDCG@${k}` }),
    raw(legendSvg(algorithms, 1040)),
    chartRow(charts),
    note(`Whiskers: ${Math.round(level * 100)}% percentile bootstrap intervals (members resampled with replacement). `
      + 'Coverage = distinct items recommended to anyone / vocabulary; it is a property of all lists together and has no per-member interval.'));
}

function bestRow(values: number[]): number {
  let best = -1;
  values.forEach((v, j) => {
    if (!Number.isNaN(v) && (best < 0 || v > values[best])) best = j;
  });
  return best;
}
