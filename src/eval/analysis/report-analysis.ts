/**
 * Everything the HTML and JSON reports show beyond the means: bootstrap intervals, metrics per member
 * segment, the popularity-bias curves, the data range and, when asked, the outcome correlation.
 */
import type { EvaluationReport } from '../evaluate.ts';
import { analyseOutcome, type OutcomeAnalysis, type OutcomeSource } from '../outcome/outcome-analysis.ts';
import type { EvalSplit } from '../splits.ts';
import { BOOTSTRAP_DEFAULTS, type BootstrapOptions } from '../stats/bootstrap.ts';
import { metricIntervals, type MetricIntervals } from './intervals.ts';
import { memberProfiles } from './member-profiles.ts';
import { popularityBias, type PopularityBias } from './popularity-bias.ts';
import { segmentations, segmentMetrics, type SegmentResult } from './segments.ts';

export interface DataRange {
  /** first and last interaction of the data set, epoch ms */
  first: number;
  last: number;
  /** end of train (the cutoff for global-time) */
  trainEnd: number;
}

export interface ReportAnalysis {
  bootstrap: Required<BootstrapOptions>;
  intervals: Record<string, MetricIntervals>;
  segments: SegmentResult[];
  popularityBias: PopularityBias;
  dataRange: DataRange;
  outcome?: OutcomeAnalysis;
}

export interface AnalysisOptions {
  bootstrap?: BootstrapOptions;
  outcome?: OutcomeSource;
}

/** The analysis of `report` (made on `split`). */
export function analyseReport(report: EvaluationReport, split: EvalSplit, opts: AnalysisOptions = {}): ReportAnalysis {
  const bootstrap = { ...BOOTSTRAP_DEFAULTS, ...opts.bootstrap };
  const intervals: Record<string, MetricIntervals> = {};
  const perUser: Record<string, EvaluationReport['results'][string]['perUser']> = {};
  const lists: Record<string, string[][]> = {};
  for (const [name, r] of Object.entries(report.results)) {
    intervals[name] = metricIntervals(r.perUser, bootstrap);
    perUser[name] = r.perUser;
    lists[name] = r.lists;
  }
  const out: ReportAnalysis = {
    bootstrap, intervals,
    segments: segmentMetrics(segmentations(memberProfiles(split)), perUser, bootstrap),
    popularityBias: popularityBias(split, lists),
    dataRange: { first: split.dataStart, last: split.dataEnd, trainEnd: split.trainEnd },
  };
  if (opts.outcome) out.outcome = analyseOutcome(report, split, opts.outcome);
  return out;
}
