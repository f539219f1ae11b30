/** How reports name the metrics: `ndcg` → "NDCG@10". */
import { raw, type Html } from './html/escape.ts';
import type { RankingMetric } from './metrics/per-user.ts';

const NAMES: Record<RankingMetric | 'coverage', string> = {
  ndcg: 'NDCG', recall: 'Recall', precision: 'Precision', hitRate: 'HR', map: 'MAP', coverage: 'coverage',
};

export function metricLabel(metric: RankingMetric | 'coverage', k: number): string {
  return metric === 'coverage' ? NAMES.coverage : `${NAMES[metric]}@${k}`;
}

/** "0.0053 [0.0045, 0.0062]" with `digits` decimals; "—" for NaN. */
export function formatInterval(i: { estimate: number; low: number; high: number }, digits = 4): string {
  if (Number.isNaN(i.estimate)) return '—';
  const f = (x: number): string => (Number.isNaN(x) ? '?' : x.toFixed(digits));
  return `${f(i.estimate)} [${f(i.low)}, ${f(i.high)}]`;
}

/** A table cell: the estimate, and its interval small beneath it (class "ci"). */
export function intervalCell(i: { estimate: number; low: number; high: number }, digits = 4): Html {
  if (Number.isNaN(i.estimate)) return raw('—');
  return raw(`${i.estimate.toFixed(digits)}<span class="ci">${i.low.toFixed(digits)} – ${i.high.toFixed(digits)}</span>`);
}
