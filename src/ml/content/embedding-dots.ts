/**
 * acc[i] += embedding(i) · profileEmbedding for every item: the dense half of content scoring, and
 * most of its cost. Four rows at a time and four dimensions per step (each profile value loaded once
 * for the four rows) is ~2.6× the plain double loop in V8 (bench/results/content-scoring.md); each
 * row still adds its terms one by one in dimension order, so the sums are bit for bit the plain loop's.
 */
export function addEmbeddingDots(
  embeddings: Float32Array, n: number, d: number, profile: Float32Array, offset: number, acc: Float64Array,
): void {
  const p = profile.subarray(offset, offset + d);
  const d4 = d - (d % 4);
  let i = 0;
  let a = 0;
  for (; i + 3 < n; i += 4, a += 4 * d) {
    const b = a + d;
    const c = b + d;
    const f = c + d;
    let s = acc[i];
    let t = acc[i + 1];
    let u = acc[i + 2];
    let w = acc[i + 3];
    let e = 0;
    for (; e < d4; e += 4) {
      const p0 = p[e];
      const p1 = p[e + 1];
      const p2 = p[e + 2];
      const p3 = p[e + 3];
      s += embeddings[a + e] * p0; s += embeddings[a + e + 1] * p1; s += embeddings[a + e + 2] * p2; s += embeddings[a + e + 3] * p3;
      t += embeddings[b + e] * p0; t += embeddings[b + e + 1] * p1; t += embeddings[b + e + 2] * p2; t += embeddings[b + e + 3] * p3;
      u += embeddings[c + e] * p0; u += embeddings[c + e + 1] * p1; u += embeddings[c + e + 2] * p2; u += embeddings[c + e + 3] * p3;
      w += embeddings[f + e] * p0; w += embeddings[f + e + 1] * p1; w += embeddings[f + e + 2] * p2; w += embeddings[f + e + 3] * p3;
    }
    for (; e < d; e++) {
      s += embeddings[a + e] * p[e];
      t += embeddings[b + e] * p[e];
      u += embeddings[c + e] * p[e];
      w += embeddings[f + e] * p[e];
    }
    acc[i] = s;
    acc[i + 1] = t;
    acc[i + 2] = u;
    acc[i + 3] = w;
  }
  for (; i < n; i++, a += d) {
    let s = acc[i];
    for (let e = 0; e < d; e++) s += embeddings[a + e] * p[e];
    acc[i] = s;
  }
}
