/**
 * The order of a page's rows, personalised per member segment by Thompson sampling: each row kind is
 * an arm whose engagement rate (clicks and rents per row shown) has a Beta posterior; every page draws
 * once per arm and shows rows by their draws, so kinds a segment engages with rise while the others
 * are still tried now and then. A segment's prior borrows `priorStrength` pseudo-observations from all
 * segments, so a new segment starts from what everyone does rather than from nothing.
 * TODO(persistence): the counts live in memory and are learnt from the events seen since start-up;
 * seeding them from the stored impression/click/rent log would keep them across restarts.
 */
import { sampleBeta } from './beta-sample.ts';
import { BoundedMap } from '../cache/bounded-map.ts';

interface ArmStats {
  shown: number;
  engaged: number;
}

export interface BanditOptions {
  priorStrength: number;
  /** uniform [0, 1) source; Math.random by default */
  random?: () => number;
  /** segments remembered (least recently used forgotten) */
  maxSegments?: number;
}

export class RowOrderBandit {
  private readonly segments: BoundedMap<string, Map<string, ArmStats>>;
  private readonly global = new Map<string, ArmStats>();
  private readonly random: () => number;

  constructor(private readonly opts: BanditOptions) {
    this.random = opts.random ?? Math.random;
    this.segments = new BoundedMap(opts.maxSegments ?? 10_000);
  }

  /** Counts one showing of each row kind on a page served to `segment`. */
  recordImpressions(segment: string, kinds: readonly string[]): void {
    for (const kind of kinds) {
      this.arm(this.segmentArms(segment), kind).shown++;
      this.arm(this.global, kind).shown++;
    }
  }

  /** Counts an engagement (click, rent) with a row of `kind`; an unknown segment counts only globally. */
  recordEngagement(segment: string | undefined, kind: string, amount = 1): void {
    if (segment !== undefined) this.arm(this.segmentArms(segment), kind).engaged += amount;
    this.arm(this.global, kind).engaged += amount;
  }

  /** Beta posterior of `kind`'s engagement rate in `segment`. */
  posterior(segment: string, kind: string): { alpha: number; beta: number } {
    const g = this.global.get(kind) ?? { shown: 0, engaged: 0 };
    const pGlobal = (Math.min(g.engaged, g.shown) + 1) / (g.shown + 2);
    const m = this.opts.priorStrength;
    const s = this.segments.get(segment)?.get(kind) ?? { shown: 0, engaged: 0 };
    const engaged = Math.min(s.engaged, s.shown);
    return { alpha: 1 + m * pGlobal + engaged, beta: 1 + m * (1 - pGlobal) + (s.shown - engaged) };
  }

  /**
   * `rows` ordered by one Thompson draw per row (rows of the same kind share a posterior and keep
   * their template order among themselves).
   */
  order<T>(segment: string, rows: readonly T[], kindOf: (row: T) => string): T[] {
    const byKind = new Map<string, number[]>();
    rows.forEach((row, k) => {
      const list = byKind.get(kindOf(row));
      if (list) list.push(k);
      else byKind.set(kindOf(row), [k]);
    });
    const draw = new Float64Array(rows.length);
    for (const [kind, indexes] of byKind) {
      const { alpha, beta } = this.posterior(segment, kind);
      const draws = indexes.map(() => sampleBeta(alpha, beta, this.random)).sort((a, b) => b - a);
      indexes.forEach((k, j) => { draw[k] = draws[j]; });
    }
    return rows.map((row, k) => ({ row, k })).sort((a, b) => draw[b.k] - draw[a.k] || a.k - b.k).map((e) => e.row);
  }

  private segmentArms(segment: string): Map<string, ArmStats> {
    let arms = this.segments.get(segment);
    if (!arms) this.segments.set(segment, (arms = new Map()));
    return arms;
  }

  private arm(arms: Map<string, ArmStats>, kind: string): ArmStats {
    let stats = arms.get(kind);
    if (!stats) arms.set(kind, (stats = { shown: 0, engaged: 0 }));
    return stats;
  }
}
