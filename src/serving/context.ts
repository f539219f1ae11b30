/** What every route module is given: configuration, the store, the ingest pipeline, metrics, a clock. */
import type { VitrineConfig } from '../core/config.ts';
import type { EventIngestor } from '../pipeline/ingest.ts';
import type { Store } from '../storage/store.ts';
import type { MerchandisingCache } from './merchandising/merchandising-cache.ts';
import type { FreshnessTracker } from './freshness.ts';
import type { AppMetrics } from './metrics.ts';
import type { FaultMode } from './models/fault-injection.ts';
import type { RegistryModelManager } from './models/model-manager.ts';
import type { SharedPayloads } from './models/shared-payloads.ts';
import type { TrainingJobs } from './models/training-jobs.ts';
import type { ServingRouter } from './serving-router.ts';
import type { RedisMemberState } from './online/redis/redis-member-state.ts';

export interface AppContext {
  config: Readonly<VitrineConfig>;
  store: Store;
  ingestor: EventIngestor;
  metrics: AppMetrics;
  /** pairs accepted events with their members' next pages (vitrine_freshness_seconds) */
  freshness: FreshnessTracker;
  clock: () => number;
  /**
   * loaded model versions (ModelManager): current and previous per algorithm; with page workers a
   * registry-only manager that serves nothing itself (ADR 0013)
   */
  models: RegistryModelManager;
  /** the loaded models' typed payloads, shared with the page workers (ADR 0011) */
  payloads: SharedPayloads;
  /** background training jobs */
  jobs: TrainingJobs;
  /** VITRINE_FAULT, when set (tests and demonstrations only) */
  fault?: FaultMode;
  /** carousels, page templates and running experiments in memory (page/types.ts Merchandising) */
  merchandising: MerchandisingCache;
  /**
   * where pages and lists are composed — this thread's replica, or the page workers (ADR 0010, 0013) —
   * and every change they depend on is sent; a read asked for after a change's response reflects it (ADR 0014)
   */
  serving: ServingRouter;
  /** member state in Redis (state.url, ADR 0022): this thread's writer, which applies events before their 200 */
  sharedState?: RedisMemberState;
}
