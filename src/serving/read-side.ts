/**
 * The state the read routes serve from, built the same way in the HTTP process and in each page
 * worker (page-workers/): online member state, the catalogue in memory, the loaded models,
 * merchandising, and the fault-injection switch.
 */
import type { VitrineConfig } from '../core/config.ts';
import type { Store } from '../storage/store.ts';
import { MemoryCatalogue } from './catalogue/catalogue-view.ts';
import { MerchandisingCache } from './merchandising/merchandising-cache.ts';
import { faultFromEnv } from './models/fault-injection.ts';
import { RegistryModelManager } from './models/model-manager.ts';
import { SharedPayloads } from './models/shared-payloads.ts';
import { MemberStateStore } from './online/online-state.ts';

export interface ReadSideOptions {
  config: Readonly<VitrineConfig>;
  store: Store;
  clock: () => number;
  warn: (message: string) => void;
  info: (message: string) => void;
  /** model payloads shared between threads (ADR 0011); the HTTP thread's own pool when omitted */
  payloads?: SharedPayloads;
}

/** Loads the catalogue and the registry's active models; member state fills in as members are seen. */
export async function buildReadSide(opts: ReadSideOptions) {
  const { config, store, clock, warn, info } = opts;
  const payloads = opts.payloads ?? new SharedPayloads();
  const fault = faultFromEnv();
  const online = new MemberStateStore(store, {
    capacity: config.serving.memberStateCap, recentLimit: config.serving.recentPerMember,
    hydrateEvents: config.serving.hydrateEvents, foldInCacheSize: config.serving.foldInCacheSize,
  });
  const catalogue = await MemoryCatalogue.load(store);
  const models = new RegistryModelManager({
    store, dataDir: config.dataDir, primaryAlgorithm: config.serving.primaryAlgorithm, fault, log: warn,
    ann: { minItems: config.serving.annMinItems, targetRecall: config.serving.annRecallTarget }, info, payloads,
  });
  await models.reload();
  const merchandising = new MerchandisingCache(store, { clock });
  return { online, catalogue, models, merchandising, fault, payloads };
}
