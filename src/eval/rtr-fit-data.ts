/**
 * RTR rows → FitData for the fit protocol. Inputs kept: member, item, rented size, the member's body
 * (age, weight, height, bust, cup, body type), the item's category and the occasion rented for.
 * Left out on purpose: `rating`, `recommend` and `review_date`. Rating and recommend are outcomes of
 * the very rental whose fit is predicted (a deployable model cannot know them before it happens, and a
 * "too small" dress gets low ratings), so using them would inflate the number; the review date is
 * only known after the rental and adds nothing a size recommender could rely on.
 */
import { FIT_CLASSES, type CategoricalColumn, type FitData, type NumericColumn } from '../ml/fit/fit-data.ts';
import { cupOrdinal, normaliseSize } from '../ml/fit/size-normaliser.ts';
import type { RtrRow } from './rtr-csv.ts';

/** Collects the fit-labelled rows of `rows` (others are skipped) into FitData, in input order. */
export async function rtrFitData(rows: AsyncIterable<RtrRow> | Iterable<RtrRow>): Promise<FitData> {
  const userIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const users: number[] = [];
  const items: number[] = [];
  const sizes: number[] = [];
  const labels: number[] = [];
  const numeric = {
    age: [] as number[], weightLbs: [] as number[], heightIn: [] as number[], bustSizeNum: [] as number[], cup: [] as number[],
  };
  const bodyType = new Coder();
  const category = new Coder();
  const rentedFor = new Coder();
  for await (const r of rows) {
    if (r.fit === undefined) continue;
    let u = userIndex.get(r.userId);
    if (u === undefined) userIndex.set(r.userId, (u = userIndex.size));
    let i = itemIndex.get(r.itemId);
    if (i === undefined) itemIndex.set(r.itemId, (i = itemIndex.size));
    users.push(u);
    items.push(i);
    sizes.push(normaliseSize(r.size));
    labels.push(FIT_CLASSES.indexOf(r.fit));
    numeric.age.push(r.age);
    numeric.weightLbs.push(r.weightLbs);
    numeric.heightIn.push(r.heightIn);
    numeric.bustSizeNum.push(r.bustSizeNum);
    numeric.cup.push(cupOrdinal(r.bustSizeLetter));
    bodyType.add(r.bodyType);
    category.add(r.category);
    rentedFor.add(r.rentedFor);
  }
  const num = (name: keyof typeof numeric): NumericColumn =>
    ({ kind: 'numeric', name, scope: 'member', values: Float64Array.from(numeric[name]) });
  return {
    userIds: [...userIndex.keys()],
    itemIds: [...itemIndex.keys()],
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    sizes: Float64Array.from(sizes),
    labels: Int8Array.from(labels),
    columns: [
      num('age'), num('weightLbs'), num('heightIn'), num('bustSizeNum'), num('cup'),
      bodyType.column('bodyType', 'member'),
      category.column('category', 'item'),
      rentedFor.column('rentedFor', 'rental'),
    ],
  };
}

/** Dense codes for a categorical column, in order of first appearance; undefined → -1. */
class Coder {
  private readonly index = new Map<string, number>();
  private readonly codes: number[] = [];

  add(value: string | undefined): void {
    if (value === undefined) {
      this.codes.push(-1);
      return;
    }
    let c = this.index.get(value);
    if (c === undefined) this.index.set(value, (c = this.index.size));
    this.codes.push(c);
  }

  column(name: string, scope: CategoricalColumn['scope']): CategoricalColumn {
    return { kind: 'categorical', name, scope, codes: Int32Array.from(this.codes), labels: [...this.index.keys()] };
  }
}
