/**
 * The rules of an experiment beyond its schema: weights, unique variant names, label length, and
 * that what a variant names exists (a model that can serve, a page template), since a variant naming
 * nothing real would send every one of its pages down the fallback chain.
 */
import { VitrineError } from '../../core/errors.ts';
import { isValidId } from '../../core/ids.ts';
import { hasTrainer } from '../../ml/registry.ts';
import type { ExperimentInput, ExperimentStatus, ModelRecord, VariantConfigRecord } from '../../storage/store.ts';
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

export interface VariantReferences {
  /** the model registry */
  models: readonly ModelRecord[];
  /** true when a page template of this name exists (stored or built in) */
  templateExists: (name: string) => Promise<boolean>;
}

// the versions serving keeps loaded: a pinned version in any other state is never served
const SERVABLE: ReadonlySet<ModelRecord['status']> = new Set(['active', 'previous']);

/**
 * Checks what each variant names: a template that exists (VITRINE_EXPERIMENT_UNKNOWN_TEMPLATE); a
 * model that is an active or previous version, or a registered algorithm
 * (VITRINE_EXPERIMENT_UNKNOWN_MODEL otherwise). An algorithm with no active version is refused for a
 * running experiment and returned as a warning for a draft or stopped one (it can be trained first).
 */
export async function checkVariantReferences(input: ExperimentInput, refs: VariantReferences): Promise<string[]> {
  const warnings: string[] = [];
  for (const v of input.variants) {
    const { model, template } = v.config;
    if (template !== undefined && !(await refs.templateExists(template))) {
      throw new VitrineError('VITRINE_EXPERIMENT_UNKNOWN_TEMPLATE', `variant "${v.name}": no page template "${template}" (PUT /v1/pages/${template} first)`);
    }
    if (model === undefined) continue;
    const version = refs.models.find((m) => m.version === model);
    if (version) {
      if (!SERVABLE.has(version.status)) {
        throw new VitrineError('VITRINE_EXPERIMENT_UNKNOWN_MODEL',
          `variant "${v.name}": model version "${model}" is ${version.status}; only an active or previous version is served`);
      }
      continue;
    }
    if (!hasTrainer(model)) {
      throw new VitrineError('VITRINE_EXPERIMENT_UNKNOWN_MODEL', `variant "${v.name}": no algorithm or model version "${model}"`);
    }
    if (!refs.models.some((m) => m.algorithm === model && m.status === 'active')) {
      const message = `variant "${v.name}": algorithm "${model}" has no active version`;
      if (input.status === 'running') throw new VitrineError('VITRINE_EXPERIMENT_UNKNOWN_MODEL', `${message}: train it before the experiment runs`);
      warnings.push(`${message} yet: train it before the experiment runs`);
    }
  }
  return warnings;
}
