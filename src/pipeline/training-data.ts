/**
 * The store's event log as the model library's training data: positives in arrival order, with their
 * weight, size, fit and occasion, and the features of the items they name. Which events are positives
 * is configuration (`training.positives`): by default rentals and purchases, and for a log without
 * them (e.g. a MovieLens import) rated reviews; a shop of purchases, views and clicks lists those with
 * weights. The profiles (body measurements) of the members with fit feedback come along for the fit
 * model. Read in pages, never all events at once.
 */
import { DEFAULT_CONFIG, type VitrineConfig } from '../core/config.ts';
import type { AttributeValue, EventType, Fit, Item, StoredEvent } from '../core/types.ts';
import { FIT_VALUES } from '../core/types.ts';
import type { InteractionData, ItemFeatures, MemberFeatures } from '../ml/dataset.ts';
import type { Store } from '../storage/store.ts';

/** `training.positives`: event types with weights, a fallback list, and the least rating of a review. */
export type PositivesConfig = VitrineConfig['training']['positives'];

export interface TrainingData {
  /** 'rtr' when the events came from the RTR importer (ids rtr-…), else 'store' */
  name: string;
  interactions: InteractionData;
  /** indexed like interactions.itemIds */
  items: ItemFeatures;
  /** the event types counted as positives (`training.positives.events`, or its fallback when the log has none of those) */
  positiveTypes: EventType[];
  /** every event with fit feedback (rents, returns, purchases carrying `fit`): what the fit model learns from */
  fitFeedback: InteractionData;
  /** indexed like fitFeedback.itemIds */
  fitItems: ItemFeatures;
  /** the profile attributes of fitFeedback's members who have any: the fit model's body columns */
  fitMembers: MemberFeatures;
  /** events read */
  scanned: number;
}

export interface TrainingDataOptions {
  /** events per scanEvents page (default 5000) */
  pageSize?: number;
  /** which events are positives (default: DEFAULT_CONFIG.training.positives) */
  positives?: PositivesConfig;
  onProgress?: (scanned: number) => void;
}

/** Reads the store's positives and item features (see the file comment). */
export async function loadTrainingData(store: Store, opts: TrainingDataOptions = {}): Promise<TrainingData> {
  const pageSize = opts.pageSize ?? 5000;
  const rules = opts.positives ?? DEFAULT_CONFIG.training.positives;
  const primaryWeight = new Map(rules.events.map((r) => [r.type, r.weight]));
  const fallbackWeight = new Map(rules.fallback.map((r) => [r.type, r.weight]));
  const primary = new PositiveColumns();
  const fallback = new PositiveColumns();
  const fitFeedback = new PositiveColumns();
  let afterSeq = 0;
  let scanned = 0;
  let firstId: string | undefined;
  for (;;) {
    const page = await store.scanEvents({ afterSeq, limit: pageSize });
    if (page.length === 0) break;
    for (const e of page) {
      if (e.itemId === undefined) continue;
      if (e.fit !== undefined) fitFeedback.add(e, 1);
      // a review is a positive only with a rating of at least minRating
      if (e.type === 'review' && !(e.rating !== undefined && e.rating >= rules.minRating)) continue;
      const weight = primaryWeight.get(e.type);
      const fallbackW = fallbackWeight.get(e.type);
      if (weight !== undefined) primary.add(e, weight);
      else if (fallbackW !== undefined) fallback.add(e, fallbackW);
      else continue;
      firstId ??= e.id;
    }
    scanned += page.length;
    afterSeq = page[page.length - 1].seq;
    opts.onProgress?.(scanned);
  }
  const useFallback = primary.size === 0;
  const interactions = (useFallback ? fallback : primary).toInteractions();
  const fits = fitFeedback.toInteractions();
  return {
    name: firstId?.startsWith('rtr-') ? 'rtr' : 'store',
    interactions,
    items: await itemFeaturesFromStore(store, interactions.itemIds, pageSize),
    positiveTypes: (useFallback ? rules.fallback : rules.events).map((r) => r.type),
    fitFeedback: fits,
    fitItems: await itemFeaturesFromStore(store, fits.itemIds, pageSize),
    fitMembers: await memberFeaturesFromStore(store, fits.userIds, pageSize),
    scanned,
  };
}

