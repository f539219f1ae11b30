/** One member's top K through the public Model API, as the evaluation asks for it. */
import { VitrineError } from '../core/errors.ts';
import type { Model } from '../ml/model.ts';

/**
 * The member's top `k` item ids asked at `asOf` (the evaluation's clock for them), their train items
 * excluded; undefined when the model does not know them.
 */
export function recommendFor(model: Model, userId: string, trainItems: ReadonlySet<string>, k: number, asOf?: number): string[] | undefined {
  try {
    return model.recommend({ userId }, k, { exclude: trainItems, asOf }).slice(0, k).map((r) => r.itemId);
  } catch (err) {
    if (err instanceof VitrineError && err.code === 'VITRINE_MODEL_UNKNOWN_USER') return undefined;
    throw err;
  }
}
