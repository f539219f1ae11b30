/** A serving model manager's options, from the configuration (the HTTP thread's and each replica's). */
import type { VitrineConfig } from '../../core/config.ts';
import type { Store } from '../../storage/store.ts';
import type { FaultMode } from './fault-injection.ts';
import type { ModelManagerOptions } from './model-manager.ts';
import type { SharedPayloads } from './shared-payloads.ts';

/**
 * `serving: false` is the HTTP thread's registry-only manager when page workers serve (ADR 0013): it
 * loads and verifies versions and keeps their payloads for the workers, but holds no model, builds no
 * ANN index and serves nothing itself.
 */
export function modelManagerOptions(opts: {
  config: Readonly<VitrineConfig>; store: Store; warn: (message: string) => void; info: (message: string) => void;
  payloads: SharedPayloads; fault?: FaultMode; serving?: boolean;
}): ModelManagerOptions {
  const { config, store, warn, info, payloads, fault } = opts;
  const serving = opts.serving ?? true;
  return {
    store, dataDir: config.dataDir, primaryAlgorithm: config.serving.primaryAlgorithm, log: warn, info, payloads,
    ...(serving ? { ann: { minItems: config.serving.annMinItems, targetRecall: config.serving.annRecallTarget } } : { retainModels: false }),
    ...(serving && fault ? { fault } : {}),
  };
}
