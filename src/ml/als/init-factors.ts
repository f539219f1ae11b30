/**
 * Seeded initial factors (implicit's choice: uniform in [0, 0.01)), drawn members first, then items,
 * from one stream, so a seed fixes the whole starting point.
 */
import { seededUniform } from '../common/rng.ts';

/** Fills `userFactors` then `itemFactors` with uniforms in [0, 0.01) from `seed`. */
export function initFactors(userFactors: Float32Array, itemFactors: Float32Array, seed: number): void {
  const next = seededUniform(seed);
  for (let j = 0; j < userFactors.length; j++) userFactors[j] = next() * 0.01;
  for (let j = 0; j < itemFactors.length; j++) itemFactors[j] = next() * 0.01;
}
