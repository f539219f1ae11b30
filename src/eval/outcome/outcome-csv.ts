/**
 * Member outcomes supplied as a CSV (`--outcome-csv FILE`): a header naming a member column (`userId`
 * or `user_id`) and an outcome column (`retained`, or `churned` which is inverted), then one row per
 * member with 1/0, true/false or yes/no. A bad row — unknown member, bad value, repeated member, wrong
 * number of cells — is reported with its line number and skipped; it never stops the run.
 */
import { readFile } from 'node:fs/promises';
import { badOutcome } from './churn-labels.ts';

export interface SkippedRow {
  /** 1-based line of the file (the header is line 1) */
  line: number;
  reason: string;
}

export interface OutcomeTable {
  /** 1 = retained */
  retainedOf: Map<string, number>;
  skipped: SkippedRow[];
}

const TRUE = new Set(['1', 'true', 'yes', 'y']);
const FALSE = new Set(['0', 'false', 'no', 'n']);

/** Parses the CSV text; `isMember(id)` says whether the id is an evaluated member. */
export function parseOutcomeCsv(text: string, isMember: (userId: string) => boolean): OutcomeTable {
  const lines = text.split(/\r?\n/);
  const header = splitCells(lines[0] ?? '').map((h) => h.toLowerCase());
  const userCol = header.findIndex((h) => h === 'userid' || h === 'user_id');
  const retainedCol = header.indexOf('retained');
  const churnedCol = header.indexOf('churned');
  const outcomeCol = retainedCol >= 0 ? retainedCol : churnedCol;
  if (userCol < 0 || outcomeCol < 0) {
    throw badOutcome(`the outcome CSV's header "${lines[0] ?? ''}" must name a member column (userId) and an outcome column `
      + '(retained or churned)');
  }
  const invert = retainedCol < 0;
  const retainedOf = new Map<string, number>();
  const skipped: SkippedRow[] = [];
  for (let j = 1; j < lines.length; j++) {
    if (lines[j].trim() === '') continue;
    const line = j + 1;
    const cells = splitCells(lines[j]);
    if (cells.length !== header.length) {
      skipped.push({ line, reason: `${cells.length} cells where the header has ${header.length}` });
      continue;
    }
    const userId = cells[userCol];
    const value = cells[outcomeCol].toLowerCase();
    const flag = TRUE.has(value) ? 1 : FALSE.has(value) ? 0 : undefined;
    if (flag === undefined) skipped.push({ line, reason: `"${cells[outcomeCol]}" is not 1/0, true/false or yes/no` });
    else if (!isMember(userId)) skipped.push({ line, reason: `member "${userId}" is not an evaluated member` });
    else if (retainedOf.has(userId)) skipped.push({ line, reason: `member "${userId}" appears again (the first row counts)` });
    else retainedOf.set(userId, invert ? 1 - flag : flag);
  }
  if (retainedOf.size === 0) {
    throw badOutcome(`the outcome CSV has no usable row (${skipped.length} skipped${skipped[0] ? `; line ${skipped[0].line}: ${skipped[0].reason}` : ''})`);
  }
  return { retainedOf, skipped };
}

/** Reads and parses an outcome CSV file. */
export async function readOutcomeCsv(path: string, isMember: (userId: string) => boolean): Promise<OutcomeTable> {
  return parseOutcomeCsv(await readFile(path, 'utf8'), isMember);
}

/** Cells of a simple CSV line (optionally double-quoted cells, no embedded newlines), trimmed. */
function splitCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}
