/**
 * Retrieval at catalogue scale (ADR 0005): when a loaded model can carry an ANN index (its `ann`
 * ability, ml/model-abilities.ts: today ALS) and ranks at least `minItems` items, the index is built and
 * calibrated as the model loads — before serving points at it, like the checksum check — so no request
 * pays for it. Below the threshold the model is left exact. Rows opt in with `approximate: true`.
 * TODO(latency): the build (~1 s at 20k items) runs on the serving thread; on a hot swap after
 * training that is one stall of about a second. Building it in the training worker (or persisting it
 * in the artifact) would remove the stall.
 */
import type { Model } from '../../ml/model.ts';
import { annOf } from '../../ml/model-abilities.ts';

export interface AnnRetrievalOptions {
  minItems: number;
  targetRecall: number;
}

/** Attaches an ANN index to `model` when it applies; returns a line for the log, or undefined. */
export function prepareRetrieval(model: Model, version: string, opts: AnnRetrievalOptions | undefined): string | undefined {
  const capable = opts && annOf(model);
  if (!opts || !capable || capable.items.length < opts.minItems) return undefined;
  const r = capable.attachAnnIndex({ targetRecall: opts.targetRecall, k: 20 });
  return `model ${version}: ANN index over ${capable.items.length} items, ${r.lists} lists, ${r.probes} probed ` +
    `(${(r.scannedFraction * 100).toFixed(1)}% scanned), recall@20 ${r.recall.toFixed(3)} vs exact, built in ${r.buildMs} ms`;
}
