/**
 * Labelled candidate rows of inner-split members, gathered into the learner's sets: `train` (every
 * positive, sampled negatives), `valid` (early stopping: every candidate) and `guard` (every
 * candidate, not trained on at first: the learned ranker meets its components there, guard.ts).
 */
import { shuffleInPlace } from '../fit/seeded-random.ts';
import type { RankingSet } from './boosted-ranker.ts';
import { N_FEATURES } from './features.ts';
import type { HybridParams } from './params.ts';
import type { RankingState } from './ranking-state.ts';
import type { MemberState } from './member-profiles.ts';

/** held-out members per inner split are capped: their every candidate is kept */
const MAX_HELD_OUT_MEMBERS = 2000;

/** One inner split's labelled members: their state, the clock they are asked at and their positives. */
export interface LabelledMember {
  userId: string;
  member: MemberState;
  state: RankingState;
  positives: ReadonlySet<number>;
}

export interface SplitRows {
  train: RowCollector;
  valid: RowCollector;
  guard: RowCollector;
  /** the guard members' rows sampled as for training */
  guardTrain: RowCollector;
  /** share of positives found among the candidates */
  relevant: number;
  found: number;
}

/** Empty collectors for one or more inner splits. */
export function emptySplitRows(): SplitRows {
  return { train: new RowCollector(), valid: new RowCollector(), guard: new RowCollector(), guardTrain: new RowCollector(), relevant: 0, found: 0 };
}

/** What a held-out or training member is used for. */
export type Role = 'train' | 'valid' | 'guard';

/**
 * Roles of `n` members already in a seeded random order: the first `validationShare`, then
 * `guardShare` of them (each capped) are held out with every candidate, the rest train.
 */
export function assignRoles(n: number, p: Pick<HybridParams, 'validationShare' | 'guardShare'>): Role[] {
  const nValid = Math.min(MAX_HELD_OUT_MEMBERS, Math.floor(n * p.validationShare));
  const nGuard = Math.min(MAX_HELD_OUT_MEMBERS, Math.floor(n * p.guardShare));
  return Array.from({ length: n }, (_, j) => (j < nValid ? 'valid' : j < nValid + nGuard ? 'guard' : 'train'));
}

/**
 * Adds one member's candidate rows to `out` by role. A guard member's rows are also sampled into
 * `guardTrain`, so that the learner can be refitted on them once the guard has judged it.
 */
export function collectMember(m: LabelledMember, role: Role, negatives: number, random: () => number, out: SplitRows): void {
  const { candidates, rows } = m.state.candidateRows({ userId: m.userId }, m.member);
  const labels = Uint8Array.from(candidates, (i) => (m.positives.has(i) ? 1 : 0));
  const hits = labels.reduce((s, y) => s + y, 0);
  out.relevant += m.positives.size;
  out.found += hits;
  if (hits === 0) return;
  if (role === 'valid') out.valid.add(rows, labels);
  else if (role === 'guard') {
    out.guard.add(rows, labels);
    out.guardTrain.add(rows, labels, sample(labels, negatives, random));
  } else out.train.add(rows, labels, sample(labels, negatives, random));
}

/** The queries of several sets, one after the other. */
export function concatSets(sets: RankingSet[]): RankingSet {
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

/** Rows to keep: every positive and up to `negatives` seeded-random negatives. */
function sample(labels: Uint8Array, negatives: number, random: () => number): Int32Array {
  const neg: number[] = [];
  const keep: number[] = [];
  labels.forEach((y, k) => (y ? keep : neg).push(k));
  const order = shuffleInPlace(Int32Array.from(neg), random).slice(0, negatives);
  return Int32Array.from([...keep, ...order].sort((a, b) => a - b));
}

/** Rows of many members (only the kept ones are copied), assembled into feature-major columns at the end. */
export class RowCollector {
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

  /** The collected rows as a RankingSet, or undefined when empty. */
  build(): RankingSet | undefined {
    if (this.chunks.length === 0) return undefined;
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
