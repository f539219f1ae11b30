/** What every importer takes and returns, so that the CLI, the demo and tests drive them the same way. */
import type { BadRowReport } from './bad-rows.ts';

/** Where an import is, reported every few thousand rows and at the end of each phase. */
export interface ImportProgress {
  /** the file being read (for a world directory: each of its files in turn) */
  file: string;
  /** `reading` the file, then writing what was aggregated from it (`catalogue`, `members`) */
  phase: 'reading' | 'catalogue' | 'members';
  /** bytes read from disk so far (compressed bytes for a .gz file) */
  bytesRead: number;
  totalBytes: number;
  /** data rows read so far */
  rows: number;
  /** for the write phases: how many of `total` are written */
  done?: number;
  total?: number;
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** events / items per store transaction (default 1000) */
  batchSize?: number;
  /** the validation clock, epoch ms (default: the wall clock); events further in the future are refused */
  clock?: () => number;
  /** how far past the clock an event's ts may be (default 5 minutes, as the API) */
  futureToleranceMs?: number;
}

/** The outcome of one import: what was loaded, what was refused and why. */
export interface ImportSummary {
  format: string;
  source: string;
  /** data rows read (header and blank lines excluded) */
  rows: number;
  /** events newly stored */
  events: number;
  /** events whose id was already stored (a re-run), counted by the store and not stored twice */
  duplicates: number;
  /** distinct members whose profile was written or who were named by a stored event */
  members: number;
  /** distinct items catalogued (or, for events-jsonl, named by an event) */
  items: number;
  /** rows deliberately left out (e.g. below --min-rating); not errors */
  skipped: number;
  badRows: BadRowReport;
  seconds: number;
  /** mapping decisions worth telling the user, e.g. how RTR sizes became units */
  notes: string[];
}

export const DEFAULT_BATCH_SIZE = 1000;
export const DEFAULT_FUTURE_TOLERANCE_MS = 5 * 60_000;
/** how often (in rows) importers report progress; the renderer throttles by time on its side */
export const PROGRESS_EVERY_ROWS = 2000;
