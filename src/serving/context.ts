/** What every route module is given: configuration, the store, the ingest pipeline, metrics, a clock. */
import type { VitrineConfig } from '../core/config.ts';
import type { EventIngestor } from '../pipeline/ingest.ts';
import type { Store } from '../storage/store.ts';
import type { MemoryCatalogue } from './catalogue/catalogue-view.ts';
import type { MerchandisingCache } from './merchandising/merchandising-cache.ts';
import type { AppMetrics } from './metrics.ts';
import type { FaultMode } from './models/fault-injection.ts';
import type { RegistryModelManager } from './models/model-manager.ts';
import type { SharedPayloads } from './models/shared-payloads.ts';
import type { TrainingJobs } from './models/training-jobs.ts';
import type { MemberStateStore } from './online/online-state.ts';
import type { ServingReplicas } from './page-workers/protocol.ts';

export interface AppContext {
  config: Readonly<VitrineConfig>;
  store: Store;
  ingestor: EventIngestor;
  metrics: AppMetrics;
  clock: () => number;
  /** members' online state (engine/contracts.ts OnlineState), updated by every accepted event before its 200 */
  online: MemberStateStore;
  /** the catalogue in memory (CatalogueView), kept current by the catalogue routes */
  catalogue: MemoryCatalogue;
  /** loaded model versions (ModelManager): current and previous per algorithm */
  models: RegistryModelManager;
  /** the loaded models' typed payloads, shared with the page workers (ADR 0011) */
  payloads: SharedPayloads;
  /** background training jobs */
  jobs: TrainingJobs;
  /** VITRINE_FAULT, when set (tests and demonstrations only) */
  fault?: FaultMode;
  /** carousels, page templates and running experiments in memory (page/types.ts Merchandising) */
  merchandising: MerchandisingCache;
  /** the page workers' copies of the page-side state (ADR 0010): every change above is also sent there before its response */
  replicas: ServingReplicas;
}