/** Features of `itemIds` (in that order) from the catalogue; an item the store lacks gets empty ones. */
export async function itemFeaturesFromStore(store: Store, itemIds: readonly string[], pageSize = 5000): Promise<ItemFeatures> {
  const index = new Map(itemIds.map((id, i) => [id, i]));
  const found: Array<Item | undefined> = new Array(itemIds.length);
  let afterId: string | undefined;
  for (;;) {
    const page = await store.listItems({ afterId, limit: pageSize });
    if (page.length === 0) break;
    for (const item of page) {
      const i = index.get(item.id);
      if (i !== undefined) found[i] = item;
    }
    afterId = page[page.length - 1].id;
  }
  const at = (i: number): Item | undefined => found[i];
  const features: ItemFeatures = {
    category: itemIds.map((_, i) => at(i)?.category ?? ''),
    brand: itemIds.map((_, i) => at(i)?.brand),
    tags: itemIds.map((_, i) => at(i)?.tags ?? []),
    attributes: itemIds.map((_, i) => at(i)?.attributes ?? {}),
    price: itemIds.map((_, i) => at(i)?.price),
    createdAt: Float64Array.from(itemIds, (_, i) => at(i)?.createdAt ?? 0),
  };
  const dim = found.find((it) => it?.embedding?.length)?.embedding?.length;
  if (dim) {
    // items without an embedding (or with another dimension) keep a zero row
    const emb = new Float32Array(itemIds.length * dim);
    found.forEach((it, i) => {
      if (it?.embedding?.length === dim) emb.set(it.embedding, i * dim);
    });
    features.embedding = emb;
    features.embeddingDim = dim;
  }
  return features;
}

/** The profile attributes of `userIds` that have any, from the store's members (read in pages). */
export async function memberFeaturesFromStore(store: Store, userIds: readonly string[], pageSize = 5000): Promise<MemberFeatures> {
  const wanted = new Set(userIds);
  const attributes = new Map<string, Readonly<Record<string, AttributeValue>>>();
  if (wanted.size === 0) return { attributes };
  let afterId: string | undefined;
  for (;;) {
    const page = await store.listUsers({ afterId, limit: pageSize });
    if (page.length === 0) break;
    for (const user of page) if (wanted.has(user.id) && Object.keys(user.attributes).length > 0) attributes.set(user.id, user.attributes);
    afterId = page[page.length - 1].id;
  }
  return { attributes };
}

/** Interactions (positives, or fit feedback) as growing columns with dense member, item, size and occasion codes. */
class PositiveColumns {
  private readonly userIndex = new Map<string, number>();
  private readonly itemIndex = new Map<string, number>();
  private readonly sizeIndex = new Map<string, number>();
  private readonly occasionIndex = new Map<string, number>();
  private readonly users: number[] = [];
  private readonly items: number[] = [];
  private readonly ts: number[] = [];
  private readonly sizes: number[] = [];
  private readonly occasions: number[] = [];
  private readonly fits: number[] = [];
  private readonly weights: number[] = [];

  get size(): number {
    return this.users.length;
  }

  add(e: StoredEvent, weight: number): void {
    this.weights.push(weight);
    this.users.push(codeOf(this.userIndex, e.userId));
    this.items.push(codeOf(this.itemIndex, e.itemId as string));
    this.ts.push(e.ts);
    this.sizes.push(e.size === undefined ? -1 : codeOf(this.sizeIndex, e.size));
    this.occasions.push(e.occasion === undefined ? -1 : codeOf(this.occasionIndex, e.occasion));
    this.fits.push(e.fit === undefined ? -1 : FIT_VALUES.indexOf(e.fit as Fit));
  }

  toInteractions(): InteractionData {
    return {
      userIds: [...this.userIndex.keys()],
      itemIds: [...this.itemIndex.keys()],
      users: Int32Array.from(this.users),
      items: Int32Array.from(this.items),
      ts: Float64Array.from(this.ts),
      weights: Float32Array.from(this.weights),
      sizes: Int32Array.from(this.sizes),
      sizeLabels: [...this.sizeIndex.keys()],
      fits: Int8Array.from(this.fits),
      occasions: Int32Array.from(this.occasions),
      occasionLabels: [...this.occasionIndex.keys()],
    };
  }
}

function codeOf(index: Map<string, number>, key: string): number {
  let c = index.get(key);
  if (c === undefined) index.set(key, (c = index.size));
  return c;
}
