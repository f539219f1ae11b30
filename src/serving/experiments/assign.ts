/**
 * Deterministic assignment of members to experiment variants: a stable hash of
 * `${experimentId}:${userId}` mapped onto the variants' cumulative weights. The same member always
 * lands in the same variant of an experiment (on every node, after every restart), and salting with
 * the experiment id makes assignments in different experiments independent.
 */
import type { ExperimentVariant } from '../../storage/store.ts';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bits, over the string's UTF-16 code units (the bytes, for ASCII ids). */
export function fnv1a32(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** MurmurHash3's finaliser: FNV-1a's high bits barely move when only the last character changes ("u1", "u2"…). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) fixed by the experiment and the member. */
export function assignmentPoint(experimentId: string, userId: string): number {
  return fmix32(fnv1a32(`${experimentId}:${userId}`)) / 0x1_0000_0000;
}

/** The member's variant: the one whose share of the cumulative weights holds the member's point. */
export function assignVariant<V extends Pick<ExperimentVariant, 'weight'>>(
  userId: string, experiment: { id: string; variants: readonly V[] },
): V | undefined {
  let total = 0;
  for (const v of experiment.variants) if (v.weight > 0) total += v.weight;
  if (!(total > 0)) return undefined;
  const target = assignmentPoint(experiment.id, userId) * total;
  let cumulative = 0;
  let last: V | undefined;
  for (const v of experiment.variants) {
    if (!(v.weight > 0)) continue;
    cumulative += v.weight;
    last = v;
    if (target < cumulative) return v;
  }
  return last; // rounding at the top end
}
