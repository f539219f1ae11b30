/** The rules of an experiment beyond its schema: weights, unique variant names, label length. */
import { VitrineError } from '../../core/errors.ts';
import { isValidId } from '../../core/ids.ts';
import type { ExperimentInput, ExperimentStatus, VariantConfigRecord } from '../../storage/store.ts';
import { variantLabel } from './resolve.ts';

export interface ExperimentBodyShape {
  variants: Array<{ name: string; weight: number; config?: VariantConfigRecord }>;
  status?: ExperimentStatus;
}

/** The stored form of a schema-checked body; throws VITRINE_EXPERIMENT_BAD_WEIGHTS or _INVALID. */
export function validateExperiment(experimentId: string, body: ExperimentBodyShape): ExperimentInput {
  let total = 0;
  for (const v of body.variants) {
    if (!Number.isFinite(v.weight) || v.weight < 0) {
      throw new VitrineError('VITRINE_EXPERIMENT_BAD_WEIGHTS', `variant "${v.name}" has weight ${v.weight}: weights must be finite and non-negative`);
    }
    total += v.weight;
  }
  if (!(total > 0)) {
    throw new VitrineError('VITRINE_EXPERIMENT_BAD_WEIGHTS', `the variant weights sum to ${total}: they must sum to a positive number`);
  }
  const seen = new Set<string>();
  for (const v of body.variants) {
    if (seen.has(v.name)) throw new VitrineError('VITRINE_EXPERIMENT_INVALID', `variant name "${v.name}" is used twice`);
    seen.add(v.name);
    // the label travels in events' context.variant, which must be a valid id
    if (!isValidId(variantLabel(experimentId, v.name))) {
      throw new VitrineError('VITRINE_EXPERIMENT_INVALID',
        `the variant label "${experimentId}:${v.name}" is over 128 characters: shorten the experiment id or the variant name`);
    }
  }
  return {
    status: body.status ?? 'draft',
    variants: body.variants.map((v) => ({ name: v.name, weight: v.weight, config: { ...(v.config ?? {}) } })),
  };
}
