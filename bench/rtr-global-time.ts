/**
 * Loads the RTR rentals (Misra, Wan & McAuley, RecSys 2018) from ../shared/data/rtr and splits them
 * EVALUATION.md `global-time` style: train = rentals before the cutoff. Bench-only helper; returns
 * undefined when the data is absent so benchmarks can skip.
 * TODO(eval owns the protocols): switch to src/eval's global-time split once it exists.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readRtrCsv } from '../src/eval/rtr-csv.ts';
import { buildInteractions, type InteractionData } from '../src/ml/dataset.ts';

export const RTR_FILE = fileURLToPath(new URL('../../shared/data/rtr/renttherunway_interactions.csv.gz', import.meta.url));

export interface RtrSplit {
  train: InteractionData;
  /** member id → test item ids (all test rentals, before vocabulary filtering) */
  test: Map<string, Set<string>>;
}

/** Train/test split at `cutoff` (epoch ms), or undefined when the RTR file is missing. */
export async function loadRtrGlobalTime(cutoff = Date.parse('2017-07-01T00:00:00Z')): Promise<RtrSplit | undefined> {
  if (!existsSync(RTR_FILE)) return undefined;
  const rows: Array<{ user: string; item: string; ts: number }> = [];
  const test = new Map<string, Set<string>>();
  for await (const row of readRtrCsv(RTR_FILE)) {
    const ts = Date.parse(`${row.reviewDate}T00:00:00Z`);
    if (ts < cutoff) rows.push({ user: row.userId, item: row.itemId, ts });
    else {
      let set = test.get(row.userId);
      if (!set) test.set(row.userId, (set = new Set()));
      set.add(row.itemId);
    }
  }
  return { train: buildInteractions(rows), test };
}
