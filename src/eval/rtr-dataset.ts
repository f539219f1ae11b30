/**
 * The Rent the Runway rentals (Misra, Wan & McAuley, RecSys 2018) as an EvalDataset: every row is a
 * positive at its review date (UTC midnight), with the rented size, fit feedback and occasion; items
 * carry their category. RTR has no catalogue dates, so an item's createdAt is its first rental.
 */
import { FIT_VALUES } from '../core/types.ts';
import { toEpochMs } from '../core/time.ts';
import { VitrineError } from '../core/errors.ts';
import type { ItemFeatures } from '../ml/dataset.ts';
import type { EvalDataset } from './eval-dataset.ts';
import { readRtrCsv, type RtrRow } from './rtr-csv.ts';

/** The citation to print wherever results on RTR are shown. */
export const RTR_CITATION =
  'Data: Rent the Runway rentals from Misra, Wan & McAuley, "Decomposing fit semantics for product size '
  + 'recommendation in metric spaces", RecSys 2018.';

/** Reads an RTR CSV(.gz) file into an EvalDataset. */
export async function loadRtrDataset(path: string): Promise<EvalDataset> {
  return rtrDataset(readRtrCsv(path));
}

/** Builds an EvalDataset from RTR rows, in their order. */
export async function rtrDataset(rows: AsyncIterable<RtrRow> | Iterable<RtrRow>): Promise<EvalDataset> {
  const users = new Coder();
  const items = new Coder();
  const sizes = new Coder();
  const occasions = new Coder();
  const userCol: number[] = [];
  const itemCol: number[] = [];
  const tsCol: number[] = [];
  const sizeCol: number[] = [];
  const occasionCol: number[] = [];
  const fitCol: number[] = [];
  const category: string[] = [];
  const firstSeen: number[] = [];
  let line = 1;
  for await (const r of rows) {
    line++;
    const ts = toEpochMs(r.reviewDate);
    if (ts === undefined) throw new VitrineError('VITRINE_IMPORT_BAD_ROW', `RTR row ${line}: review_date "${r.reviewDate}" is not a date`);
    const i = items.code(r.itemId);
    if (i === category.length) {
      category.push(r.category);
      firstSeen.push(ts);
    } else firstSeen[i] = Math.min(firstSeen[i], ts);
    userCol.push(users.code(r.userId));
    itemCol.push(i);
    tsCol.push(ts);
    sizeCol.push(r.size === '' ? -1 : sizes.code(sizeLabel(r.size)));
    occasionCol.push(r.rentedFor === undefined ? -1 : occasions.code(r.rentedFor));
    fitCol.push(r.fit === undefined ? -1 : FIT_VALUES.indexOf(r.fit));
  }
  const n = userCol.length;
  const features: ItemFeatures = {
    category,
    brand: category.map(() => undefined),
    tags: category.map(() => []),
    attributes: category.map(() => ({})),
    price: category.map(() => undefined),
    createdAt: Float64Array.from(firstSeen),
  };
  return {
    name: 'rtr',
    interactions: {
      userIds: users.labels(),
      itemIds: items.labels(),
      users: Int32Array.from(userCol),
      items: Int32Array.from(itemCol),
      ts: Float64Array.from(tsCol),
      weights: new Float32Array(n).fill(1),
      sizes: Int32Array.from(sizeCol),
      sizeLabels: sizes.labels(),
      fits: Int8Array.from(fitCol),
      occasions: Int32Array.from(occasionCol),
      occasionLabels: occasions.labels(),
    },
    items: features,
  };
}

/** Sizes are labels: "14", not "14.0" (as the importer stores them). */
function sizeLabel(size: string): string {
  return /^\d+\.0$/.test(size) ? size.slice(0, -2) : size;
}

/** Dense codes in order of first appearance. */
class Coder {
  private readonly index = new Map<string, number>();

  code(value: string): number {
    let c = this.index.get(value);
    if (c === undefined) this.index.set(value, (c = this.index.size));
    return c;
  }

  labels(): string[] {
    return [...this.index.keys()];
  }
}
