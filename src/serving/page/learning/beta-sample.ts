/**
 * Draws from Beta(α, β) as X / (X + Y) with X ~ Gamma(α), Y ~ Gamma(β) (Marsaglia & Tsang 2000), from
 * an injected uniform source so that tests are deterministic.
 */

/** One standard normal draw (Box–Muller). */
function normal(random: () => number): number {
  let u = 0;
  while (u <= Number.EPSILON) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** One Gamma(shape, 1) draw, shape > 0. */
export function sampleGamma(shape: number, random: () => number): number {
  if (shape < 1) {
    // boost: Gamma(a) = Gamma(a + 1) · U^(1/a)
    let u = 0;
    while (u <= Number.EPSILON) u = random();
    return sampleGamma(shape + 1, random) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** One Beta(alpha, beta) draw. */
export function sampleBeta(alpha: number, beta: number, random: () => number): number {
  const x = sampleGamma(alpha, random);
  const y = sampleGamma(beta, random);
  return x + y > 0 ? x / (x + y) : 0.5;
}
