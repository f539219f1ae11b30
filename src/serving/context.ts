/** What every route module is given: configuration, the store, the ingest pipeline, metrics, a clock. */
import type { VitrineConfig } from '../core/config.ts';
import type { EventIngestor } from '../pipeline/ingest.ts';
import type { Store } from '../storage/store.ts';
import type { AppMetrics } from './metrics.ts';

export interface AppContext {
  config: Readonly<VitrineConfig>;
  store: Store;
  ingestor: EventIngestor;
  metrics: AppMetrics;
  clock: () => number;
}
