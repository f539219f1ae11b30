/** How reports name the metrics: `ndcg` → "NDCG@10". */
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
