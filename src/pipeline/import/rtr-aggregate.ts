/**
 * What an RTR import learns across the whole file, one entry per item and per member (never per row):
 * an item's category and the sizes it was rented in; a member's rented sizes and latest body measurements.
 */
import { emptyRecord } from '../../core/dictionary.ts';
import type { AttributeValue, ItemInput, UserInput } from '../../core/types.ts';
import type { MemberBody, RtrRecord } from './rtr-record.ts';

/**
 * RTR has no stock data. Every size an item was rented in becomes one unit available, so that the
 * size filters keep an item in the sizes members actually wore and drop it in sizes never seen.
 */
export const RTR_UNITS_PER_SIZE_SEEN = 1;
/** The API caps a member's sizes at 20. */
const MAX_MEMBER_SIZES = 20;

interface ItemTally {
  firstLine: number;
  categories: Record<string, number>;
  sizes: Record<string, true>;
}

// plain objects and fixed keys, not Maps: there is one tally per member (105,571 on RTR) and this is the hot loop
interface MemberTally {
  firstLine: number;
  /** size → rentals */
  sizeCounts: Record<string, number>;
  /** size → latest ts */
  sizeLatest: Record<string, number>;
  body: MemberBody;
  /** ts of the row each body value came from, in BODY_KEYS order */
  bodyTs: number[];
}

const BODY_KEYS = ['bodyType', 'age', 'weightLbs', 'heightIn', 'bustSize'] as const satisfies ReadonlyArray<keyof MemberBody>;

/** Per-item and per-member tallies of the accepted rentals, turned into catalogue entries and profiles at the end. */
export class RtrAggregate {
  private readonly items = new Map<string, ItemTally>();
  private readonly members = new Map<string, MemberTally>();

  get itemCount(): number {
    return this.items.size;
  }

  get memberCount(): number {
    return this.members.size;
  }

  /** Adds one accepted rental (ts = its validated timestamp, line = where it starts in the file). */
  add(r: RtrRecord, ts: number, line: number): void {
    let item = this.items.get(r.itemId);
    if (!item) this.items.set(r.itemId, (item = { firstLine: line, categories: emptyRecord(), sizes: emptyRecord() }));
    if (r.category) item.categories[r.category] = (item.categories[r.category] ?? 0) + 1;
    if (r.size) item.sizes[r.size] = true;

    let member = this.members.get(r.userId);
    if (!member) {
      member = { firstLine: line, sizeCounts: emptyRecord(), sizeLatest: emptyRecord(), body: {}, bodyTs: [0, 0, 0, 0, 0] };
      this.members.set(r.userId, member);
    }
    if (r.size) {
      member.sizeCounts[r.size] = (member.sizeCounts[r.size] ?? 0) + 1;
      member.sizeLatest[r.size] = Math.max(member.sizeLatest[r.size] ?? -Infinity, ts);
    }
    // measurements change over the years: keep the latest reported value of each (later rows win ties)
    for (let k = 0; k < BODY_KEYS.length; k++) {
      const key = BODY_KEYS[k];
      const value = r.body[key];
      if (value === undefined || (member.body[key] !== undefined && ts < member.bodyTs[k])) continue;
      (member.body as Record<string, AttributeValue>)[key] = value;
      member.bodyTs[k] = ts;
    }
  }

  /** Catalogue entries: title "<category> <id>", the most frequent category, one unit per size seen. */
  *itemInputs(): Generator<{ input: { id: string } & ItemInput; firstLine: number }> {
    for (const [id, t] of this.items) {
      const category = mostFrequent(t.categories) ?? 'unknown';
      const sizes = emptyRecord<number>();
      for (const s of Object.keys(t.sizes).sort(bySizeLabel)) sizes[s] = RTR_UNITS_PER_SIZE_SEEN;
      yield { input: { id, title: `${category} ${id}`, category, sizes }, firstLine: t.firstLine };
    }
  }

  /** Member profiles: sizes most rented first (then most recent), body measurements as attributes. */
  *memberInputs(): Generator<{ id: string; input: UserInput; firstLine: number }> {
    for (const [id, t] of this.members) {
      const sizes = Object.keys(t.sizeCounts)
        .sort((a, b) => t.sizeCounts[b] - t.sizeCounts[a] || t.sizeLatest[b] - t.sizeLatest[a] || bySizeLabel(a, b))
        .slice(0, MAX_MEMBER_SIZES);
      const attributes = emptyRecord<AttributeValue>();
      for (const key of BODY_KEYS) if (t.body[key] !== undefined) attributes[key] = t.body[key];
      yield { id, input: { sizes, attributes }, firstLine: t.firstLine };
    }
  }
}

function mostFrequent(counts: Record<string, number>): string | undefined {
  let best: string | undefined;
  let bestN = 0;
  for (const [value, n] of Object.entries(counts)) {
    if (n > bestN || (n === bestN && best !== undefined && value < best)) {
      best = value;
      bestN = n;
    }
  }
  return best;
}

/** Numeric sizes in numeric order, then the rest alphabetically. */
function bySizeLabel(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  if (Number.isFinite(x) !== Number.isFinite(y)) return Number.isFinite(x) ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
