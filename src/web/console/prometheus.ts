/** Reading the server's /metrics (Prometheus text format) into what the Live screen shows. */

export interface Sample { name: string; labels: Map<string, string>; value: number }

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample of an exposition text; comments and malformed lines are skipped. */
export function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels = new Map<string, string>();
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels.set(l[1], l[2].replace(/\\(.)/g, '$1'));
    const value = m[3] === '+Inf' ? Infinity : Number(m[3]);
    if (!Number.isNaN(value)) out.push({ name: m[1], labels, value });
  }
  return out;
}

/** The sum of a metric's samples whose labels match `where`. */
export function total(samples: readonly Sample[], name: string, where: ReadonlyArray<[string, string]> = []): number {
  return samples.filter((s) => s.name === name && where.every(([k, v]) => s.labels.get(k) === v)).reduce((sum, s) => sum + s.value, 0);
}

/**
 * A quantile of a histogram from its cumulative buckets (summed over other labels), interpolated
 * linearly inside the bucket as Prometheus' histogram_quantile does; undefined with no observations.
 */
export function histogramQuantile(samples: readonly Sample[], name: string, q: number, where: ReadonlyArray<[string, string]> = []): number | undefined {
  const byBound = new Map<number, number>();
  for (const s of samples) {
    if (s.name !== `${name}_bucket` || !where.every(([k, v]) => s.labels.get(k) === v)) continue;
    const le = s.labels.get('le');
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    byBound.set(bound, (byBound.get(bound) ?? 0) + s.value);
  }
  const buckets = [...byBound].sort((a, b) => a[0] - b[0]);
  const count = buckets.at(-1)?.[1] ?? 0;
  if (count === 0) return undefined;
  const rank = q * count;
  let prevBound = 0;
  let prevCount = 0;
  for (const [bound, cumulative] of buckets) {
    if (cumulative >= rank) {
      if (bound === Infinity) return prevBound;
      const inBucket = cumulative - prevCount;
      return inBucket === 0 ? bound : prevBound + (bound - prevBound) * ((rank - prevCount) / inBucket);
    }
    prevBound = bound;
    prevCount = cumulative;
  }
  return prevBound;
}
