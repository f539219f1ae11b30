/**
 * Small in-memory stand-ins for the serving contracts (online state, catalogue view, model manager,
 * merchandising) and a virtual clock whose timers fire only when everything else is waiting, so the
 * page composer is tested with known answers, fast, and without sleeping.
 */
import { resolveConfig } from '../../src/core/config.ts';
import { VitrineError } from '../../src/core/errors.ts';
import type { Item, VitrineEvent } from '../../src/core/types.ts';
import { ItemScoringModel } from '../../src/ml/common/item-scoring-model.ts';
import type { Payloads } from '../../src/ml/artifact.ts';
import type { Model, ScoredItem, UserQuery } from '../../src/ml/model.ts';
import type { CatalogueView, MemberSnapshot, ModelHandle, ModelManager, OnlineState } from '../../src/serving/engine/contracts.ts';
import type { Timers } from '../../src/serving/fallback/deadline.ts';
import { StaticList } from '../../src/serving/fallback/static-list.ts';
import type { PageDeps } from '../../src/serving/page/compose/compose-page.ts';
import { EngagementSignals } from '../../src/serving/page/learning/engagement-signals.ts';
import { coldMember } from '../../src/serving/page/compose/request-scope.ts';
import { RowOrderBandit } from '../../src/serving/page/learning/row-order-bandit.ts';
import type { Carousel, PageTemplate } from '../../src/serving/page/types.ts';
import type { ImpressionRecord } from '../../src/storage/store.ts';
import { UNHURRIED_SERVING } from './unhurried.ts';

export const NOW = Date.UTC(2026, 5, 1);

/** An item with defaults: `sizes` {label: units}. */
export function item(id: string, over: Partial<Item> = {}): Item {
  return { id, title: `Title ${id}`, category: 'dress', tags: [], attributes: {}, sizes: {}, retired: false, placeholder: false, createdAt: 0, updatedAt: 0, ...over };
}

export class FakeCatalogue implements CatalogueView {
  readonly items = new Map<string, Item>();
  constructor(items: Item[] = []) {
    for (const it of items) this.items.set(it.id, it);
  }
  get(itemId: string): Item | undefined { return this.items.get(itemId); }
  isRecommendable(itemId: string, now: number): boolean {
    const it = this.items.get(itemId);
    return !!it && !it.retired && !it.placeholder && (it.availableFrom ?? 0) <= now;
  }
  hasUnitsIn(itemId: string, sizes: readonly string[]): boolean {
    const it = this.items.get(itemId);
    if (!it || sizes.length === 0 || Object.keys(it.sizes).length === 0) return true;
    return sizes.some((s) => (it.sizes[s] ?? 0) > 0);
  }
  private byAge: string[] | undefined;
  newest(n: number): string[] {
    this.byAge ??= [...this.items.values()].sort((a, b) => Math.max(b.availableFrom ?? 0, b.createdAt) - Math.max(a.availableFrom ?? 0, a.createdAt) || (a.id < b.id ? -1 : 1))
      .map((i) => i.id);
    return this.byAge.slice(0, n);
  }
  byCategory(category: string): readonly string[] { return [...this.items.values()].filter((i) => i.category === category).map((i) => i.id); }
  /** `${itemId}|${size}` of the restocks a test declares */
  readonly restocks = new Set<string>();
  restockedIn(itemId: string, size: string): boolean { return this.restocks.has(`${itemId}|${size}`); }
  size(): number { return this.items.size; }
  upsert(it: Item): void { this.items.set(it.id, it); this.byAge = undefined; }
}

/** A member snapshot with defaults. */
export function member(userId: string, over: Partial<MemberSnapshot> = {}): MemberSnapshot {
  return { ...coldMember(userId), known: true, segment: 'size:8|tenure:new', ...over };
}

const WEIGHTS: Record<string, number> = { rent: 1, purchase: 1, heart: 0.6, shortlist: 0.5, click: 0.3 };

/** Online state over fixed snapshots; `apply` handles rent, return, dismiss and positives like the real one. */
export class FakeOnline implements OnlineState {
  readonly members = new Map<string, MemberSnapshot>();
  async get(userId: string): Promise<MemberSnapshot> { return this.members.get(userId) ?? coldMember(userId); }
  apply(events: readonly VitrineEvent[]): void {
    for (const e of events) {
      const m = this.members.get(e.userId) ?? member(e.userId);
      const held = new Set(m.held);
      const returned = new Map(m.returned);
      const dismissed = new Set(m.dismissed);
      const recent = [...m.recent];
      if (e.itemId) {
        if (e.type === 'rent') held.add(e.itemId);
        if (e.type === 'return') { held.delete(e.itemId); returned.set(e.itemId, e.ts); }
        if (e.type === 'dismiss') dismissed.add(e.itemId);
        if (WEIGHTS[e.type]) recent.unshift({ itemId: e.itemId, type: e.type, ts: e.ts, weight: WEIGHTS[e.type], occasion: e.occasion });
      }
      this.members.set(e.userId, { ...m, held, returned, dismissed, recent, revision: m.revision + 1 });
    }
  }
  async applyProfile(): Promise<void> {}
  forget(userId: string): void { this.members.delete(userId); }
  size(): number { return this.members.size; }
}

