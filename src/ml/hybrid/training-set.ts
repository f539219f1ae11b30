/**
 * The learner's labelled rows, from a time split inside the training data only: the last `labelDays`
 * before the clock (fewer when the history is short: all folds' windows take at most 40% of it) are
 * the label window; statistics, profiles and component models are built from
 * what precedes it (as of the inner cutoff), exactly as serving builds them from all of train. A
 * member is a query when they were active before the cutoff and rented, in the window, an item that
 * existed before it and is new to them (EVALUATION.md's "relevant"). Their candidates are the rows;
 * those rented in the window are the positives. Training members keep all positives and a seeded
 * sample of negatives; validation members (for early stopping) keep every candidate.
 */
import { DAY_MS } from '../../core/time.ts';
import { seededUniform } from '../common/rng.ts';
import type { InteractionData, ItemFeatures } from '../dataset.ts';
import { shuffleInPlace } from '../fit/seeded-random.ts';
import type { RankingSet } from './boosted-ranker.ts';
import { Components } from './components.ts';
import { N_FEATURES } from './features.ts';
import { ItemStats } from './item-stats.ts';
import { MemberProfiles } from './member-profiles.ts';
import type { HybridParams } from './params.ts';
import { RankingState } from './ranking-state.ts';
import type { SizeScale } from './size-scale.ts';
import { rowsBefore } from './time-slice.ts';

/** validation members are capped: their every candidate is kept */
const MAX_VALIDATION_MEMBERS = 2000;
/** the label windows of all folds together cover at most this share of the data's time span */
const MAX_LABEL_SHARE = 0.4;

export interface TrainingSets {
  train: RankingSet;
  valid?: RankingSet;
  /** epoch ms of the (latest) inner cutoff */
  cutoff: number;
  /** the label window used: labelDays, shortened for a short history */
  labelDays: number;
  /** labelled members (with a positive among their candidates) / all members with a relevant item */
  queries: number;
  labelledMembers: number;
  /** share of relevant (member, item) pairs found among the candidates (latest fold) */
  candidateRecall: number;
}

/**
 * The rows of `p.folds` inner splits stacked back in time (fold f's label window ends f·labelDays
 * before the clock), or undefined when no split leaves a labelled member (too little data).
 */
export async function buildTrainingSets(
  data: InteractionData, items: ItemFeatures | undefined, scale: SizeScale, asOf: number, p: HybridParams, dropped: readonly number[],
  onFold?: (fold: number) => void,
): Promise<TrainingSets | undefined> {
  let first = asOf;
  for (const t of data.ts) if (t < first) first = t;
  const labelDays = Math.min(p.labelDays, (MAX_LABEL_SHARE * (asOf - first)) / DAY_MS / p.folds);
  const folds: TrainingSets[] = [];
  for (let f = 0; f < p.folds; f++) {
    onFold?.(f);
    const fold = await foldSets(data, items, scale, asOf - f * labelDays * DAY_MS, labelDays, p, dropped, p.seed + f);
    if (fold) folds.push(fold);
  }
  if (folds.length === 0) return undefined;
  const valid = folds.flatMap((s) => (s.valid ? [s.valid] : []));
  return {
    train: concatSets(folds.map((s) => s.train)),
    valid: valid.length > 0 ? concatSets(valid) : undefined,
    cutoff: folds[0].cutoff,
    labelDays,
    queries: folds.reduce((n, s) => n + s.queries, 0),
    labelledMembers: folds.reduce((n, s) => n + s.labelledMembers, 0),
    candidateRecall: folds[0].candidateRecall,
  };
}

/** One inner split whose label window ends at `end`. */
async function foldSets(
  data: InteractionData, items: ItemFeatures | undefined, scale: SizeScale, end: number, labelDays: number,
  p: HybridParams, dropped: readonly number[], seed: number,
): Promise<TrainingSets | undefined> {
  const cutoff = end - labelDays * DAY_MS;
  const prior = rowsBefore(data, cutoff);
  if (prior.users.length === 0) return undefined;
  const stats = ItemStats.compute(prior, items, scale, { asOf: cutoff, recentDays: p.recentDays, halfLifeDays: p.halfLifeDays });
  const profiles = MemberProfiles.compute(prior, scale, cutoff);
  const positives = labelWindowPositives(data, profiles, stats, cutoff, end);
  if (positives.size === 0) return undefined;
  const components = await Components.train(prior, items, stats, p, seed);
  const state = new RankingState(stats, profiles, components, p, p.recentDays, dropped);

  const random = seededUniform(seed);
  const members = shuffleInPlace(Int32Array.from([...positives.keys()].sort((a, b) => a - b)), random);
  const nValid = Math.min(MAX_VALIDATION_MEMBERS, Math.floor(members.length * p.validationShare));
  const train = new RowCollector();
  const valid = new RowCollector();
  let relevant = 0;
  let found = 0;
  members.forEach((u, m) => {
    const member = profiles.stateOf(u);
    const { candidates, rows } = state.candidateRows({ userId: data.userIds[u] }, member);
    const wanted = positives.get(u) as Set<number>;
    const labels = Uint8Array.from(candidates, (i) => (wanted.has(i) ? 1 : 0));
    relevant += wanted.size;
    const hits = labels.reduce((s, y) => s + y, 0);
    found += hits;
    if (hits > 0) (m < nValid ? valid : train).add(rows, labels, m < nValid ? undefined : sample(labels, p.negativesPerMember, random));
  });
  if (train.queries === 0) return undefined;
  return {
    train: train.build(), valid: valid.queries > 0 ? valid.build() : undefined, cutoff, labelDays,
    queries: train.queries + valid.queries, labelledMembers: positives.size, candidateRecall: relevant > 0 ? found / relevant : 0,
  };
}

