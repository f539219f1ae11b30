/** An evaluation report as the `--json` document of EVALUATION.md and as a table for people. */
import { analysisJson } from './analysis/analysis-json.ts';
import type { ReportAnalysis } from './analysis/report-analysis.ts';
import type { EvaluationReport } from './evaluate.ts';
import { describeProtocol, formatDate } from './splits.ts';

/** Extra context for the JSON document and the table. */
export interface ReportContext {
  /** 'rtr', 'store'… */
  dataset: string;
  /** the file or store URL read */
  source?: string;
}

export interface ReportJson {
  protocol: string;
  k: number;
  users: number;
  items: number;
  results: Record<string, {
    ndcg: number; recall: number; precision: number; hitRate: number; map: number; coverage: number; trainSeconds: number;
    recommendSeconds: number; params: Record<string, unknown>;
    /** with an analysis: bootstrap intervals of each metric, popularity-bias shares */
    intervals?: unknown; popularityByDecile?: number[]; meanRecommendedPopularity?: number;
  }>;
  cutoff?: string;
  dataset: string;
  source?: string;
  trainInteractions: number;
  trainPairs: number;
  trainUsers: number;
  /** with an analysis: bootstrap, dataRange, segments, popularityBias, outcome (analysis-json.ts) */
  [extra: string]: unknown;
}

/**
 * `{"protocol", "k", "users", "items", "results": {alg: {ndcg, recall, precision, hitRate, map, coverage, trainSeconds}}}` + extras;
 * with `analysis`, its fields are added (never replacing a documented one).
 */
export function reportJson(report: EvaluationReport, ctx: ReportContext, analysis?: ReportAnalysis): ReportJson {
  const results: ReportJson['results'] = {};
  for (const [name, r] of Object.entries(report.results)) {
    results[name] = {
      ndcg: r.ndcg, recall: r.recall, precision: r.precision, hitRate: r.hitRate, map: r.map, coverage: r.coverage,
      trainSeconds: round(r.trainSeconds, 3), recommendSeconds: round(r.recommendSeconds, 3), params: r.params,
    };
  }
  const out: ReportJson = {
    protocol: report.protocol.name, k: report.k, users: report.users, items: report.items, results,
    dataset: ctx.dataset, trainInteractions: report.trainInteractions, trainPairs: report.trainPairs, trainUsers: report.trainUsers,
  };
  if (report.protocol.name === 'global-time') out.cutoff = formatDate(report.protocol.cutoff);
  if (ctx.source !== undefined) out.source = ctx.source;
  if (analysis) {
    const extra = analysisJson(analysis);
    for (const [name, fields] of Object.entries(extra.perAlgorithm)) if (results[name]) Object.assign(results[name], fields);
    for (const [key, value] of Object.entries(extra.top)) if (!Object.hasOwn(out, key)) out[key] = value;
  }
  return out;
}

/** The report as a fixed-width table with a heading (no trailing newline). */
export function formatReportTable(report: EvaluationReport, ctx: ReportContext): string {
  const k = report.k;
  const n = (x: number): string => x.toLocaleString('en-US');
  const lines = [
    `${describeProtocol(report.protocol)}, K = ${k} — ${ctx.dataset}${ctx.source ? ` (${ctx.source})` : ''}`,
    `train: ${n(report.trainInteractions)} interactions (${n(report.trainPairs)} distinct member-item pairs), `
      + `${n(report.trainUsers)} members, ${n(report.items)} items; ${n(report.users)} evaluated members`,
    '',
  ];
  const head = ['algorithm', `NDCG@${k}`, `Recall@${k}`, `Prec@${k}`, `HR@${k}`, `MAP@${k}`, 'coverage', 'train s'];
  const rows = Object.entries(report.results).map(([name, r]) => [
    name, r.ndcg.toFixed(4), r.recall.toFixed(4), r.precision.toFixed(4), r.hitRate.toFixed(4), r.map.toFixed(4),
    r.coverage.toFixed(3), r.trainSeconds.toFixed(2),
  ]);
  const width = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c === 0 ? cell.padEnd(width[c]) : cell.padStart(width[c]))).join('  ');
  lines.push(line(head), ...rows.map(line));
  return lines.join('\n');
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
