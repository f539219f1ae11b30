/** Metrics per member segment: for each segmentation, NDCG@K and HR@K per bucket and algorithm, with intervals. */
import type { SegmentResult } from '../analysis/segments.ts';
import { barChartSvg, chartRow, figure, heading3, htmlTable, legendSvg, note, raw, section, type Html } from '../html/index.ts';
import { intervalCell, metricLabel } from '../metric-labels.ts';
import type { RankingMetric } from '../metrics/per-user.ts';

const TITLES: Record<SegmentResult['name'], string> = {
  tenure: 'Tenure', recency: 'Recency', size: 'Size', heldOut: 'Held-out items',
};

export function segmentsSection(segments: SegmentResult[], algorithms: string[], k: number, metrics: RankingMetric[] = ['ndcg', 'hitRate']): Html {
  const parts: Html[] = [note('Members are bucketed by what was known at the end of train: tenure = distinct train items; '
    + 'recency = days from their last train interaction to the end of train; size = their most rented size in train. '
    + 'Held-out items = their relevant test items (every top-K metric depends on it). Bars: mean with 95% bootstrap interval within the bucket.')];
  for (const seg of segments) {
    parts.push(heading3(`${TITLES[seg.name]} (${seg.label})`));
    const categories = seg.buckets.map((b) => `${b.bucket}\nn=${b.members}`);
    parts.push(raw(legendSvg(algorithms, 1040)));
    parts.push(chartRow(metrics.map((metric) => figure(barChartSvg({
      title: `${metricLabel(metric, k)} by ${seg.label}`, yLabel: `mean ${metricLabel(metric, k)}`, xLabel: seg.label, categories,
      width: 510, height: 260, showLegend: false,
      series: algorithms.map((a) => ({ name: a, values: seg.buckets.map((b) => ({ value: b.metrics[a][metric].estimate, low: b.metrics[a][metric].low, high: b.metrics[a][metric].high })) })),
    })))));
    parts.push(htmlTable({
      caption: `${metricLabel(metrics[0], k)} [95% interval] per bucket`,
      columns: [{ label: seg.label }, { label: 'members', numeric: true }, ...algorithms.map((a) => ({ label: a, numeric: true }))],
      rows: seg.buckets.map((b) => [b.bucket, b.members, ...algorithms.map((a) => intervalCell(b.metrics[a][metrics[0]]))]),
    }));
  }
  return section('Segments', ...parts);
}
