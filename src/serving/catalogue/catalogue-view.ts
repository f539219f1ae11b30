/**
 * The catalogue as serving sees it: every item in memory, loaded from the store at start and kept
 * current by the catalogue routes (upsert, retire, availability) as they write, so a retired or
 * sold-out item is out of the very next page. Indexes: by category, newest first, and per size the
 * items with units in it.
 * TODO(scale-out): catalogue writes made by another process (an importer, another serving node) are
 * seen only after a restart; a change feed from the store (PostgreSQL LISTEN, a Redis stream) would
 * keep every node's view current.
 */
import type { Item } from '../../core/types.ts';
import type { Store } from '../../storage/store.ts';
import type { CatalogueView } from '../engine/contracts.ts';
import { NewestOrder } from './newest-order.ts';

const NO_IDS: readonly string[] = Object.freeze([]);
const NO_SET: ReadonlySet<string> = new Set();

export class MemoryCatalogue implements CatalogueView {
  private readonly items = new Map<string, Item>();
  private readonly categories = new Map<string, string[]>();
  private readonly inSize = new Map<string, Set<string>>();
  /** items without any size (one-size, or a shop's plain items): in stock for every size */
  private readonly sizeless = new Set<string>();
  /**
   * availableFrom (0 when unset) of every item that is neither retired nor a placeholder: the page
   * filter's question in one lookup, without reading item objects of varying shapes per candidate
   */
  private readonly servableFrom = new Map<string, number>();
  private readonly order = new NewestOrder();

  /** A view of every item the store holds, read `pageSize` at a time. */
  static async load(store: Store, pageSize = 5000): Promise<MemoryCatalogue> {
    const view = new MemoryCatalogue();
    let afterId: string | undefined;
    for (;;) {
      const page = await store.listItems({ afterId, limit: pageSize });
      if (page.length === 0) break;
      for (const item of page) view.index(item);
      afterId = page[page.length - 1].id;
    }
    view.order.reset([...view.items.values()].filter((it) => !it.placeholder).map((it) => ({ id: it.id, key: releaseOf(it) })));
    return view;
  }

  get(itemId: string): Item | undefined {
    return this.items.get(itemId);
  }

  /** Not retired, not a placeholder, available from `now` on. */
  isRecommendable(itemId: string, now: number): boolean {
    const from = this.servableFrom.get(itemId);
    return from !== undefined && from <= now;
  }

  /** At least one unit in one of `sizes`; true when `sizes` is empty or the item has no sizes. */
  hasUnitsIn(itemId: string, sizes: readonly string[]): boolean {
    // the per-size index answers without touching the item's sizes record (this runs per candidate per page)
    if (!this.items.has(itemId)) return false;
    if (sizes.length === 0 || this.sizeless.has(itemId)) return true;
    for (const size of sizes) if (this.inSize.get(size)?.has(itemId)) return true;
    return false;
  }

  /** Recommendable items, newest first by availableFrom (else createdAt). */
  newest(n: number, now: number): string[] {
    const out: string[] = [];
    for (const id of this.order.all()) {
      if (out.length >= n) break;
      if (this.isRecommendable(id, now)) out.push(id);
    }
    return out;
  }

  /** Item ids of a category (retired ones included: filter with isRecommendable). */
  byCategory(category: string): readonly string[] {
    return this.categories.get(category) ?? NO_IDS;
  }

  /** Items with at least one unit in `size` (the per-size availability index). */
  availableIn(size: string): ReadonlySet<string> {
    return this.inSize.get(size) ?? NO_SET;
  }

  /** Every item id, in no particular order. */
  ids(): IterableIterator<string> {
    return this.items.keys();
  }

  size(): number {
    return this.items.size;
  }

  /** Keeps the view current on a catalogue write; an update older than what the view has is ignored. */
  upsert(item: Item): void {
    const old = this.items.get(item.id);
    if (old && old.updatedAt > item.updatedAt) return;
    this.index(item);
    if (!item.placeholder) this.order.set(item.id, releaseOf(item));
  }

  /** DELETE /v1/items/:id: never recommended again. */
  retire(itemId: string, now: number): void {
    const item = this.items.get(itemId);
    if (item) this.index({ ...item, retired: true, updatedAt: Math.max(item.updatedAt, now) });
  }

  /** PATCH /v1/items/:id/availability: units per size replaced. */
  setAvailability(itemId: string, sizes: Record<string, number>, now: number): void {
    const item = this.items.get(itemId);
    if (item) this.index({ ...item, sizes: { ...sizes }, updatedAt: Math.max(item.updatedAt, now) });
  }

  private index(item: Item): void {
    const old = this.items.get(item.id);
    this.items.set(item.id, item);
    const wasListed = old !== undefined && !old.placeholder;
    if (wasListed && old.category !== item.category) removeFrom(this.categories.get(old.category), item.id);
    if (!item.placeholder && (!wasListed || old.category !== item.category)) {
      let list = this.categories.get(item.category);
      if (!list) this.categories.set(item.category, (list = []));
      list.push(item.id);
    }
    if (old) for (const size in old.sizes) this.inSize.get(size)?.delete(item.id);
    if (!item.retired && !item.placeholder) this.servableFrom.set(item.id, item.availableFrom ?? 0);
    else this.servableFrom.delete(item.id);
    if (isEmpty(item.sizes)) this.sizeless.add(item.id);
    else this.sizeless.delete(item.id);
    for (const [size, units] of Object.entries(item.sizes)) {
      if (units <= 0) continue;
      let set = this.inSize.get(size);
      if (!set) this.inSize.set(size, (set = new Set()));
      set.add(item.id);
    }
  }
}

/** When an item counts as new: its availableFrom, else its creation. */
function releaseOf(item: Item): number {
  return item.availableFrom ?? item.createdAt;
}

function isEmpty(record: Record<string, unknown>): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return false;
  return true;
}

function removeFrom(list: string[] | undefined, id: string): void {
  const at = list?.indexOf(id) ?? -1;
  if (list && at >= 0) list.splice(at, 1);
}
