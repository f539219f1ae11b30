/**
 * A replica: the state pages are composed from — the members' online state, the catalogue in memory,
 * the loaded models, merchandising — and the page engine that composes them. A page worker holds one
 * (page-workers/page-worker.ts); the HTTP thread holds one (in-thread-replica.ts) when it composes
 * pages itself, or as the standby while no page worker is live (ADR 0013). Every change a page
 * depends on reaches it through `apply`, the one switch for every thread.
 */
import type { Registry } from 'prom-client';
import type { VitrineConfig } from '../../core/config.ts';
import type { VitrineEvent } from '../../core/types.ts';
import type { Store } from '../../storage/store.ts';
import { MemoryCatalogue } from '../catalogue/catalogue-view.ts';
import { recordImpressions } from '../experiments/record-impression.ts';
import type { Timers } from '../fallback/deadline.ts';
import { MerchandisingCache } from '../merchandising/merchandising-cache.ts';
import { faultFromEnv } from '../models/fault-injection.ts';
import { modelManagerOptions } from '../models/manager-options.ts';
import { RegistryModelManager } from '../models/model-manager.ts';
import { SharedPayloads } from '../models/shared-payloads.ts';
import { registerOnlineStateMetrics } from '../online/online-metrics.ts';
import { openOnlineState, type OnlineStateImpl } from '../online/open-online-state.ts';
import { pageJson } from '../page/compose/page-json.ts';
import type { ItemList } from '../page/lists/list-types.ts';
import { PageEngine, type PageEngineOptions } from '../page/page-engine.ts';
import type { ListQuery, PageQuery, ServingChange } from './replica-handle.ts';

export interface ServingReplicaOptions {
  config: Readonly<VitrineConfig>;
  store: Store;
  clock: () => number;
  warn: (message: string) => void;
  info: (message: string) => void;
  /** where its counters (fallbacks, caches, members held) are registered */
  registry: Registry;
  /** model payloads shared between threads (ADR 0011); a pool of its own when omitted */
  payloads?: SharedPayloads;
  /** a model manager already loaded (the HTTP thread's, when it composes pages itself); else one of its own */
  models?: RegistryModelManager;
  /** merchandising already loaded (the HTTP thread's); else its own */
  merchandising?: MerchandisingCache;
  /** the row-order bandit's uniform [0, 1) source (a replay seeds it); Math.random by default */
  random?: () => number;
  /** the page deadlines' clock and timers (tests drive time by hand); real ones by default */
  timers?: Timers;
  /** how served pages are logged; recordImpressions into the store by default (a memory benchmark logs nothing) */
  logImpressions?: PageEngineOptions['logImpressions'];
}

export class ServingReplica {
  private constructor(
    /** members' online state */
    readonly online: OnlineStateImpl,
    /** the catalogue in memory */
    readonly catalogue: MemoryCatalogue,
    /** the models it serves (the HTTP thread's own manager when it composes pages itself) */
    readonly models: RegistryModelManager,
    readonly merchandising: MerchandisingCache,
    readonly payloads: SharedPayloads,
    readonly engine: PageEngine,
  ) {}

  /** Loads the catalogue and the registry's active models; member state fills in as members are seen. */
  static async start(opts: ServingReplicaOptions): Promise<ServingReplica> {
    const { config, store, clock, warn, info, registry } = opts;
    const payloads = opts.payloads ?? new SharedPayloads();
    const models = opts.models ?? new RegistryModelManager(modelManagerOptions({ config, store, warn, info, payloads, fault: faultFromEnv() }));
    if (!opts.models) await models.reload();
    // with Redis, the HTTP thread's writer applies events (app.ts); a replica only reads
    const online = await openOnlineState(config, store, { writer: false, warn });
    const catalogue = await MemoryCatalogue.load(store);
    const merchandising = opts.merchandising ?? new MerchandisingCache(store, { clock });
    registerOnlineStateMetrics(registry, online);
    const engine = new PageEngine({
      config, store, online, catalogue, models, merchandising, registry, clock,
      ...(opts.random ? { random: opts.random } : {}),
      ...(opts.timers ? { timers: opts.timers } : {}),
      logImpressions: opts.logImpressions ?? ((pages) => recordImpressions(store, pages, { itemEvents: config.serving.impressionItemEvents })),
      warn: (message, err) => warn(err ? `${message}: ${String(err)}` : message),
    });
    engine.start();
    return new ServingReplica(online, catalogue, models, merchandising, payloads, engine);
  }

  /** Applies a change to what pages are made from; resolves once the next page reflects it. */
  async apply(change: ServingChange): Promise<void> {
    switch (change.kind) {
      case 'events': return this.applyEvents(change.events);
      case 'items':
        for (const item of change.items) this.catalogue.upsert(item);
        return;
      case 'retire': return this.catalogue.retire(change.itemId, change.ts);
      case 'availability': return this.catalogue.setAvailability(change.itemId, change.sizes, change.ts);
      case 'models':
        if (change.payloads) this.payloads.adopt(change.payloads);
        return this.models.reload();
      case 'merchandising': return this.merchandising.reload();
      case 'profile': return this.online.applyProfile(change.userId);
      case 'forget':
        await this.online.forget(change.userId);
        return this.engine.forgetServed(change.userId);
      case 'flush': return this.engine.flushServed();
    }
  }

  /** The member's page as the JSON the page route sends. */
  async page(userId: string, query: PageQuery): Promise<string> {
    const { page, rowsJson } = await this.engine.servePage(userId, query);
    return pageJson(page, rowsJson);
  }

  /** One of the one-list read endpoints. */
  list(query: ListQuery): Promise<ItemList> {
    return this.engine.serveList(query);
  }

  /** Stops background work and logs the pages served and not yet logged. */
  async close(): Promise<void> {
    await this.engine.close();
    if ('close' in this.online) await this.online.close();
  }

  /** Member state first, then the engine's signals and bandit: both before the next page. */
  private applyEvents(events: readonly VitrineEvent[]): void | Promise<void> {
    const applied = this.online.apply(events);
    // in process it is applied already: the engine's signals too before anything else runs
    if (applied) return applied.then(() => this.engine.onEvents(events));
    this.engine.onEvents(events);
  }
}
