/**
 * The analysis as fields ADDED to EVALUATION.md's `--json` document (its documented fields are never
 * changed): per algorithm `intervals` and `popularityByDecile`; at the top `bootstrap`, `dataRange`,
 * `segments`, `popularityBias` and, with an outcome, `outcome`. Dates are ISO strings; NaN becomes null.
 */
import type { ReportAnalysis } from './report-analysis.ts';

export interface AnalysisJson {
  perAlgorithm: Record<string, { intervals: unknown; popularityByDecile: number[]; meanRecommendedPopularity: number }>;
  top: Record<string, unknown>;
}

export function analysisJson(a: ReportAnalysis): AnalysisJson {
  const perAlgorithm: AnalysisJson['perAlgorithm'] = {};
  for (const [name, intervals] of Object.entries(a.intervals)) {
    perAlgorithm[name] = {
      intervals: roundDeep(intervals),
      popularityByDecile: roundDeep(a.popularityBias.byAlgorithm[name]) as number[],
      meanRecommendedPopularity: round(a.popularityBias.meanPopularity[name]),
    };
  }
  const top: Record<string, unknown> = {
    bootstrap: { ...a.bootstrap, method: 'percentile, members resampled with replacement' },
    dataRange: { first: iso(a.dataRange.first), last: iso(a.dataRange.last), trainEnd: iso(a.dataRange.trainEnd) },
    segments: roundDeep(a.segments),
    popularityBias: roundDeep({ bins: a.popularityBias.bins, catalogue: a.popularityBias.catalogue, train: a.popularityBias.train, test: a.popularityBias.test }),
  };
  if (a.outcome) {
    const { window, ...rest } = a.outcome;
    top.outcome = roundDeep({
      ...rest,
      ...(window ? { window: { testFrom: iso(window.testFrom), horizonFrom: iso(window.horizonFrom), horizonTo: iso(window.horizonTo), observedUntil: iso(window.observedUntil) } } : {}),
    });
  }
  return { perAlgorithm, top };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function round(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : x;
}

/** Numbers to 6 significant digits, recursively (keeps the file readable; the intervals are not that precise). */
function roundDeep(value: unknown): unknown {
  if (typeof value === 'number') return round(value);
  if (Array.isArray(value)) return value.map(roundDeep);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, roundDeep(v)]));
  return value;
}
