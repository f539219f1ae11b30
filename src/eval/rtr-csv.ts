/**
 * Streams the Rent the Runway rentals file (Misra, Wan & McAuley, RecSys 2018) as typed rows:
 * `renttherunway_interactions.csv.gz` with the columns listed in EVALUATION.md. Gunzip + readline, so
 * the 192,544 rows never sit in memory as text. Shared by every RTR protocol.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { VitrineError } from '../core/errors.ts';
import type { Fit } from '../core/types.ts';

export const RTR_COLUMNS = [
  'fit', 'user_id', 'item_id', 'rating', 'rented_for', 'category', 'size', 'body_type', 'age', 'weight_lbs',
  'height_in', 'bust_size_num', 'bust_size_letter', 'review_date', 'recommend',
] as const;

/** The default place of the file, relative to the repository root (never copied into the repo). */
export const RTR_DEFAULT_PATH = '../shared/data/rtr/renttherunway_interactions.csv.gz';

export interface RtrRow {
  fit: Fit | undefined;
  userId: string;
  itemId: string;
  /** 2..10, NaN when missing */
  rating: number;
  rentedFor: string | undefined;
  category: string;
  /** RTR's own ordinal size, as written */
  size: string;
  bodyType: string | undefined;
  age: number;
  weightLbs: number;
  heightIn: number;
  bustSizeNum: number;
  bustSizeLetter: string | undefined;
  /** YYYY-MM-DD */
  reviewDate: string;
  recommend: boolean;
}

/** Yields the rows of an RTR CSV file (gzipped when the name ends in .gz), in file order. */
export async function* readRtrCsv(path: string): AsyncGenerator<RtrRow> {
  const raw = createReadStream(path);
  const opened = new Promise<void>((resolve, reject) => {
    raw.once('open', () => resolve());
    raw.once('error', reject);
  });
  try {
    await opened;
  } catch (cause) {
    throw new VitrineError('VITRINE_IMPORT_FILE_NOT_FOUND', `cannot read ${path}`, undefined, { cause });
  }
  const text = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input: text, crlfDelay: Infinity });
  let header: number[] | undefined;
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line === '') continue;
    const cells = parseCsvLine(line);
    if (header === undefined) {
      header = RTR_COLUMNS.map((name) => cells.indexOf(name));
      const missing = RTR_COLUMNS.filter((_, j) => header?.[j] === -1);
      if (missing.length > 0) {
        throw new VitrineError('VITRINE_IMPORT_BAD_ROW', `${path}: header lacks ${missing.join(', ')}`);
      }
      continue;
    }
    yield toRow(cells, header, path, lineNo);
  }
}

function toRow(cells: string[], at: number[], path: string, lineNo: number): RtrRow {
  const cell = (j: number): string => cells[at[j]] ?? '';
  const optional = (j: number): string | undefined => (cell(j) === '' ? undefined : cell(j));
  const num = (j: number): number => (cell(j) === '' ? Number.NaN : Number(cell(j)));
  const fit = cell(0);
  if (fit !== '' && fit !== 'small' && fit !== 'fit' && fit !== 'large') {
    throw new VitrineError('VITRINE_IMPORT_BAD_ROW', `${path}:${lineNo}: fit "${fit}" is not small, fit or large`);
  }
  if (cell(1) === '' || cell(2) === '') {
    throw new VitrineError('VITRINE_IMPORT_BAD_ROW', `${path}:${lineNo}: user_id and item_id are required`);
  }
  return {
    fit: fit === '' ? undefined : fit,
    userId: cell(1),
    itemId: cell(2),
    rating: num(3),
    rentedFor: optional(4),
    category: cell(5),
    size: cell(6),
    bodyType: optional(7),
    age: num(8),
    weightLbs: num(9),
    heightIn: num(10),
    bustSizeNum: num(11),
    bustSizeLetter: optional(12),
    reviewDate: cell(13),
    recommend: cell(14) === '1' || cell(14).toLowerCase() === 'true',
  };
}

/** Splits one CSV line (RFC 4180 quoting: "a, b" and "" for a quote inside quotes). */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let j = 0; j < line.length; j++) {
    const ch = line[j];
    if (quoted) {
      if (ch === '"' && line[j + 1] === '"') {
        cur += '"';
        j++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
