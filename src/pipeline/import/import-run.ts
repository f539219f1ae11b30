/** The bookkeeping every importer shares: options with their defaults, the bad-row log, progress, timing. */
import type { ErrorCode } from '../../core/errors.ts';
import type { EventValidationOptions } from '../../core/validate-event.ts';
import { BadRowLog } from './bad-rows.ts';
import {
  DEFAULT_BATCH_SIZE, DEFAULT_FUTURE_TOLERANCE_MS, type ImportOptions, type ImportProgress, type ImportSummary,
  PROGRESS_EVERY_ROWS,
} from './import-types.ts';
import type { LineReader } from './line-reader.ts';

/** One import in progress: its bad rows, row count, progress reports and clock. */
export class ImportRun {
  readonly bad = new BadRowLog();
  readonly batchSize: number;
  /** data rows read */
  rows = 0;
  private readonly started = performance.now();
  private readonly clock: () => number;

  constructor(readonly format: string, readonly source: string, private readonly opts: ImportOptions) {
    this.batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
    this.clock = opts.clock ?? Date.now;
  }

  /** The same rules as the API's ingest: the clock now, and the clock-skew tolerance. */
  validation(): EventValidationOptions {
    return { now: this.clock(), futureToleranceMs: this.opts.futureToleranceMs ?? DEFAULT_FUTURE_TOLERANCE_MS };
  }

  /** The clock, for `now` arguments of upserts. */
  now(): number {
    return this.clock();
  }

  /** Records a refused row of `reader`'s file. */
  reject(reader: LineReader, line: number, code: ErrorCode, message: string): void {
    this.bad.add(reader.name, line, code, message);
  }

  /** Counts a data row and reports progress every few thousand rows. */
  countRow(reader: LineReader): void {
    this.rows++;
    if (this.rows % PROGRESS_EVERY_ROWS === 0) this.report(reader, 'reading');
  }

  /** Reports progress now. */
  report(reader: LineReader, phase: ImportProgress['phase'], done?: number, total?: number): void {
    if (!this.opts.onProgress) return;
    const p: ImportProgress = { file: reader.name, phase, bytesRead: reader.bytesRead(), totalBytes: reader.totalBytes, rows: this.rows };
    if (done !== undefined) p.done = done;
    if (total !== undefined) p.total = total;
    this.opts.onProgress(p);
  }

  /** The summary, timed from the run's start. */
  summary(counts: Pick<ImportSummary, 'events' | 'duplicates' | 'members' | 'items'> & Partial<Pick<ImportSummary, 'skipped' | 'notes'>>): ImportSummary {
    return {
      format: this.format,
      source: this.source,
      rows: this.rows,
      skipped: 0,
      notes: [],
      ...counts,
      badRows: this.bad.report(),
      seconds: (performance.now() - this.started) / 1000,
    };
  }
}
