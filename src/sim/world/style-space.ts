/**
 * The latent style space: vectors over the archetypes (one axis each), how to draw one, how an
 * archetype is picked from a mixture, and the affinity of a taste for a style. Items and members
 * live in the same space, so affinity is a plain dot product of unit vectors.
 */
import { LATENT_DIM, STYLE_ARCHETYPES, type WeightTable } from './archetypes.ts';
import type { Rng } from './rng.ts';

/** A weight table compiled for repeated sampling. */
export interface CompiledTable {
  values: string[];
  weights: Float64Array;
}

/** Compiles a `{value: weight}` table. */
export function compileTable(table: WeightTable): CompiledTable {
  const values = Object.keys(table);
  return { values, weights: Float64Array.from(values, (v) => table[v]) };
}

/** Share of each archetype, for picking a primary archetype. */
export const ARCHETYPE_SHARES = Float64Array.from(STYLE_ARCHETYPES, (a) => a.share);

/**
 * A unit mixture vector around a primary archetype: mostly the primary, sometimes a secondary, and a
 * little of everything (so no two archetypes are exactly orthogonal, as in real taste).
 */
export function mixtureVector(rng: Rng, primary: number, secondaryChance: number, spread: number): Float32Array {
  const v = new Float32Array(LATENT_DIM);
  const noise = rng.dirichlet(LATENT_DIM, 0.5);
  let main = 1 - spread;
  if (rng.chance(secondaryChance)) {
    let secondary = rng.int(LATENT_DIM - 1);
    if (secondary >= primary) secondary++;
    const share = rng.uniform(0.2, 0.4) * main;
    v[secondary] += share;
    main -= share;
  }
  v[primary] += main;
  for (let k = 0; k < LATENT_DIM; k++) v[k] += spread * noise[k];
  return normalize(v);
}

/** Scales a vector to unit length in place and returns it. */
export function normalize(v: Float32Array): Float32Array {
  let sq = 0;
  for (let k = 0; k < v.length; k++) sq += v[k] * v[k];
  const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  for (let k = 0; k < v.length; k++) v[k] *= inv;
  return v;
}

/** An archetype drawn in proportion to the squared weights of a unit style vector. */
export function drawArchetype(style: Float32Array, offset: number, rng: Rng): number {
  let r = rng.float();
  for (let k = 0; k < LATENT_DIM; k++) {
    const w = style[offset + k];
    r -= w * w;
    if (r < 0) return k;
  }
  return LATENT_DIM - 1;
}

/** Affinity of taste row `m` for style row `i`: the dot product of two unit vectors, in [0, 1]. */
export function affinity(taste: Float32Array, m: number, style: Float32Array, i: number): number {
  const a = m * LATENT_DIM;
  const b = i * LATENT_DIM;
  let dot = 0;
  for (let k = 0; k < LATENT_DIM; k++) dot += taste[a + k] * style[b + k];
  return dot;
}

/** The archetype with the largest weight in row `row` of a row-major matrix of latent vectors. */
export function dominantArchetype(vectors: Float32Array, row: number): number {
  let best = 0;
  for (let k = 1; k < LATENT_DIM; k++) if (vectors[row * LATENT_DIM + k] > vectors[row * LATENT_DIM + best]) best = k;
  return best;
}

/** Rounds to `digits` decimals so files stay small and byte-stable. */
export function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
