/**
 * ROC AUC: the probability that a random positive scores above a random negative, ties counting one
 * half — computed with the Mann–Whitney rank sum, tied scores sharing their average rank.
 */

/** AUC of `scores` against binary `positive` flags; NaN when there is no positive or no negative. */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean | number>): number {
  const n = scores.length;
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  order.sort((a, b) => scores[a] - scores[b]);
  let nPos = 0;
  let rankSumPos = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]] === scores[order[start]]) end++;
    // ranks start+1 … end share their average
    const avgRank = (start + 1 + end) / 2;
    for (let j = start; j < end; j++) {
      if (positive[order[j]]) {
        nPos++;
        rankSumPos += avgRank;
      }
    }
    start = end;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * One-vs-rest AUC of each class from row-major class probabilities (`probs[k·nClasses + c]`) and
 * labels 0…nClasses−1, plus their mean (the fit protocol's metric).
 */
export function oneVsRestAuc(
  probs: ArrayLike<number>, labels: ArrayLike<number>, nClasses: number,
): { perClass: number[]; mean: number } {
  const n = labels.length;
  const perClass: number[] = [];
  const column = new Float64Array(n);
  const isClass = new Uint8Array(n);
  for (let c = 0; c < nClasses; c++) {
    for (let k = 0; k < n; k++) {
      column[k] = probs[k * nClasses + c];
      isClass[k] = labels[k] === c ? 1 : 0;
    }
    perClass.push(rocAuc(column, isClass));
  }
  return { perClass, mean: perClass.reduce((a, b) => a + b, 0) / nClasses };
}
