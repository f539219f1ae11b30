/**
 * A read side with its page engine: what composes pages and lists. A page worker holds one
 * (page-workers/page-worker.ts); the HTTP thread holds one when it composes pages itself (no page
 * workers) and, with page workers, only as a standby while none of them is live (ADR 0013). Every
 * change a page depends on reaches it through `apply`, the one switch for every thread.
 */
import type { Registry } from 'prom-client';
import type { VitrineEvent } from '../core/types.ts';
import type { IngestListener } from '../pipeline/ingest.ts';
import { recordImpressions } from './experiments/record-impression.ts';
import type { RegistryModelManager } from './models/model-manager.ts';
import type { SharedPayloads } from './models/shared-payloads.ts';
import { registerOnlineStateMetrics } from './online/online-metrics.ts';
import { listRecommendations } from './page/lists/list-recommendations.ts';
import type { ItemList } from './page/lists/list-types.ts';
import { occasionItems } from './page/lists/occasion-items.ts';
import { rankItems } from './page/lists/rank-items.ts';
import { similarItems } from './page/lists/similar-items.ts';
import { PageEngine } from './page/page-engine.ts';
import { pageJson } from './page/page-json.ts';
import { NO_EXPERIMENT } from './page/types.ts';
import type { ListQuery, PageQuery, ServingChange } from './page-workers/protocol.ts';
import { buildReadSide, type ReadSideOptions } from './read-side.ts';

export interface ServingReplicaOptions extends ReadSideOptions {
  /** where its counters (fallbacks, caches, members held) are registered */
  registry: Registry;
  /** the row-order bandit's uniform [0, 1) source (a replay seeds it); Math.random by default */
  random?: () => number;
}

type ReadSide = Awaited<ReturnType<typeof buildReadSide>>;

export class ServingReplica {
  /** members' online state */
  readonly online: ReadSide['online'];
  /** the catalogue in memory */
  readonly catalogue: ReadSide['catalogue'];
  /** the models it serves (the HTTP thread's own manager when it composes pages itself) */
  readonly models: RegistryModelManager;
  readonly merchandising: ReadSide['merchandising'];
  readonly payloads: SharedPayloads;
  readonly engine: PageEngine;
  private readonly listeners: IngestListener[] = [];

  private constructor(readSide: ReadSide, opts: ServingReplicaOptions) {
    const { config, store, clock, registry } = opts;
    this.online = readSide.online;
    this.catalogue = readSide.catalogue;
    this.models = readSide.models;
    this.merchandising = readSide.merchandising;
    this.payloads = readSide.payloads;
    registerOnlineStateMetrics(registry, this.online);
    this.engine = new PageEngine({
      config, store, online: this.online, catalogue: this.catalogue, models: this.models, merchandising: this.merchandising, registry, clock,
      ...(opts.random ? { random: opts.random } : {}),
      logImpressions: (pages) => recordImpressions(store, pages, { itemEvents: config.serving.impressionItemEvents }),
      warn: (message, err) => opts.warn(err ? `${message}: ${String(err)}` : message),
    });
    this.engine.start({ onAccepted: (listener) => this.listeners.push(listener) });
  }

  /** Loads the catalogue and models; member state fills in as members are seen. */
  static async start(opts: ServingReplicaOptions): Promise<ServingReplica> {
    return new ServingReplica(await buildReadSide(opts), opts);
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

  /** One of the one-list read endpoints, for the member's experiment variant when one is named. */
  async list(query: ListQuery): Promise<ItemList> {
    const deps = this.engine.deps;
    const variant = query.userId === undefined ? NO_EXPERIMENT : await this.engine.variantOf(query.userId);
    switch (query.list) {
      case 'recommendations': return listRecommendations({ ...query, userId: query.userId, variant }, deps);
      case 'similar': return similarItems({ ...query, variant }, deps);
      case 'rank': return rankItems({ ...query, userId: query.userId, variant }, deps);
      case 'occasion': return occasionItems({ ...query, variant }, deps);
    }
  }

  /** Stops background work and logs the pages served and not yet logged. */
  async close(): Promise<void> {
    await this.engine.close();
    if ('close' in this.online) await this.online.close();
  }

  private async applyEvents(events: readonly VitrineEvent[]): Promise<void> {
    await this.online.apply(events);
    for (const listener of this.listeners) await listener(events);
  }
}