/**
 * A model over a fixed catalogue order: a member's scores are `score(itemId)` (whoever asks, unless
 * `knows` says no), an item's neighbours are the items nearest to it in `order`.
 */
export class TableModel extends ItemScoringModel {
  private readonly table: Float32Array;
  constructor(algorithm: string, order: string[], scoreOf: (itemId: string) => number, private readonly knows: (q: UserQuery) => boolean = () => true) {
    super(algorithm, { algorithm, formatVersion: 1, params: {}, createdAt: 0, nUsers: 0, nItems: order.length, nInteractions: 0, payloads: {} }, [...order]);
    this.table = Float32Array.from(order, scoreOf);
  }
  protected userScores(user: UserQuery): Float32Array {
    if (!this.knows(user)) throw new VitrineError('VITRINE_MODEL_UNKNOWN_USER', 'unknown member');
    return this.table.slice();
  }
  protected itemScores(item: number): Float32Array {
    return Float32Array.from(this.itemIds, (_, i) => 1 / (1 + Math.abs(i - item)));
  }
  protected payloads(): Payloads { return {}; }
}

export type Fault = 'throw' | 'hang' | 'corrupt';

/** `model` failing the way S1's VITRINE_FAULT wrappers do. */
export function faulty(model: Model, fault: Fault): Model {
  const fail = <T>(real: () => T): T => {
    if (fault === 'throw') throw new Error('injected fault');
    if (fault === 'hang') return new Promise<never>(() => undefined) as unknown as T;
    const answer = real();
    return (Array.isArray(answer) ? [{ itemId: 'no-such-item', score: NaN }] : new Float32Array(1)) as unknown as T;
  };
  return {
    algorithm: model.algorithm, manifest: model.manifest, save: (dir) => model.save(dir),
    recommend: (u, n, o): ScoredItem[] => fail(() => model.recommend(u, n, o)),
    similar: (i, n, o): ScoredItem[] => fail(() => model.similar(i, n, o)),
    score: (u, ids): Float32Array => fail(() => model.score(u, ids)),
  };
}

export class FakeModels implements ModelManager {
  readonly currents = new Map<string, ModelHandle>();
  readonly previouses = new Map<string, ModelHandle>();
  constructor(readonly primaryAlgorithm = 'item-knn') {}
  add(model: Model, version = `${model.algorithm}-v1`, slot: 'current' | 'previous' = 'current'): this {
    (slot === 'current' ? this.currents : this.previouses).set(model.algorithm, { version, algorithm: model.algorithm, model });
    return this;
  }
  current(algorithm = this.primaryAlgorithm): ModelHandle | undefined { return this.currents.get(algorithm); }
  previous(algorithm = this.primaryAlgorithm): ModelHandle | undefined { return this.previouses.get(algorithm); }
  async reload(): Promise<void> {}
}

/** Timers on a virtual clock: a pending timer fires (and the clock jumps to it) once nothing else runs. */
export class VirtualTimers implements Timers {
  private t = 0;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  now(): number { return this.t; }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { at: this.t + ms, fn });
    setImmediate(() => this.fireNext());
    return id;
  }
  clearTimeout(handle: unknown): void { this.pending.delete(handle as number); }
  /** Moves the clock forward by hand (a slow source). */
  advance(ms: number): void { this.t += ms; }
  private fireNext(): void {
    let next: [number, { at: number; fn: () => void }] | undefined;
    for (const entry of this.pending) if (!next || entry[1].at < next[1].at) next = entry;
    if (!next) return;
    this.pending.delete(next[0]);
    this.t = Math.max(this.t, next[1].at);
    next[1].fn();
  }
}

export interface FakeWorld {
  catalogue: FakeCatalogue;
  online: FakeOnline;
  models: FakeModels;
  carousels: Map<string, Carousel>;
  templates: Map<string, PageTemplate>;
  lastPages: Map<string, ImpressionRecord>;
  deps: PageDeps;
}

/** Page dependencies over fakes; `settings` overrides config.serving (unhurried budgets unless `timers` is virtual). */
export function fakeWorld(opts: { items: Item[]; models?: FakeModels; timers?: Timers; settings?: Record<string, unknown> }): FakeWorld {
  const catalogue = new FakeCatalogue(opts.items);
  const online = new FakeOnline();
  const models = opts.models ?? new FakeModels();
  const carousels = new Map<string, Carousel>();
  const templates = new Map<string, PageTemplate>();
  const lastPages = new Map<string, ImpressionRecord>();
  const settings = resolveConfig({ serving: { ...(opts.timers ? {} : UNHURRIED_SERVING), ...opts.settings } }).serving;
  const deps: PageDeps = {
    online, catalogue, models, settings, clock: () => NOW, timers: opts.timers,
    signals: new EngagementSignals(settings.trendingHalfLifeDays, 0),
    bandit: new RowOrderBandit({ priorStrength: settings.banditPriorStrength, random: () => 0.5 }),
    staticList: new StaticList(() => catalogue),
    lastPage: async (userId) => lastPages.get(userId) ?? null,
    merchandising: {
      template: async (name) => templates.get(name),
      carousel: async (id) => carousels.get(id),
    },
  };
  return { catalogue, online, models, carousels, templates, lastPages, deps };
}
