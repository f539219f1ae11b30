/**
 * `vitrine evaluate`'s outcome and report options: resolves `--outcome churn --horizon H [--outcome-from D]`
 * or `--outcome-csv FILE` against the split before any training (so a bad outcome fails fast), and
 * writes the HTML report.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { VitrineError } from '../../core/errors.ts';
import { toEpochMs, DAY_MS } from '../../core/time.ts';
import type { EvalDataset } from '../../eval/eval-dataset.ts';
import { badOutcome, churnLabels, churnWindow, parseHorizon } from '../../eval/outcome/churn-labels.ts';
import type { OutcomeSource } from '../../eval/outcome/outcome-analysis.ts';
import { readOutcomeCsv } from '../../eval/outcome/outcome-csv.ts';
import type { EvalSplit } from '../../eval/splits.ts';

export interface OutcomeArgs {
  outcome?: string;
  outcomeCsv?: string;
  horizon?: string;
  outcomeFrom?: string;
}

/** Usage checks that need no data; returns an error message or undefined. */
export function outcomeUsageError(a: OutcomeArgs): string | undefined {
  if (a.outcome !== undefined && a.outcome !== 'churn') return `--outcome must be "churn" (or give --outcome-csv FILE), got "${a.outcome}"`;
  if (a.outcome !== undefined && a.outcomeCsv !== undefined) return '--outcome churn and --outcome-csv are alternatives: give one';
  if (a.outcome === undefined && (a.horizon !== undefined || a.outcomeFrom !== undefined)) return '--horizon and --outcome-from need --outcome churn';
  return undefined;
}

/** The outcome source for the split, or undefined when no outcome was asked for. */
export async function resolveOutcome(a: OutcomeArgs, dataset: EvalDataset, split: EvalSplit): Promise<OutcomeSource | undefined> {
  if (a.outcome === 'churn') {
    const horizonMs = parseHorizon(a.horizon ?? '60d');
    let from: number | undefined;
    if (a.outcomeFrom !== undefined) {
      from = toEpochMs(a.outcomeFrom);
      if (from === undefined) throw badOutcome(`--outcome-from "${a.outcomeFrom}" is not an ISO-8601 date`);
    }
    const labels = churnLabels(dataset.interactions, split, churnWindow(split, horizonMs, from));
    return { kind: 'churn', labels, horizonDays: horizonMs / DAY_MS };
  }
  if (a.outcomeCsv !== undefined) {
    if (!existsSync(a.outcomeCsv)) throw new VitrineError('VITRINE_IMPORT_FILE_NOT_FOUND', `no outcome file at ${a.outcomeCsv}`);
    const members = new Set(split.users.map((u) => u.userId));
    const table = await readOutcomeCsv(a.outcomeCsv, (id) => members.has(id));
    for (const row of table.skipped.slice(0, 20)) console.error(`${a.outcomeCsv}:${row.line}: skipped: ${row.reason}`);
    if (table.skipped.length > 20) console.error(`${a.outcomeCsv}: … ${table.skipped.length - 20} more rows skipped (all in the JSON report)`);
    return { kind: 'csv', file: a.outcomeCsv, table };
  }
  return undefined;
}

/** Writes `text` to `path`, creating its directory. */
export async function writeReportFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(resolve(path)), { recursive: true });
  await writeFile(path, text);
  console.error(`wrote ${path}`);
}
