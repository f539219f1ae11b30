/**
 * A small seeded generator for resampling (mulberry32): deterministic by seed, so that a report's
 * intervals are reproducible, and independent of the simulator's own streams.
 */

/** Returns a function giving uniform floats in [0, 1), the same sequence for the same seed. */
export function seededUniform(seed: number): () => number {
  let a = (seed >>> 0) ^ 0x6d2b79f5;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
