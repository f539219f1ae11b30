/**
 * The catalogue as serving sees it: every item in memory, loaded from the store at start and kept
 * current by the catalogue routes (upsert, retire, availability) as they write, so a retired or
 * sold-out item is out of the very next page. Indexes: by category, newest first, per size the
 * items with units in it, and the sizes each item came back in (0 units → some) since the view loaded:
 * "Back in your size" says only what it saw happen (after a restart, only restocks from then on).
 * Catalogue writes made by another process (an importer, another serving node) arrive, on
 * PostgreSQL, through the store's change feed as the routes' own changes do (serving/store-changes.ts,
 * ADR 0024); on SQLite, a second writer is seen only after a restart.
 */
import type { Item } from '../../core/types.ts';
import type { Store } from '../../storage/store.ts';
import type { CatalogueView } from '../engine/contracts.ts';
import { NewestOrder } from './newest-order.ts';
import { ServableIndexes } from './servable-indexes.ts';
import { ServablePrefixes } from './servable-prefixes.ts';

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
  /** item → sizes whose units went from 0 to some (and have not sold out since) */
  private readonly restocked = new Map<string, Set<string>>();
  private writes = 0;
  private restocks = 0;
  // the page filter's hot path (servableIn): items as dense slots, so a check is one Map lookup and array reads
  private readonly slots = new Map<string, number>();
  /** availableFrom of each slot's item when servable (neither retired nor a placeholder), else NaN */
  private servableAt = new Float64Array(1024).fill(NaN);
  /** 1 where the slot's item has no sizes (in stock for every size) */
  private sizelessAt = new Uint8Array(1024);
  /** per size label: 1 where the slot's item has units in it */
  private readonly unitsAt = new Map<string, Uint8Array>();
  /** a model's ids as catalogue slots (-1: unknown), per id list, redone when items were added */
  private readonly slotMaps = new WeakMap<readonly string[], { slots: Int32Array; known: number }>();
  /** the next availableFrom after a time (nextRelease), while no item is written */
  private release = { writes: -1, from: 0, until: 0 };
  /** newest(n) answers, while no item is written and no item's availableFrom is passed */
  private newestMemo = { writes: -1, from: 0, until: 0, lists: new Map<number, string[]>() };
  /** shared lists' servable prefixes per size set (servable-prefixes.ts) */
  readonly prefixes = new ServablePrefixes(this);
  /** models' id lists' servable items per size set (servable-indexes.ts) */
  readonly servableIndexes = new ServableIndexes(this);

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

  /**
   * Recommendable items, newest first by availableFrom (else createdAt). The same array is handed out
   * again while it holds (callers must not change it): shared lists are filtered once per size set.
   */
  newest(n: number, now: number): string[] {
    const memo = this.newestMemo;
    if (memo.writes !== this.writes || now < memo.from || now >= memo.until) {
      this.newestMemo = { writes: this.writes, from: now, until: this.nextRelease(now), lists: new Map() };
    }
    let list = this.newestMemo.lists.get(n);
    if (!list) this.newestMemo.lists.set(n, (list = this.computeNewest(n, now)));
    return list;
  }

  private computeNewest(n: number, now: number): string[] {
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

  /**
   * `isRecommendable(id, now) && hasUnitsIn(id, sizes)` as one predicate for a request: the sizes are
   * resolved once, each check is a slot lookup and array reads (it runs for every candidate of every page).
   */
  servableIn(sizes: readonly string[], now: number): (itemId: string) => boolean {
    const { slots } = this;
    const servable = this.servableSlotIn(sizes, now);
    return (itemId) => {
      const slot = slots.get(itemId);
      return slot !== undefined && servable(slot);
    };
  }

  /** `servableIn` over catalogue slots (slotsOf). */
  servableSlotIn(sizes: readonly string[], now: number): (slot: number) => boolean {
    const { servableAt, sizelessAt } = this;
    const perSize = sizes.map((s) => this.unitsAt.get(s)).filter((a): a is Uint8Array => a !== undefined);
    const anySize = sizes.length === 0;
    return (slot) => {
      if (!(servableAt[slot] <= now)) return false; // NaN (not servable) fails too
      if (anySize || sizelessAt[slot] === 1) return true;
      for (let k = 0; k < perSize.length; k++) if (perSize[k][slot] === 1) return true;
      return false;
    };
  }

  /** The catalogue slot of each of `ids` (−1: not in the catalogue); the same array while no item is added. */
  slotsOf(ids: readonly string[]): Int32Array {
    const known = this.slots.size;
    let map = this.slotMaps.get(ids);
    if (!map || map.known !== known) {
      const slots = new Int32Array(ids.length);
      for (let i = 0; i < ids.length; i++) slots[i] = this.slots.get(ids[i]) ?? -1;
      this.slotMaps.set(ids, (map = { slots, known }));
    }
    return map.slots;
  }

  /**
   * The first availableFrom after `now` of an item that is neither retired nor a placeholder (Infinity
   * when none): what depends on `now` through availableFrom holds from `now` until then.
   */
  nextRelease(now: number): number {
    const r = this.release;
    if (r.writes === this.writes && now >= r.from && now < r.until) return r.until;
    let until = Infinity;
    for (const from of this.servableFrom.values()) if (from > now && from < until) until = from;
    this.release = { writes: this.writes, from: now, until };
    return until;
  }

  /** True when the item came back in `size`: its units there went from 0 to some while this view watched. */
  restockedIn(itemId: string, size: string): boolean {
    return this.restocked.get(itemId)?.has(size) ?? false;
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

  /** Moves on every item write (new, changed, retired); availability changes do not move it. */
  get revision(): number {
    return this.writes;
  }

  /** Moves on every availability change (PATCH availability). */
  get availabilityRevision(): number {
    return this.restocks;
  }

  /** Keeps the view current on a catalogue write; an update older than what the view has is ignored. */
  upsert(item: Item): void {
    const old = this.items.get(item.id);
    if (old && old.updatedAt > item.updatedAt) return;
    this.writes++;
    this.index(item);
    if (!item.placeholder) this.order.set(item.id, releaseOf(item));
  }

  /** DELETE /v1/items/:id: never recommended again. */
  retire(itemId: string, now: number): void {
    const item = this.items.get(itemId);
    if (!item) return;
    this.writes++;
    this.index({ ...item, retired: true, updatedAt: Math.max(item.updatedAt, now) });
  }

  /** PATCH /v1/items/:id/availability: units per size replaced. */
  setAvailability(itemId: string, sizes: Record<string, number>, now: number): void {
    const item = this.items.get(itemId);
    if (!item) return;
    this.restocks++;
    this.index({ ...item, sizes: { ...sizes }, updatedAt: Math.max(item.updatedAt, now) });
  }

  private index(item: Item): void {
    const old = this.items.get(item.id);
    if (old) this.noteRestocks(old, item);
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
    this.indexSlot(item, old);
  }

  /** Records the sizes `item` came back in since `old` (0 units before, some now); a size that sells out again is forgotten. */
  private noteRestocks(old: Item, item: Item): void {
    let sizes = this.restocked.get(item.id);
    for (const [size, units] of Object.entries(item.sizes)) {
      if (units <= 0) sizes?.delete(size);
      else if (Object.hasOwn(old.sizes, size) && old.sizes[size] <= 0) {
        if (!sizes) this.restocked.set(item.id, (sizes = new Set()));
        sizes.add(size);
      }
    }
    for (const size of sizes ?? []) if (!Object.hasOwn(item.sizes, size)) sizes?.delete(size);
    if (sizes?.size === 0) this.restocked.delete(item.id);
  }

  /** The dense-slot mirror of `index` (servableIn reads it). */
  private indexSlot(item: Item, old: Item | undefined): void {
    let slot = this.slots.get(item.id);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(item.id, slot);
      if (slot >= this.servableAt.length) this.grow(this.servableAt.length * 2);
    }
    this.servableAt[slot] = !item.retired && !item.placeholder ? item.availableFrom ?? 0 : NaN;
    this.sizelessAt[slot] = isEmpty(item.sizes) ? 1 : 0;
    if (old) for (const size in old.sizes) { const flags = this.unitsAt.get(size); if (flags) flags[slot] = 0; }
    for (const [size, units] of Object.entries(item.sizes)) {
      if (units <= 0) continue;
      let flags = this.unitsAt.get(size);
      if (!flags) this.unitsAt.set(size, (flags = new Uint8Array(this.servableAt.length)));
      flags[slot] = 1;
    }
  }

  private grow(capacity: number): void {
    const servable = new Float64Array(capacity).fill(NaN);
    servable.set(this.servableAt);
    this.servableAt = servable;
    const sizeless = new Uint8Array(capacity);
    sizeless.set(this.sizelessAt);
    this.sizelessAt = sizeless;
    for (const [size, flags] of this.unitsAt) {
      const grown = new Uint8Array(capacity);
      grown.set(flags);
      this.unitsAt.set(size, grown);
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
