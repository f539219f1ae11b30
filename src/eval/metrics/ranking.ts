/**
 * Top-K ranking metrics with binary relevance (EVALUATION.md), for one member: `ranked` is the model's
 * list best first (rank i from 1), `relevant` the member's held-out items. Only the first K entries
 * count, an item listed twice counts once, and the order of the list is the ranking (tied scores were
 * already ordered by the model). With no relevant item every metric is NaN (undefined, not zero).
 */

/** hit_i for i = 1…K: 1 where the i-th recommendation is relevant (and not a repeat), else 0. */
export function hitFlags(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): Uint8Array {
  const flags = new Uint8Array(k);
  const seen = new Set<string>();
  for (let i = 0; i < Math.min(k, ranked.length); i++) {
    const id = ranked[i];
    if (relevant.has(id) && !seen.has(id)) flags[i] = 1;
    seen.add(id);
  }
  return flags;
}

function hitCount(flags: Uint8Array): number {
  let hits = 0;
  for (let i = 0; i < flags.length; i++) hits += flags[i];
  return hits;
}

/** HR@K = 1 if any of the top K is relevant, else 0. */
export function hitRateAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return Number.NaN;
  return hitCount(hitFlags(ranked, relevant, k)) > 0 ? 1 : 0;
}

/** Precision@K = hits in the top K / K (a list shorter than K still divides by K). */
export function precisionAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return Number.NaN;
  return hitCount(hitFlags(ranked, relevant, k)) / k;
}

/** Recall@K = hits in the top K / |rel|. */
export function recallAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return Number.NaN;
  return hitCount(hitFlags(ranked, relevant, k)) / relevant.size;
}

/** Ideal DCG: min(K, |rel|) hits in the top places, Σ_{i=1..min(K,|rel|)} 1 / log2(i + 1). */
export function idealDcgAt(nRelevant: number, k: number): number {
  let idcg = 0;
  for (let i = 1; i <= Math.min(k, nRelevant); i++) idcg += 1 / Math.log2(i + 1);
  return idcg;
}

/** NDCG@K = Σ hit_i / log2(i + 1) over the top K, divided by the ideal DCG for min(K, |rel|) hits. */
export function ndcgAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return Number.NaN;
  const flags = hitFlags(ranked, relevant, k);
  let dcg = 0;
  for (let i = 1; i <= k; i++) if (flags[i - 1]) dcg += 1 / Math.log2(i + 1);
  return dcg / idealDcgAt(relevant.size, k);
}

/** AP@K = Σ_{i=1..K} Precision@i · hit_i / min(K, |rel|); MAP@K is its mean over members. */
export function averagePrecisionAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return Number.NaN;
  const flags = hitFlags(ranked, relevant, k);
  let hits = 0;
  let sum = 0;
  for (let i = 1; i <= k; i++) {
    if (!flags[i - 1]) continue;
    hits++;
    sum += hits / i;
  }
  return sum / Math.min(k, relevant.size);
}
