/**
 * A rank blend of the learned forest with one component ranking (issue 21: the hybrid ranks by its
 * best component "or a blend"). Within one member's candidates each item's place under the forest and
 * under the component (0 = first; ties share their mean place; a component's NaN ranks last) are mixed,
 * (1 − weight) · forest place + weight · component place, and the lower mix ranks first. Places, not
 * scores: the forest's log-odds and a component's counts have no common scale. A small weight on a
 * strong deterministic component shrinks the forest's seed-to-seed noise towards it (guard.ts tunes it).
 */
import type { ComponentRanking } from './guard.ts';

export interface Blend {
  component: ComponentRanking;
  /** the component's share of the mixed place, in (0, 1) */
  weight: number;
}

/** the component weights the guard tries (small: the forest is the stronger ranker on RTR) */
export const BLEND_WEIGHTS = [0.1, 0.2, 0.3, 0.5] as const;

/**
 * Blended scores of rows [start, end) (one member's candidates) of `forest` and `component` into
 * `out` (same indexes): minus the mixed place, so that higher is better like every other score.
 */
export function blendInto(forest: Float64Array, component: Float64Array, weight: number, start: number, end: number, out: Float64Array): void {
  const a = places(forest, start, end);
  const b = places(component, start, end);
  for (let k = start; k < end; k++) out[k] = -((1 - weight) * a[k - start] + weight * b[k - start]);
}

/** Each row's place in [start, end) by descending score, NaN last, ties at their mean place. */
export function places(scores: Float64Array, start: number, end: number): Float64Array {
  const n = end - start;
  const key = (k: number): number => (Number.isNaN(scores[start + k]) ? -Infinity : scores[start + k]);
  const order = Int32Array.from({ length: n }, (_, k) => k).sort((x, y) => key(y) - key(x) || x - y);
  const out = new Float64Array(n);
  for (let r = 0; r < n; ) {
    let s = r;
    while (s + 1 < n && key(order[s + 1]) === key(order[r])) s++;
    for (let t = r; t <= s; t++) out[order[t]] = (r + s) / 2;
    r = s + 1;
  }
  return out;
}

/** True for a blend read back from a manifest. */
export function isBlend(x: unknown, isComponent: (name: unknown) => boolean): x is Blend {
  if (typeof x !== 'object' || x === null) return false;
  const b = x as Record<string, unknown>;
  return isComponent(b.component) && typeof b.weight === 'number' && b.weight > 0 && b.weight < 1;
}
