/**
 * Reproduces EVALUATION.md's reference split and the cheap deterministic rows on the real Rent the
 * Runway data (Misra, Wan & McAuley, RecSys 2018). Skips when ../shared/data/rtr is absent.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { evaluateSplit } from '../src/eval/evaluate.ts';
import { loadRtrDataset } from '../src/eval/rtr-dataset.ts';
import { parseProtocol, splitDataset } from '../src/eval/splits.ts';

const RTR = fileURLToPath(new URL('../../shared/data/rtr/renttherunway_interactions.csv.gz', import.meta.url));
const skip = existsSync(RTR) ? false : `RTR data absent (${RTR})`;

test('RTR global-time 2017-07-01: reference split counts, popularity and item-kNN within 5% of the reference', { skip }, async () => {
  const split = splitDataset(await loadRtrDataset(RTR), parseProtocol('global-time', '2017-07-01'));
  assert.equal(split.trainRows, 154_033);
  assert.equal(split.train.interactions.userIds.length, 89_502);
  assert.equal(split.train.interactions.itemIds.length, 4_083);
  assert.equal(split.users.length, 5_826);
  const report = await evaluateSplit(split, { algorithms: ['popularity', 'popularity-recent', 'item-knn'], threads: 1 });
  const reference: Record<string, { ndcg: number; recall: number; hitRate: number }> = {
    popularity: { ndcg: 0.0053, recall: 0.0108, hitRate: 0.0144 },
    'popularity-recent': { ndcg: 0.0102, recall: 0.0205, hitRate: 0.0285 },
    'item-knn': { ndcg: 0.0028, recall: 0.0055, hitRate: 0.0096 },
  };
  for (const [name, ref] of Object.entries(reference)) {
    for (const metric of ['ndcg', 'recall', 'hitRate'] as const) {
      const got = report.results[name][metric];
      // the reference is printed to 4 decimals, hence the extra half unit
      assert.ok(Math.abs(got - ref[metric]) <= 0.05 * ref[metric] + 0.00005, `${name} ${metric}: ${got.toFixed(4)} vs ${ref[metric]}`);
    }
  }
});
