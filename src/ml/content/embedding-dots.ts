/**
 * acc[i] += embedding(i) · profileEmbedding for every item: the dense half of content scoring, and
 * most of its cost. Two rows at a time and four dimensions per step (the profile values loaded once
 * for both rows) is ~2× the plain double loop in V8; each row still adds its terms one by one in
 * dimension order, so the sums are bit for bit those of the plain loop.
 */
export function addEmbeddingDots(
  embeddings: Float32Array, n: number, d: number, profile: Float32Array, offset: number, acc: Float64Array,
): void {
  const p = profile.subarray(offset, offset + d);
  const d4 = d - (d % 4);
  let i = 0;
  let a = 0;
  for (; i + 1 < n; i += 2, a += 2 * d) {
    const b = a + d;
    let s = acc[i];
    let t = acc[i + 1];
    let e = 0;
    for (; e < d4; e += 4) {
      const p0 = p[e];
      const p1 = p[e + 1];
      const p2 = p[e + 2];
      const p3 = p[e + 3];
      s += embeddings[a + e] * p0; s += embeddings[a + e + 1] * p1; s += embeddings[a + e + 2] * p2; s += embeddings[a + e + 3] * p3;
      t += embeddings[b + e] * p0; t += embeddings[b + e + 1] * p1; t += embeddings[b + e + 2] * p2; t += embeddings[b + e + 3] * p3;
    }
    for (; e < d; e++) {
      s += embeddings[a + e] * p[e];
      t += embeddings[b + e] * p[e];
    }
    acc[i] = s;
    acc[i + 1] = t;
  }
  for (; i < n; i++, a += d) {
    let s = acc[i];
    for (let e = 0; e < d; e++) s += embeddings[a + e] * p[e];
    acc[i] = s;
  }
}
