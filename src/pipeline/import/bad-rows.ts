/** The log of rows an import refused: the first few in full (file, line, reason), all of them counted by code. */
import type { ErrorCode } from '../../core/errors.ts';

export interface BadRow {
  /** the file's base name (a world import reads several files) */
  file: string;
  /** 1-based physical line where the row starts */
  line: number;
  code: ErrorCode;
  message: string;
}

export interface BadRowReport {
  total: number;
  /** the first `keep` bad rows, in file order */
  first: BadRow[];
  /** every bad row counted by its code (the first ones included) */
  byCode: Partial<Record<ErrorCode, number>>;
}

/** Collects bad rows without ever stopping an import; memory stays bounded however many there are. */
export class BadRowLog {
  private readonly first: BadRow[] = [];
  private readonly byCode: Partial<Record<ErrorCode, number>> = {};
  private total = 0;

  constructor(private readonly keep = 20) {}

  /** Records one refused row. */
  add(file: string, line: number, code: ErrorCode, message: string): void {
    this.total++;
    this.byCode[code] = (this.byCode[code] ?? 0) + 1;
    if (this.first.length < this.keep) this.first.push({ file, line, code, message });
  }

  /** Adds another log's rows (a world import merges its files' logs). */
  merge(report: BadRowReport): void {
    for (const row of report.first) if (this.first.length < this.keep) this.first.push(row);
    for (const [code, n] of Object.entries(report.byCode) as Array<[ErrorCode, number]>) {
      this.byCode[code] = (this.byCode[code] ?? 0) + n;
    }
    this.total += report.total;
  }

  /** A snapshot for the summary. */
  report(): BadRowReport {
    return { total: this.total, first: [...this.first], byCode: { ...this.byCode } };
  }
}
