/**
 * `--variants control=popularity,treatment=hybrid`: each variant is a name and the algorithm its
 * `for-you` row is served by (the experiment variant's `config.model`). Names become experiment
 * variant names, so they follow the id rules; algorithms are the registered trainers plus the
 * simulation-only `oracle` and `random` (sim-models.ts).
 */
import { VitrineError } from '../../core/errors.ts';
import { algorithmNames } from '../../ml/registry.ts';
import { SIM_ONLY_ALGORITHMS } from './sim-models.ts';

export interface VariantSpec {
  name: string;
  algorithm: string;
}

const NAME = /^[A-Za-z0-9._-]{1,40}$/;

/** Algorithms a variant may name: every registered trainer, then the simulation-only ones. */
export function simulationAlgorithms(): string[] {
  return [...new Set([...algorithmNames(), ...SIM_ONLY_ALGORITHMS])];
}

/**
 * Parses a variants list. Malformed → VITRINE_SIM_BAD_VARIANTS saying what is wrong; an unknown
 * algorithm → VITRINE_MODEL_UNKNOWN_ALGORITHM listing the valid ones.
 */
export function parseVariants(spec: string): VariantSpec[] {
  const bad = (why: string): never => {
    throw new VitrineError('VITRINE_SIM_BAD_VARIANTS', `--variants "${spec}": ${why} (expected e.g. control=popularity,treatment=hybrid)`);
  };
  const parts = spec.split(',').map((p) => p.trim());
  if (spec.trim() === '' || parts.some((p) => p === '')) bad('empty entry');
  const valid = simulationAlgorithms();
  const out: VariantSpec[] = [];
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1 || part.indexOf('=', eq + 1) >= 0) bad(`"${part}" is not name=algorithm`);
    const name = part.slice(0, eq).trim();
    const algorithm = part.slice(eq + 1).trim();
    if (!NAME.test(name)) bad(`variant name "${name}" must be 1-40 characters of [A-Za-z0-9._-]`);
    if (out.some((v) => v.name === name)) bad(`variant name "${name}" is used twice`);
    if (!valid.includes(algorithm)) {
      throw new VitrineError('VITRINE_MODEL_UNKNOWN_ALGORITHM', `--variants: unknown algorithm "${algorithm}" for variant "${name}"; valid: ${valid.join(', ')}`, { valid });
    }
    out.push({ name, algorithm });
  }
  if (out.length < 2) bad('a simulation compares at least two variants');
  return out;
}
