/**
 * The store's event log as the model library's training data: positives (rentals and purchases; for a
 * catalogue without them, e.g. a MovieLens import, rated reviews) in arrival order, with their size,
 * fit and occasion, the features of the items they name, and the profiles (body measurements) of the
 * members with fit feedback. Read in pages, never all events at once.
 */
import type { AttributeValue, EventType, Fit, Item, StoredEvent } from '../core/types.ts';
import { FIT_VALUES } from '../core/types.ts';
import type { InteractionData, ItemFeatures, MemberFeatures } from '../ml/dataset.ts';
import type { Store } from '../storage/store.ts';

/** Event types that are positives when the log has any of them. */
export const POSITIVE_EVENT_TYPES: readonly EventType[] = ['rent', 'purchase'];
/** The positives of a log without rentals or purchases: reviews that carry a rating. */
export const FALLBACK_POSITIVE_TYPE: EventType = 'review';

export interface TrainingData {
  /** 'rtr' when the events came from the RTR importer (ids rtr-…), else 'store' */
  name: string;
  interactions: InteractionData;
  /** indexed like interactions.itemIds */
  items: ItemFeatures;
  /** the event types counted as positives */
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
  onProgress?: (scanned: number) => void;
}

/** Reads the store's positives and item features (see the file comment). */
export async function loadTrainingData(store: Store, opts: TrainingDataOptions = {}): Promise<TrainingData> {
  const pageSize = opts.pageSize ?? 5000;
  const primary = new PositiveColumns();
  const reviews = new PositiveColumns();
  const fitFeedback = new PositiveColumns();
  let afterSeq = 0;
  let scanned = 0;
  let firstId: string | undefined;
  for (;;) {
    const page = await store.scanEvents({ afterSeq, limit: pageSize });
    if (page.length === 0) break;
    for (const e of page) {
      if (e.itemId === undefined) continue;
      if (e.fit !== undefined) fitFeedback.add(e);
      if (POSITIVE_EVENT_TYPES.includes(e.type)) primary.add(e);
      else if (e.type === FALLBACK_POSITIVE_TYPE && e.rating !== undefined) reviews.add(e);
      else continue;
      firstId ??= e.id;
    }
    scanned += page.length;
    afterSeq = page[page.length - 1].seq;
    opts.onProgress?.(scanned);
  }
  const useReviews = primary.size === 0;
  const interactions = (useReviews ? reviews : primary).toInteractions();
  const fits = fitFeedback.toInteractions();
  return {
    name: firstId?.startsWith('rtr-') ? 'rtr' : 'store',
    interactions,
    items: await itemFeaturesFromStore(store, interactions.itemIds, pageSize),
    positiveTypes: useReviews ? [FALLBACK_POSITIVE_TYPE] : [...POSITIVE_EVENT_TYPES],
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

  get size(): number {
    return this.users.length;
  }

  add(e: StoredEvent): void {
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
      weights: new Float32Array(this.users.length).fill(1),
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
