/**
 * Other nodes' writes, applied here (ADR 0024): on a shared store (PostgreSQL) every catalogue write
 * and registry change of any process reaches this node through the store's change feed — LISTEN/NOTIFY
 * at once, polling (store.changePollMs) as the safety net. Items go to every replica as the catalogue
 * routes send them; a registry change reloads the models (the active version, a rollback, a new
 * champion) and hands them to every replica, as after a local activate.
 */
import type { ChangeFeed, ChangeHandlers } from '../storage/change-feed.ts';
import type { RegistryModelManager } from './models/model-manager.ts';
import type { ServingRouter } from './serving-router.ts';

export interface StoreChangeTargets {
  models: RegistryModelManager;
  serving: ServingRouter;
  log: (line: string) => void;
}

/** What the feed does with each kind of change. */
export function storeChangeHandlers({ models, serving, log }: StoreChangeTargets): ChangeHandlers {
  return {
    items: (items) => serving.apply({ kind: 'items', items }),
    registry: async () => {
      const before = JSON.stringify(models.serving());
      await models.reload();
      await serving.apply({ kind: 'models' });
      const after = JSON.stringify(models.serving());
      if (after !== before) log(`the model registry changed elsewhere: now serving ${after}`);
    },
  };
}

/** Starts delivering the feed's changes to this node. */
export function followStoreChanges(feed: ChangeFeed, targets: StoreChangeTargets): void {
  feed.start(storeChangeHandlers(targets));
}