/** The queries of several sets, one after the other. */
function concatSets(sets: RankingSet[]): RankingSet {
  if (sets.length === 1) return sets[0];
  const nRows = sets.reduce((n, s) => n + s.labels.length, 0);
  const columns = Array.from({ length: N_FEATURES }, () => new Float64Array(nRows));
  const labels = new Uint8Array(nRows);
  const starts: number[] = [0];
  let at = 0;
  for (const s of sets) {
    s.columns.forEach((col, f) => columns[f].set(col, at));
    labels.set(s.labels, at);
    for (let q = 1; q < s.queryStart.length; q++) starts.push(at + s.queryStart[q]);
    at += s.labels.length;
  }
  return { columns, labels, queryStart: Int32Array.from(starts) };
}

/** Per member active before `cutoff`: items rented in [cutoff, asOf) that existed before the cutoff and are new to them. */
function labelWindowPositives(data: InteractionData, profiles: MemberProfiles, stats: ItemStats, cutoff: number, asOf: number): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  const { indptr } = profiles.history.rows;
  for (let k = 0; k < data.users.length; k++) {
    const t = data.ts[k];
    if (t < cutoff || !(t < asOf)) continue;
    const u = data.users[k];
    const i = data.items[k];
    if (indptr[u + 1] === indptr[u] || !stats.known(i) || hasItem(profiles, u, i)) continue;
    let set = out.get(u);
    if (!set) out.set(u, (set = new Set()));
    set.add(i);
  }
  return out;
}

function hasItem(profiles: MemberProfiles, u: number, i: number): boolean {
  const { indptr, indices } = profiles.history.rows;
  let lo = indptr[u];
  let hi = indptr[u + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (indices[mid] === i) return true;
    if (indices[mid] < i) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Rows to keep: every positive and up to `negatives` seeded-random negatives. */
function sample(labels: Uint8Array, negatives: number, random: () => number): Int32Array {
  const neg: number[] = [];
  const keep: number[] = [];
  labels.forEach((y, k) => (y ? keep : neg).push(k));
  const order = shuffleInPlace(Int32Array.from(neg), random).slice(0, negatives);
  return Int32Array.from([...keep, ...order].sort((a, b) => a - b));
}

/** Rows of many members (only the kept ones are copied), assembled into feature-major columns at the end. */
class RowCollector {
  private readonly chunks: Array<{ rows: Float32Array; labels: Uint8Array }> = [];
  private nRows = 0;

  get queries(): number {
    return this.chunks.length;
  }

  add(rows: Float32Array, labels: Uint8Array, keep?: Int32Array): void {
    if (!keep) this.chunks.push({ rows, labels });
    else {
      const kept = new Float32Array(keep.length * N_FEATURES);
      keep.forEach((k, j) => kept.set(rows.subarray(k * N_FEATURES, (k + 1) * N_FEATURES), j * N_FEATURES));
      this.chunks.push({ rows: kept, labels: Uint8Array.from(keep, (k) => labels[k]) });
    }
    this.nRows += keep ? keep.length : labels.length;
  }

  build(): RankingSet {
    const columns = Array.from({ length: N_FEATURES }, () => new Float64Array(this.nRows));
    const labels = new Uint8Array(this.nRows);
    const queryStart = new Int32Array(this.chunks.length + 1);
    let at = 0;
    this.chunks.forEach((c, q) => {
      for (let k = 0; k < c.labels.length; k++) {
        for (let f = 0; f < N_FEATURES; f++) columns[f][at] = c.rows[k * N_FEATURES + f];
        labels[at++] = c.labels[k];
      }
      queryStart[q + 1] = at;
    });
    return { columns, labels, queryStart };
  }
}
