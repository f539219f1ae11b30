/**
 * One Rent the Runway rental, read from either published shape: the reduced CSV
 * (fit,user_id,item_id,rating,rented_for,category,size,body_type,age,weight_lbs,height_in,bust_size_num,
 * bust_size_letter,review_date,recommend) or the original JSON lines (`"bust size": "34d"`,
 * `weight: "137lbs"`, `height: "5' 8\""`, `review_date: "April 20, 2016"`, …).
 */

/** Body measurements a member reported with a rental. */
export interface MemberBody {
  bodyType?: string;
  age?: number;
  weightLbs?: number;
  heightIn?: number;
  bustSize?: string;
}

export interface RtrRecord {
  userId: string;
  itemId: string;
  /** the review date, ISO `YYYY-MM-DD` (RTR has no rental date) */
  date: string;
  size?: string;
  fit?: string;
  rating?: number;
  occasion?: string;
  category?: string;
  body: MemberBody;
}

export type RtrParse = RtrRecord | { error: string };

export const RTR_CSV_REQUIRED = ['user_id', 'item_id', 'review_date'] as const;
const RTR_CSV_OPTIONAL = [
  'fit', 'rating', 'rented_for', 'category', 'size', 'body_type', 'age', 'weight_lbs', 'height_in',
  'bust_size_num', 'bust_size_letter',
] as const;
type CsvColumn = (typeof RTR_CSV_REQUIRED)[number] | (typeof RTR_CSV_OPTIONAL)[number];

/** Column positions from the header; `undefined` when a required column is missing. */
export function rtrCsvColumns(header: string[]): Map<CsvColumn, number> | undefined {
  const positions = new Map<CsvColumn, number>();
  const names = header.map((h) => h.trim());
  for (const name of [...RTR_CSV_REQUIRED, ...RTR_CSV_OPTIONAL]) {
    const at = names.indexOf(name);
    if (at >= 0) positions.set(name, at);
  }
  return RTR_CSV_REQUIRED.every((name) => positions.has(name)) ? positions : undefined;
}

class RowError extends Error {}

/** Reads a CSV row, given the header's column positions. */
export function rtrFromCsv(fields: string[], columns: Map<CsvColumn, number>, headerLength: number): RtrParse {
  if (fields.length !== headerLength) return { error: `expected ${headerLength} columns, got ${fields.length}` };
  const get = (name: CsvColumn): string | undefined => {
    const at = columns.get(name);
    const value = at === undefined ? undefined : fields[at].trim();
    return value === '' ? undefined : value;
  };
  try {
    const bustNum = number(get('bust_size_num'), 'bust_size_num');
    return record({
      userId: get('user_id'), itemId: get('item_id'), date: get('review_date'), size: sizeLabel(get('size')),
      fit: get('fit'), rating: number(get('rating'), 'rating'), occasion: get('rented_for'), category: get('category'),
      body: {
        bodyType: get('body_type'), age: number(get('age'), 'age'), weightLbs: number(get('weight_lbs'), 'weight_lbs'),
        heightIn: number(get('height_in'), 'height_in'),
        bustSize: bustNum === undefined ? undefined : `${bustNum}${get('bust_size_letter') ?? ''}`,
      },
    });
  } catch (err) {
    if (err instanceof RowError) return { error: err.message };
    throw err;
  }
}

/** Reads an object of the original JSON-lines file. */
export function rtrFromJson(o: Record<string, unknown>): RtrParse {
  try {
    return record({
      userId: text(o.user_id, 'user_id'), itemId: text(o.item_id, 'item_id'), date: isoDate(text(o.review_date, 'review_date')),
      size: sizeLabel(text(o.size, 'size')), fit: text(o.fit, 'fit'), rating: number(text(o.rating, 'rating'), 'rating'),
      occasion: text(o['rented for'], 'rented for'), category: text(o.category, 'category'),
      body: {
        bodyType: text(o['body type'], 'body type'), age: number(text(o.age, 'age'), 'age'),
        weightLbs: pounds(text(o.weight, 'weight')), heightIn: inches(text(o.height, 'height')),
        bustSize: text(o['bust size'], 'bust size'),
      },
    });
  } catch (err) {
    if (err instanceof RowError) return { error: err.message };
    throw err;
  }
}

interface Draft extends Omit<RtrRecord, 'userId' | 'itemId' | 'date'> {
  userId?: string;
  itemId?: string;
  date?: string;
}

function record(d: Draft): RtrParse {
  if (!d.userId) return { error: 'user_id is missing' };
  if (!d.itemId) return { error: 'item_id is missing' };
  if (!d.date) return { error: 'review_date is missing' };
  if (d.category !== undefined && d.category.length > 64) return { error: 'category is longer than 64 characters' };
  if (d.body.bodyType !== undefined && d.body.bodyType.length > 64) return { error: 'body type is longer than 64 characters' };
  if (d.body.bustSize !== undefined && d.body.bustSize.length > 16) return { error: 'bust size is longer than 16 characters' };
  const body: MemberBody = {};
  for (const [k, v] of Object.entries(d.body) as Array<[keyof MemberBody, string | number | undefined]>) {
    if (v !== undefined) (body as Record<string, string | number>)[k] = v;
  }
  const out: RtrRecord = { userId: d.userId, itemId: d.itemId, date: d.date, body };
  if (d.size !== undefined) out.size = d.size;
  if (d.fit !== undefined) out.fit = d.fit;
  if (d.rating !== undefined) out.rating = d.rating;
  if (d.occasion !== undefined) out.occasion = d.occasion;
  if (d.category !== undefined) out.category = d.category;
  return out;
}

/** A JSON field as trimmed text; null, absent, empty and NaN read as absent. */
function text(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v !== 'string') throw new RowError(`${field} must be a string or a number`);
  const t = v.trim();
  return t === '' || t.toLowerCase() === 'nan' ? undefined : t;
}

function number(v: string | undefined, field: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new RowError(`${field} "${v}" is not a number`);
  return n;
}

/** Sizes are labels: "14", not "14.0" (the CSV export wrote some as floats). */
function sizeLabel(v: string | undefined): string | undefined {
  return v === undefined ? undefined : v.replace(/^(\d+)\.0+$/, '$1');
}

function pounds(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(?:lbs?)?$/i.exec(v);
  if (!m) throw new RowError(`weight "${v}" is not like "137lbs"`);
  return Number(m[1]);
}

function inches(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)\s*'\s*(?:(\d+(?:\.\d+)?)\s*"?)?$/.exec(v);
  if (!m) throw new RowError(`height "${v}" is not like 5' 8"`);
  return Number(m[1]) * 12 + Number(m[2] ?? 0);
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "April 20, 2016" → "2016-04-20" (a calendar day, read the same in every time zone); ISO dates pass. */
function isoDate(v: string | undefined): string | undefined {
  if (v === undefined || /^\d{4}-\d{2}-\d{2}/.test(v)) return v;
  const m = /^([A-Za-z]+)\s+(\d{1,2}),\s*(\d{4})$/.exec(v);
  const month = m ? MONTHS.indexOf(m[1].toLowerCase()) : -1;
  if (!m || month < 0) throw new RowError(`review_date "${v}" is not like "April 20, 2016"`);
  return `${m[3]}-${String(month + 1).padStart(2, '0')}-${m[2].padStart(2, '0')}`;
}
