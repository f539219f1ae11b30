/**
 * The compact page record (issue 20, ADR 0018). A served page's rows were stored as JSON: 8 rows × 20
 * item ids made ~1.9 KB a record, and a busy server wrote ~40 GB of them a day. Now every string of the
 * rows (item ids, row ids, row kinds) is a small integer of the store's `page_terms` table, and the rows
 * are a short byte string of varints:
 *
 *   format (1) · row count · per row: row id term, kind term, item count, item terms…
 *
 * 160 items of a 5,000-item catalogue take ~2 bytes each: ~350 bytes a record. Terms are only ever
 * added (never renumbered or deleted: they name catalogue items and row kinds, never a member), so a
 * number read once stays right for the life of the store and each process caches them both ways.
 * Records stored before the compact format keep their JSON `rows` and are read as they are (a dual
 * reader: no start-up rewrite of a large table; retention ages them out).
 */
import { VitrineError } from '../core/errors.ts';
import type { ImpressionRecord } from './store.ts';

export const PAGE_RECORD_FORMAT = 1;

type Rows = ImpressionRecord['rows'];

/** Every term of the rows, each once (what the store must have numbered before encoding). */
export function termsOf(rows: Rows): string[] {
  const terms = new Set<string>();
  for (const row of rows) {
    terms.add(row.rowId);
    terms.add(row.kind);
    for (const item of row.items) terms.add(item);
  }
  return [...terms];
}

/** The items on a page (experiment exposure counts them without decoding). */
export function itemCountOf(rows: Rows): number {
  let n = 0;
  for (const row of rows) n += row.items.length;
  return n;
}

// the bytes of the record being encoded (one thread encodes one record at a time): grown as needed
let scratch = new Uint8Array(1024);

/** The rows as bytes; `ixOf` answers every term of `termsOf(rows)`. */
export function encodeRows(rows: Rows, ixOf: (term: string) => number): Buffer {
  // at most 5 bytes a number below 2^35: the format byte, the row count, 3 a row and 1 an item
  const most = 5 * (2 + 3 * rows.length + itemCountOf(rows));
  if (scratch.length < most) scratch = new Uint8Array(most * 2);
  const out = scratch;
  let at = 0;
  const put = (n: number) => {
    // unsigned LEB128: 7 bits a byte, the high bit says more follow
    while (n >= 0x80) {
      out[at++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 0x80);
    }
    out[at++] = n;
  };
  put(PAGE_RECORD_FORMAT);
  put(rows.length);
  for (const row of rows) {
    put(ixOf(row.rowId));
    put(ixOf(row.kind));
    put(row.items.length);
    for (const item of row.items) put(ixOf(item));
  }
  return Buffer.from(out.subarray(0, at));
}

/** Reads an encoded record's varints in order. */
class VarintReader {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {
    if (bytes[this.at++] !== PAGE_RECORD_FORMAT) throw corrupt(`has an unknown format (${bytes[0]})`);
  }

  next(): number {
    let n = 0, scale = 1, byte: number;
    do {
      if (this.at >= this.bytes.length) throw corrupt('ends early');
      byte = this.bytes[this.at++];
      n += (byte & 0x7f) * scale;
      scale *= 0x80;
    } while (byte & 0x80);
    return n;
  }

  end(): void {
    if (this.at !== this.bytes.length) throw corrupt('has trailing bytes');
  }
}

/** The rows back; `termOf` answers every number of `termIxsOf(bytes)`. */
export function decodeRows(bytes: Uint8Array, termOf: (ix: number) => string): Rows {
  const read = new VarintReader(bytes);
  const rows: Rows = [];
  for (let r = read.next(); r > 0; r--) {
    const rowId = termOf(read.next());
    const kind = termOf(read.next());
    const items: string[] = [];
    for (let i = read.next(); i > 0; i--) items.push(termOf(read.next()));
    rows.push({ rowId, kind, items });
  }
  read.end();
  return rows;
}

/** The term numbers a record uses (so a reader can fetch those it has not cached, in one query). */
export function termIxsOf(bytes: Uint8Array): number[] {
  const ixs = new Set<number>();
  decodeRows(bytes, (ix) => {
    ixs.add(ix);
    return '';
  });
  return [...ixs];
}

function corrupt(what: string): VitrineError {
  return new VitrineError('VITRINE_STORE_CORRUPT', `a stored page record ${what}`);
}

/**
 * A store's term numbers, cached both ways. Terms are never renumbered, so the cache is never stale;
 * it holds the terms this process has written or read (the catalogue's item ids, a few row kinds).
 */
export class PageTermCache {
  private readonly ixByTerm = new Map<string, number>();
  private readonly termByIx = new Map<number, string>();

  add(term: string, ix: number): void {
    this.ixByTerm.set(term, ix);
    this.termByIx.set(ix, term);
  }

  /** Whether every term of `rows` has a number here (no allocation: the common case once items were served). */
  knowsAll(rows: Rows): boolean {
    for (const row of rows) {
      if (!this.ixByTerm.has(row.rowId) || !this.ixByTerm.has(row.kind)) return false;
      for (const item of row.items) if (!this.ixByTerm.has(item)) return false;
    }
    return true;
  }

  /** Terms of `terms` without a number here. */
  missingTerms(terms: readonly string[]): string[] {
    return terms.filter((t) => !this.ixByTerm.has(t));
  }

  /** Numbers of `ixs` without a term here. */
  missingIxs(ixs: readonly number[]): number[] {
    return ixs.filter((ix) => !this.termByIx.has(ix));
  }

  readonly ixOf = (term: string): number => {
    const ix = this.ixByTerm.get(term);
    if (ix === undefined) throw new Error(`page term not numbered: ${term}`);
    return ix;
  };

  readonly termOf = (ix: number): string => {
    const term = this.termByIx.get(ix);
    if (term === undefined) throw new VitrineError('VITRINE_STORE_CORRUPT', `a stored page record names term ${ix}, which the store does not hold`);
    return term;
  };
}
