/** Grown trees (bin thresholds, tree-local node indexes) as one flat Forest of raw-value thresholds. */
import type { Binner } from './binning.ts';
import type { Forest } from './forest.ts';
import type { GrownTree } from './grow-tree.ts';

/** `trees` in order (tree t of class c at t·K + c) as a Forest with K classes over F features. */
export function flattenTrees(trees: readonly GrownTree[], binner: Binner, base: Float64Array, K: number, F: number): Forest {
  let total = 0;
  for (const t of trees) total += t.feature.length;
  const forest: Forest = {
    nClasses: K, nFeatures: F, base, treeRoot: new Int32Array(trees.length),
    nodeFeature: new Int32Array(total), nodeThreshold: new Float64Array(total), nodeNanLeft: new Uint8Array(total),
    nodeLeft: new Int32Array(total), nodeRight: new Int32Array(total), nodeValue: new Float64Array(total),
  };
  let at = 0;
  trees.forEach((t, j) => {
    forest.treeRoot[j] = at;
    for (let node = 0; node < t.feature.length; node++) {
      const f = t.feature[node];
      forest.nodeFeature[at + node] = f;
      // bin b holds values ≤ upper[b − 1]
      forest.nodeThreshold[at + node] = f >= 0 ? binner.upper[f][t.thresholdBin[node] - 1] : 0;
      forest.nodeNanLeft[at + node] = t.nanLeft[node] ? 1 : 0;
      forest.nodeLeft[at + node] = f >= 0 ? at + t.left[node] : -1;
      forest.nodeRight[at + node] = f >= 0 ? at + t.right[node] : -1;
      forest.nodeValue[at + node] = t.value[node];
    }
    at += t.feature.length;
  });
  return forest;
}
