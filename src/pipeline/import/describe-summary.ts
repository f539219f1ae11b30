/** The human sentence for an import summary, e.g. "imported 192,544 events, 105,571 members, 5,850 items (0 bad rows) in 6.1 s". */
import type { ImportSummary } from './import-types.ts';

const n = (x: number): string => x.toLocaleString('en-US');

/** One line saying what was loaded. */
export function describeSummary(s: ImportSummary): string {
  const extras: string[] = [];
  if (s.duplicates > 0) extras.push(`${n(s.duplicates)} events already stored were not stored twice`);
  if (s.skipped > 0) extras.push(`${n(s.skipped)} rows skipped`);
  const rest = extras.length > 0 ? `; ${extras.join('; ')}` : '';
  return `imported ${n(s.events)} events, ${n(s.members)} members, ${n(s.items)} items `
    + `(${n(s.badRows.total)} bad row${s.badRows.total === 1 ? '' : 's'}${rest}) in ${s.seconds.toFixed(1)} s`;
}

/** The bad-row report: the first rows with their line and reason, then the count per code. */
export function describeBadRows(s: ImportSummary): string[] {
  const { total, first, byCode } = s.badRows;
  if (total === 0) return [];
  const lines = first.map((b) => `  ${b.file}:${b.line}  ${b.code}  ${b.message}`);
  if (total > first.length) lines.push(`  … and ${n(total - first.length)} more`);
  lines.push(`  by code: ${Object.entries(byCode).map(([code, k]) => `${code} ${n(k ?? 0)}`).join(', ')}`);
  return [`bad rows (${n(total)}):`, ...lines];
}
