/**
 * A generated fashion world (src/sim/world) as an EvalDataset, in memory: its rentals and purchases
 * are the positives (with size, occasion and fit feedback), its catalogue the item features — the
 * same columns the pipeline reads from the store after `vitrine import world`. Only positives are kept
 * while the world streams, so a world of millions of views fits.
 */
import { FIT_VALUES, type Fit } from '../src/core/types.ts';
import type { EvalDataset } from '../src/eval/eval-dataset.ts';
import type { InteractionData, ItemFeatures } from '../src/ml/dataset.ts';
import { generateWorld, type WorldItem, type WorldOptions } from '../src/sim/world/index.ts';

/** Generates the world of `opts` and returns its positives and catalogue. */
export async function worldDataset(opts: WorldOptions): Promise<EvalDataset> {
  const codes = { users: new Map<string, number>(), items: new Map<string, number>(), sizes: new Map<string, number>(), occasions: new Map<string, number>() };
  const code = (m: Map<string, number>, key: string): number => m.get(key) ?? (m.set(key, m.size), m.size - 1);
  const cols = { users: [] as number[], items: [] as number[], ts: [] as number[], sizes: [] as number[], occasions: [] as number[], fits: [] as number[] };
  let catalogue: WorldItem[] = [];
  await generateWorld(opts, {
    catalogue: (items) => void (catalogue = items),
    events: (batch) => {
      for (const e of batch) {
        if ((e.type !== 'rent' && e.type !== 'purchase') || e.itemId === undefined) continue;
        cols.users.push(code(codes.users, e.userId));
        cols.items.push(code(codes.items, e.itemId));
        cols.ts.push(Date.parse(e.ts));
        cols.sizes.push(e.size === undefined ? -1 : code(codes.sizes, e.size));
        cols.occasions.push(e.occasion === undefined ? -1 : code(codes.occasions, e.occasion));
        cols.fits.push(e.fit === undefined ? -1 : FIT_VALUES.indexOf(e.fit as Fit));
      }
    },
  });
  const interactions: InteractionData = {
    userIds: [...codes.users.keys()], itemIds: [...codes.items.keys()],
    users: Int32Array.from(cols.users), items: Int32Array.from(cols.items), ts: Float64Array.from(cols.ts),
    weights: new Float32Array(cols.users.length).fill(1),
    sizes: Int32Array.from(cols.sizes), sizeLabels: [...codes.sizes.keys()],
    fits: Int8Array.from(cols.fits),
    occasions: Int32Array.from(cols.occasions), occasionLabels: [...codes.occasions.keys()],
  };
  const byId = new Map(catalogue.map((it) => [it.id, it]));
  const rows = interactions.itemIds.map((id) => byId.get(id));
  const dim = rows.find((it) => it?.embedding.length)?.embedding.length ?? 0;
  const items: ItemFeatures = {
    category: rows.map((it) => it?.category ?? ''),
    brand: rows.map((it) => it?.brand),
    tags: rows.map((it) => it?.tags ?? []),
    attributes: rows.map((it) => it?.attributes ?? {}),
    price: rows.map((it) => it?.price),
    createdAt: Float64Array.from(rows, (it) => it?.availableFrom ?? 0),
  };
  if (dim > 0) {
    items.embedding = new Float32Array(rows.length * dim);
    rows.forEach((it, i) => it?.embedding.length === dim && items.embedding?.set(it.embedding, i * dim));
    items.embeddingDim = dim;
  }
  return { name: 'world', interactions, items };
}
