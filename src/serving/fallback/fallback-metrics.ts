/** Counters of the fallback chain on the app's registry: what fired, and why sources failed. */
import { Counter, type Registry } from 'prom-client';
import type { SourceFailure } from './fallback-chain.ts';

export interface FallbackMetrics {
  /** rows (or lists) served from a fallback source, by source and row kind */
  fallbacks: Counter<'source' | 'kind'>;
  /** sources that failed, by source and cause */
  failures: Counter<'source' | 'cause'>;
}

/** Registers the counters on `registry` (once per app). */
export function createFallbackMetrics(registry: Registry): FallbackMetrics {
  return {
    fallbacks: new Counter({
      name: 'vitrine_fallbacks_total', help: 'Rows and lists served from a fallback source, by source and row kind',
      labelNames: ['source', 'kind'] as const, registers: [registry],
    }),
    failures: new Counter({
      name: 'vitrine_source_failures_total', help: 'Recommendation sources that threw, were late or returned garbage',
      labelNames: ['source', 'cause'] as const, registers: [registry],
    }),
  };
}

/** Counts one chain's outcome: its failures, and the fallback sources it used. */
export function countChain(metrics: FallbackMetrics | undefined, kind: string, used: readonly string[], failures: readonly SourceFailure[]): void {
  if (!metrics || failures.length === 0) return;
  for (const f of failures) metrics.failures.inc({ source: f.source, cause: f.cause });
  for (const source of used) metrics.fallbacks.inc({ source, kind });
}
