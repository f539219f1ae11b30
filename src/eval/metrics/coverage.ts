/** Catalogue coverage of a set of recommendation lists. */

/** Coverage = distinct items recommended to anyone (within the top K) / vocabulary size. */
export function catalogCoverage(lists: Iterable<readonly string[]>, vocabularySize: number, k = Infinity): number {
  if (vocabularySize <= 0) return Number.NaN;
  const seen = new Set<string>();
  for (const list of lists) for (let i = 0; i < Math.min(k, list.length); i++) seen.add(list[i]);
  return seen.size / vocabularySize;
}
