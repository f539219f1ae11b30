/**
 * The offline metrics of a variant's model on the simulated history, per member, as an offline
 * evaluation would compute them: the model (trained on the warm-up) ranks its top K for each member,
 * warm-up positives excluded, and the items the member rented during the simulation that they had not
 * rented before are the relevant set (EVALUATION.md's "new test item"). One value per member (NaN for
 * members without such a rent, or whom the model does not know), so that the metrics can be
 * correlated with each member's simulated churn.
 * Caveat (off-policy): the rents were made on pages this same model served, so its offline score is
 * flattered relative to a model that did not pick what was shown. Compare variants by their closed-
 * loop outcomes; read these numbers for how well each metric tracks churn.
 */
import { userMetricVectors, type RankingMetric } from '../../eval/metrics/per-user.ts';
import { recommendFor } from '../../eval/recommend-for.ts';
import type { Model } from '../../ml/model.ts';

export const OFFLINE_K = 10;
export const OFFLINE_METRICS: readonly RankingMetric[] = ['ndcg', 'recall', 'hitRate'];

export type OfflineVectors = Record<RankingMetric, Float64Array> & { evaluated: number; k: number };

/** Metrics of `model` for each member in `userIds` (aligned; NaN where not evaluated). */
export function offlineMetricsPerMember(model: Model, userIds: readonly string[], trainItems: ReadonlyArray<ReadonlySet<string>>,
  simRents: ReadonlyArray<ReadonlySet<string>>, k = OFFLINE_K): OfflineVectors {
  const n = userIds.length;
  const blank = (): Float64Array => new Float64Array(n).fill(Number.NaN);
  const out: OfflineVectors = { ndcg: blank(), recall: blank(), precision: blank(), hitRate: blank(), map: blank(), evaluated: 0, k };
  const rows: number[] = [];
  const ranked: string[][] = [];
  const relevant: Set<string>[] = [];
  for (let j = 0; j < n; j++) {
    const fresh = new Set([...simRents[j]].filter((id) => !trainItems[j].has(id)));
    if (fresh.size === 0) continue;
    const top = recommendFor(model, userIds[j], trainItems[j], k);
    if (!top) continue;
    rows.push(j);
    ranked.push(top);
    relevant.push(fresh);
  }
  const v = userMetricVectors(rows.map((j) => userIds[j]), ranked, relevant, k);
  for (let r = 0; r < rows.length; r++) {
    for (const metric of ['ndcg', 'recall', 'precision', 'hitRate', 'map'] as const) out[metric][rows[r]] = v[metric][r];
  }
  out.evaluated = rows.length;
  return out;
}
