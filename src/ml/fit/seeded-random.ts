/** Seeded randomness for the fit model: the library's mulberry32 stream and a shuffle over it. */
import { seededUniform } from '../common/rng.ts';

/** Uniform numbers in [0, 1), the same sequence for the same seed. */
export const seededRandom = seededUniform;

/** Fisher–Yates shuffle of `values` in place with `random`. */
export function shuffleInPlace(values: Int32Array, random: () => number): Int32Array {
  for (let j = values.length - 1; j > 0; j--) {
    const k = Math.floor(random() * (j + 1));
    const t = values[j];
    values[j] = values[k];
    values[k] = t;
  }
  return values;
}
