/**
 * The state the read routes serve from, built the same way in the HTTP process and in each page
 * worker (page-workers/): online member state, the catalogue in memory, the loaded models,
 * merchandising, and the fault-injection switch.
 */
import type { VitrineConfig } from '../core/config.ts';
import type { Store } from '../storage/store.ts';
import { MemoryCatalogue } from './catalogue/catalogue-view.ts';
import { MerchandisingCache } from './merchandising/merchandising-cache.ts';
import { type FaultMode, faultFromEnv } from './models/fault-injection.ts';
import { type ModelManagerOptions, RegistryModelManager } from './models/model-manager.ts';
import { SharedPayloads } from './models/shared-payloads.ts';
import { openOnlineState } from './online/open-online-state.ts';

export interface ReadSideOptions {
  config: Readonly<VitrineConfig>;
  store: Store;
  clock: () => number;
  warn: (message: string) => void;
  info: (message: string) => void;
  /** model payloads shared between threads (ADR 0011); the HTTP thread's own pool when omitted */
  payloads?: SharedPayloads;
  /** a model manager already loaded (the HTTP thread's, when it composes pages itself); else one of its own */
  models?: RegistryModelManager;
  /** merchandising already loaded (the HTTP thread's); else its own */
  merchandising?: MerchandisingCache;
}

/**
 * The options of a serving model manager. `serving: false` is the HTTP thread's registry-only manager
 * when page workers serve (ADR 0013): it loads and verifies versions and keeps their payloads for the
 * workers, but holds no model, builds no ANN index and serves nothing itself.
 */
export function modelManagerOptions(
  opts: Pick<ReadSideOptions, 'config' | 'store' | 'warn' | 'info'> & { payloads: SharedPayloads; fault?: FaultMode; serving?: boolean },
): ModelManagerOptions {
  const { config, store, warn, info, payloads, fault } = opts;
  const serving = opts.serving ?? true;
  return {
    store, dataDir: config.dataDir, primaryAlgorithm: config.serving.primaryAlgorithm, log: warn, info, payloads,
    ...(serving ? { ann: { minItems: config.serving.annMinItems, targetRecall: config.serving.annRecallTarget } } : { retainModels: false }),
    ...(serving && fault ? { fault } : {}),
  };
}

/** Loads the catalogue and the registry's active models; member state fills in as members are seen. */
export async function buildReadSide(opts: ReadSideOptions) {
  const { config, store, clock, warn, info } = opts;
  const payloads = opts.payloads ?? new SharedPayloads();
  const fault = faultFromEnv();
  const models = opts.models ?? new RegistryModelManager(modelManagerOptions({ config, store, warn, info, payloads, fault }));
  if (!opts.models) await models.reload();
  // with Redis, the HTTP thread's writer applies events (app.ts); a read side only reads
  const online = await openOnlineState(config, store, { writer: false, warn });
  const catalogue = await MemoryCatalogue.load(store);
  const merchandising = opts.merchandising ?? new MerchandisingCache(store, { clock });
  return { online, catalogue, models, merchandising, fault, payloads };
}
