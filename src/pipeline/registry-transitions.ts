/**
 * How the model registry makes room for a new active version. The records returned are written in
 * one transaction with the new active record (Store.putModels), so a crash never leaves an algorithm
 * with two active versions, or none.
 */
import type { ModelRecord } from '../storage/store.ts';

/** The records of `algorithm` that step down for `newActive`: active becomes previous, previous retired. */
export function demotedFor(records: readonly ModelRecord[], algorithm: string, newActive: string): ModelRecord[] {
  const out: ModelRecord[] = [];
  for (const r of records) {
    if (r.algorithm !== algorithm || r.version === newActive) continue;
    if (r.status === 'active') out.push({ ...r, status: 'previous' });
    else if (r.status === 'previous') out.push({ ...r, status: 'retired' });
  }
  return out;
}
