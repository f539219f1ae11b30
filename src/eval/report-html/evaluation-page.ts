/**
 * The `evaluate --html` report: one self-contained page with the protocol and data range, every metric
 * per algorithm with bootstrap intervals, metrics per segment, the popularity-bias curve, coverage
 * and, when an outcome was given, which metric predicts it best.
 */
import type { ReportAnalysis } from '../analysis/report-analysis.ts';
import type { EvaluationReport } from '../evaluate.ts';
import { contents, htmlDocument, htmlTable, note, section, type Html } from '../html/index.ts';
import type { ReportContext } from '../report.ts';
import { describeProtocol, formatDate } from '../splits.ts';
import { metricsSection } from './metrics-section.ts';
import { outcomeSection } from './outcome-section.ts';
import { popularitySection } from './popularity-section.ts';
import { segmentsSection } from './segments-section.ts';

export interface PageContext extends ReportContext {
  /** printed under the title, e.g. the RTR citation */
  citation?: string;
  /** the command line that made the report */
  command?: string;
  /** the time the report was made (default now) */
  generatedAt?: Date;
}

export function evaluationReportHtml(report: EvaluationReport, analysis: ReportAnalysis, ctx: PageContext): string {
  const algorithms = Object.keys(report.results);
  const sections: Html[] = [
    protocolSection(report, analysis, ctx),
    metricsSection(report, analysis.intervals, analysis.bootstrap.level),
    segmentsSection(analysis.segments, algorithms, report.k),
    popularitySection(analysis.popularityBias, algorithms),
  ];
  if (analysis.outcome) sections.push(outcomeSection(analysis.outcome, report.k));
  const titles = ['Protocol and data', 'Metrics', 'Segments', 'Popularity bias', ...(analysis.outcome ? ['Outcome correlation'] : [])];
  return htmlDocument({
    title: `Offline evaluation: ${describeProtocol(report.protocol)}, K = ${report.k}`,
    subtitle: `${ctx.dataset}${ctx.source ? ` (${ctx.source})` : ''} — ${algorithms.join(', ')}${ctx.citation ? ` — ${ctx.citation}` : ''}`,
    sections: [contents(titles), ...sections],
    footer: `Made by vitrine evaluate${ctx.command ? `: ${ctx.command}` : ''} on ${(ctx.generatedAt ?? new Date()).toISOString()}. `
      + 'Protocols and metrics: EVALUATION.md; how to read this page: docs/validation.md.',
  });
}

function protocolSection(report: EvaluationReport, analysis: ReportAnalysis, ctx: PageContext): Html {
  const n = (x: number): string => x.toLocaleString('en-US');
  const r = analysis.dataRange;
  const test = report.protocol.name === 'global-time'
    ? `train = interactions before ${formatDate(report.protocol.cutoff)}; test = from ${formatDate(report.protocol.cutoff)} to the last event ${formatDate(r.last)}`
    : 'each member with ≥ 5 distinct items holds out their last max(1, floor(20%)); all else is train';
  const rows = [
    ['data', `${ctx.dataset}${ctx.source ? ` — ${ctx.source}` : ''}`],
    ['data range', `${formatDate(r.first)} … ${formatDate(r.last)} (end of train ${formatDate(r.trainEnd)})`],
    ['protocol', `${describeProtocol(report.protocol)}: ${test}`],
    ['train', `${n(report.trainInteractions)} interactions (${n(report.trainPairs)} distinct member-item pairs), ${n(report.trainUsers)} members, ${n(report.items)} items (the vocabulary)`],
    ['evaluated members', `${n(report.users)}: ≥ 1 train interaction and ≥ 1 relevant item (a test item in the vocabulary, new to them)`],
    ['ranking', `top ${report.k} over the whole vocabulary, the member's train items excluded; binary relevance`],
    ['intervals', `${Math.round(analysis.bootstrap.level * 100)}% percentile bootstrap, ${n(analysis.bootstrap.resamples)} resamples of members, seed ${analysis.bootstrap.seed}`],
  ];
  return section('Protocol and data',
    htmlTable({ columns: [{ label: 'what' }, { label: 'value' }], rows, hideHeader: true }),
    ...(ctx.citation ? [note(ctx.citation)] : []),
  );
}
