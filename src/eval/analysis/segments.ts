/**
 * Metrics per member segment, with bootstrap intervals within each bucket. The buckets (documented in
 * docs/validation.md) are fixed, so that reports on different data read alike:
 * - tenure: distinct train items 1 | 2–3 | 4–9 | 10+
 * - recency: days since the last train interaction at the end of train ≤ 30 | 31–90 | 91–365 | > 365
 * - size: the most rented train size; numeric sizes in ranges 0–4 | 5–8 | 9–12 | 13–16 | 17–24 | 25+,
 *   other labels as themselves (the 5 most common, the rest "other"); "unknown" without a size
 * - held out: relevant items 1 | 2 | 3–5 | 6+
 */
import { RANKING_METRICS, type RankingMetric, type UserMetricVectors } from '../metrics/per-user.ts';
import { bootstrapMean, type BootstrapOptions, type Interval } from '../stats/bootstrap.ts';
import type { MemberProfiles } from './member-profiles.ts';

export interface Segmentation {
  name: 'tenure' | 'recency' | 'size' | 'heldOut';
  /** what the buckets count, for axis labels */
  label: string;
  buckets: string[];
  /** bucket index of each member (aligned with split.users), −1 = none */
  bucketOf: Int32Array;
}

export interface SegmentBucketResult {
  bucket: string;
  members: number;
  /** per algorithm, per metric */
  metrics: Record<string, Record<RankingMetric, Interval>>;
}

export interface SegmentResult {
  name: Segmentation['name'];
  label: string;
  buckets: SegmentBucketResult[];
}

/** Bucket index by upper bounds: the first j with value ≤ upper[j], else the last bucket. */
function byUpperBounds(values: ArrayLike<number>, upper: number[]): Int32Array {
  return Int32Array.from(values as ArrayLike<number>, (v) => {
    if (Number.isNaN(v)) return -1;
    const j = upper.findIndex((u) => v <= u);
    return j < 0 ? upper.length : j;
  });
}

/** The four segmentations of the file comment. */
export function segmentations(p: MemberProfiles): Segmentation[] {
  return [
    { name: 'tenure', label: 'distinct train items', buckets: ['1', '2–3', '4–9', '10+'], bucketOf: byUpperBounds(p.trainItems, [1, 3, 9]) },
    {
      name: 'recency', label: 'days since last train interaction', buckets: ['≤ 30', '31–90', '91–365', '> 365'],
      bucketOf: byUpperBounds(p.daysSinceLast, [30, 90, 365]),
    },
    sizeSegmentation(p.size),
    { name: 'heldOut', label: 'relevant test items', buckets: ['1', '2', '3–5', '6+'], bucketOf: byUpperBounds(p.heldOut, [1, 2, 5]) },
  ];
}

function sizeSegmentation(sizes: Array<string | undefined>): Segmentation {
  const known = sizes.filter((s): s is string => s !== undefined);
  const numeric = known.length > 0 && known.every((s) => /^\d+(\.\d+)?$/.test(s));
  if (numeric) {
    const buckets = ['0–4', '5–8', '9–12', '13–16', '17–24', '25+', 'unknown'];
    const idx = byUpperBounds(sizes.map((s) => (s === undefined ? Number.NaN : Number(s))), [4, 8, 12, 16, 24]);
    return { name: 'size', label: 'most rented size', buckets, bucketOf: idx.map((j) => (j < 0 ? buckets.length - 1 : j)) };
  }
  const counts = new Map<string, number>();
  for (const s of known) counts.set(s, (counts.get(s) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([s]) => s);
  const buckets = [...top, 'other', 'unknown'];
  const bucketOf = Int32Array.from(sizes, (s) => (s === undefined ? buckets.length - 1 : top.includes(s) ? top.indexOf(s) : top.length));
  return { name: 'size', label: 'most rented size', buckets, bucketOf };
}

/** Each algorithm's metrics per bucket (empty buckets are dropped). */
export function segmentMetrics(
  segs: Segmentation[], perUser: Record<string, UserMetricVectors>, opts: BootstrapOptions = {},
): SegmentResult[] {
  return segs.map((seg) => {
    const buckets: SegmentBucketResult[] = [];
    seg.buckets.forEach((bucket, b) => {
      const members: number[] = [];
      seg.bucketOf.forEach((x, m) => {
        if (x === b) members.push(m);
      });
      if (members.length === 0) return;
      const metrics: SegmentBucketResult['metrics'] = {};
      for (const [alg, v] of Object.entries(perUser)) {
        const row = {} as Record<RankingMetric, Interval>;
        for (const metric of RANKING_METRICS) row[metric] = bootstrapMean(members.map((m) => v[metric][m]), opts);
        metrics[alg] = row;
      }
      buckets.push({ bucket, members: members.length, metrics });
    });
    return { name: seg.name, label: seg.label, buckets };
  });
}
