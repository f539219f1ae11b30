/**
 * What item statistics are computed from, kept so that they can be computed at any clock: every
 * train row (item, time, size rank, occasion, fit) in time order, and each item's category, price and
 * catalogue date. Training computes the inner cutoffs' statistics from it; the trained model keeps it
 * to compute them at the time a question is asked (issue 21: "time belongs to the query").
 */
import { payloadOf, stringsOf, type LoadedArtifact, type Payloads } from '../artifact.ts';
import type { InteractionData, ItemFeatures } from '../dataset.ts';
import { sizeRankAt, type SizeScale } from './size-scale.ts';

export class ItemTimeline {
  constructor(
    readonly nItems: number,
    readonly nRanks: number,
    readonly nOccasions: number,
    /** rows in ascending time: item, epoch ms, size rank (−1 unknown), occasion (−1), fit + 1 (0 none, 1 small, 2 fit, 3 large) */
    readonly items: Int32Array,
    readonly ts: Float64Array,
    readonly sizeRanks: Int32Array,
    readonly occasions: Int32Array,
    readonly fits: Uint8Array,
    /** per item: category code, price (NaN unknown), catalogue date (epoch ms, 0 unknown) */
    readonly category: Int32Array,
    readonly categoryLabels: readonly string[],
    readonly price: Float32Array,
    readonly createdAt: Float64Array,
  ) {}

  /** The rows of `data` and the item features of `items` (indexed like data.itemIds). */
  static of(data: InteractionData, items: ItemFeatures | undefined, scale: SizeScale): ItemTimeline {
    const nItems = data.itemIds.length;
    const nOcc = data.occasionLabels?.length ?? 0;
    const order = Int32Array.from({ length: data.users.length }, (_, k) => k).sort((a, b) => data.ts[a] - data.ts[b] || a - b);
    const occasionOf = (k: number): number => {
      const o = data.occasions ? data.occasions[k] : -1;
      return o >= 0 && o < nOcc ? o : -1;
    };
    const fitOf = (k: number): number => {
      const f = data.fits ? data.fits[k] : -1;
      return f >= 0 && f <= 2 ? f + 1 : 0;
    };
    const { category, categoryLabels } = categoryCodes(items, nItems);
    return new ItemTimeline(
      nItems, scale.nRanks, nOcc,
      Int32Array.from(order, (k) => data.items[k]),
      Float64Array.from(order, (k) => data.ts[k]),
      Int32Array.from(order, (k) => sizeRankAt(scale, data.sizes, k)),
      Int32Array.from(order, occasionOf),
      Uint8Array.from(order, fitOf),
      category, categoryLabels,
      Float32Array.from({ length: nItems }, (_, i) => items?.price[i] ?? Number.NaN),
      Float64Array.from({ length: nItems }, (_, i) => items?.createdAt[i] ?? 0),
    );
  }

  /** Number of rows with ts < asOf (they come first). */
  rowsBefore(asOf: number): number {
    let lo = 0;
    let hi = this.ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ts[mid] < asOf) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The payloads `fromPayloads` reads back, names prefixed `timeline.`. */
  toPayloads(): Payloads {
    return {
      'timeline.shape': Int32Array.of(this.nItems, this.nRanks, this.nOccasions),
      'timeline.items': this.items, 'timeline.ts': this.ts, 'timeline.sizeRanks': this.sizeRanks,
      'timeline.occasions': this.occasions, 'timeline.fits': this.fits,
      'timeline.category': this.category, 'timeline.categoryLabels': this.categoryLabels,
      'timeline.price': this.price, 'timeline.createdAt': this.createdAt,
    };
  }

  /** Rebuilds a timeline saved by `toPayloads`. */
  static fromPayloads(loaded: LoadedArtifact): ItemTimeline {
    const [nItems, nRanks, nOcc] = payloadOf(loaded, 'timeline.shape', Int32Array, 3);
    const items = payloadOf(loaded, 'timeline.items', Int32Array);
    const n = items.length;
    return new ItemTimeline(
      nItems, nRanks, nOcc, items,
      payloadOf(loaded, 'timeline.ts', Float64Array, n),
      payloadOf(loaded, 'timeline.sizeRanks', Int32Array, n),
      payloadOf(loaded, 'timeline.occasions', Int32Array, n),
      payloadOf(loaded, 'timeline.fits', Uint8Array, n),
      payloadOf(loaded, 'timeline.category', Int32Array, nItems),
      stringsOf(loaded, 'timeline.categoryLabels'),
      payloadOf(loaded, 'timeline.price', Float32Array, nItems),
      payloadOf(loaded, 'timeline.createdAt', Float64Array, nItems),
    );
  }
}

/** Dense category codes ('' when the data has no item features). */
function categoryCodes(items: ItemFeatures | undefined, nItems: number): { category: Int32Array; categoryLabels: string[] } {
  const index = new Map<string, number>();
  const category = new Int32Array(nItems);
  for (let i = 0; i < nItems; i++) {
    const c = items?.category[i] ?? '';
    let code = index.get(c);
    if (code === undefined) index.set(c, (code = index.size));
    category[i] = code;
  }
  return { category, categoryLabels: [...index.keys()] };
}
