/**
 * The latest offline evaluation of a data dir: `vitrine evaluate --data DIR` keeps its JSON report
 * (the `--json` one) at DIR/reports/evaluation-latest.json, and GET /v1/models/evaluation serves it.
 * Written to a temporary name and renamed, so a reader never sees half a report.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { VitrineError } from '../core/errors.ts';

export const EVALUATION_REPORT_FILE = join('reports', 'evaluation-latest.json');

/** What is stored: the report as `vitrine evaluate --json` writes it, and when and how it was made. */
export interface StoredEvaluation {
  /** epoch ms */
  writtenAt: number;
  /** the command line that made it */
  command: string;
  /** the data's citation (Rent the Runway: Misra, Wan & McAuley, RecSys 2018), when it needs one */
  citation?: string;
  /** protocol, k, users, items, dataset, results (algorithm → metric → value), … (docs/validation.md) */
  report: Record<string, unknown> & { results: Record<string, Record<string, unknown>> };
}

/** Keeps `evaluation` as the data dir's latest. */
export async function writeEvaluationReport(dataDir: string, evaluation: StoredEvaluation): Promise<string> {
  const path = join(dataDir, EVALUATION_REPORT_FILE);
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(evaluation, null, 2)}\n`);
  await rename(temporary, path);
  return path;
}

/** The data dir's latest evaluation, or undefined when none was kept; a damaged file is an error. */
export async function readEvaluationReport(dataDir: string): Promise<StoredEvaluation | undefined> {
  const path = join(dataDir, EVALUATION_REPORT_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new VitrineError('VITRINE_EVAL_REPORT_CORRUPT', `${EVALUATION_REPORT_FILE} in the data dir is not JSON`);
  }
  if (!isStoredEvaluation(value)) throw new VitrineError('VITRINE_EVAL_REPORT_CORRUPT', `${EVALUATION_REPORT_FILE} in the data dir is not an evaluation report`);
  return value;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isStoredEvaluation(v: unknown): v is StoredEvaluation {
  if (!isObject(v) || typeof v.writtenAt !== 'number' || typeof v.command !== 'string' || !isObject(v.report)) return false;
  if (v.citation !== undefined && typeof v.citation !== 'string') return false;
  const results = v.report.results;
  return isObject(results) && Object.values(results).every(isObject);
}
