/** A ranker's forest as artifact payloads (`forest.*`, or another prefix), checked on the way back in. */
import { VitrineError } from '../../core/errors.ts';
import { payloadOf, type LoadedArtifact, type Payloads } from '../artifact.ts';
import type { Forest } from '../fit/gbdt/forest.ts';

/** The forest's arrays as payloads. */
export function forestPayloads(forest: Forest, prefix = 'forest'): Payloads {
  return {
    [`${prefix}.shape`]: Int32Array.of(forest.nClasses, forest.nFeatures),
    [`${prefix}.base`]: forest.base,
    [`${prefix}.treeRoot`]: forest.treeRoot,
    [`${prefix}.nodeFeature`]: forest.nodeFeature,
    [`${prefix}.nodeThreshold`]: forest.nodeThreshold,
    [`${prefix}.nodeNanLeft`]: forest.nodeNanLeft,
    [`${prefix}.nodeLeft`]: forest.nodeLeft,
    [`${prefix}.nodeRight`]: forest.nodeRight,
    [`${prefix}.nodeValue`]: forest.nodeValue,
  };
}

/** The forest saved by `forestPayloads`; VITRINE_MODEL_ARTIFACT_CORRUPT when a node points outside it. */
export function forestFromPayloads(loaded: LoadedArtifact, nFeatures: number, prefix = 'forest'): Forest {
  const [nClasses, nF] = payloadOf(loaded, `${prefix}.shape`, Int32Array, 2);
  const nodeFeature = payloadOf(loaded, `${prefix}.nodeFeature`, Int32Array);
  const n = nodeFeature.length;
  const forest: Forest = {
    nClasses, nFeatures: nF,
    base: payloadOf(loaded, `${prefix}.base`, Float64Array, 1),
    treeRoot: payloadOf(loaded, `${prefix}.treeRoot`, Int32Array),
    nodeFeature,
    nodeThreshold: payloadOf(loaded, `${prefix}.nodeThreshold`, Float64Array, n),
    nodeNanLeft: payloadOf(loaded, `${prefix}.nodeNanLeft`, Uint8Array, n),
    nodeLeft: payloadOf(loaded, `${prefix}.nodeLeft`, Int32Array, n),
    nodeRight: payloadOf(loaded, `${prefix}.nodeRight`, Int32Array, n),
    nodeValue: payloadOf(loaded, `${prefix}.nodeValue`, Float64Array, n),
  };
  const inRange = (x: number): boolean => x >= 0 && x < n;
  let ok = nClasses === 1 && nF === nFeatures && forest.treeRoot.every(inRange);
  for (let k = 0; ok && k < n; k++) {
    const f = nodeFeature[k];
    // children come after their parent, so a walk always ends at a leaf
    ok = f < 0 || (f < nF && inRange(forest.nodeLeft[k]) && inRange(forest.nodeRight[k]) && forest.nodeLeft[k] > k && forest.nodeRight[k] > k);
  }
  if (!ok) throw new VitrineError('VITRINE_MODEL_ARTIFACT_CORRUPT', 'hybrid: the forest payloads are inconsistent');
  return forest;
}
