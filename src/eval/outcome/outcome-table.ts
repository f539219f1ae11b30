/** The outcome correlation as a fixed-width table for the terminal: per algorithm, metrics ranked by AUC. */
import { metricLabel } from '../metric-labels.ts';
import type { RankingMetric } from '../metrics/per-user.ts';
import type { OutcomeAnalysis } from './outcome-analysis.ts';

export function formatOutcomeTable(
  outcome: Pick<OutcomeAnalysis, 'definition' | 'members' | 'retained' | 'churned' | 'byAlgorithm'> & Partial<Pick<OutcomeAnalysis, 'activityReference'>>,
  k: number,
): string {
  const lines = [
    `outcome: ${outcome.definition}`,
    `${outcome.members} members with an outcome: ${outcome.retained} retained, ${outcome.churned} churned`,
    '',
  ];
  const head = ['algorithm', 'rank', 'metric', 'AUC [95% DeLong]', 'r [95% Fisher z]', 'partial r | activity', 'n'];
  const rows: string[][] = [];
  for (const [alg, ranked] of Object.entries(outcome.byAlgorithm)) {
    for (const r of ranked) {
      rows.push([r.rank === 1 ? alg : '', String(r.rank), label(r.metric, k),
        interval(r.auc.auc, r.auc.low, r.auc.high), interval(r.r.r, r.r.low, r.r.high),
        r.partialR ? interval(r.partialR.r, r.partialR.low, r.partialR.high) : '—', String(r.n)]);
    }
  }
  const ref = outcome.activityReference;
  if (ref) rows.push(['reference', '', ref.metric, interval(ref.auc.auc, ref.auc.low, ref.auc.high), interval(ref.r.r, ref.r.low, ref.r.high), '', String(ref.n)]);
  const width = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c <= 2 ? cell.padEnd(width[c]) : cell.padStart(width[c]))).join('  ');
  lines.push(line(head), ...rows.map(line));
  return lines.join('\n');
}

function interval(v: number, low: number, high: number): string {
  return Number.isNaN(v) ? '—' : `${v.toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]`;
}

function label(metric: string, k: number): string {
  return ['ndcg', 'recall', 'precision', 'hitRate', 'map'].includes(metric) ? metricLabel(metric as RankingMetric, k) : metric;
}
