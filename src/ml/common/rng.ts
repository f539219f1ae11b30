/** mulberry32: a tiny seeded generator of uniforms in [0, 1); enough for initialisations and sampling. */
export function seededUniform(seed: number): () => number {
  let s = (seed ^ Math.floor(seed / 4294967296)) >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
