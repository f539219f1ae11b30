/**
 * Training parameters: defaults merged with overrides, every override checked against the type of its
 * default and a per-algorithm rule, so a typo or a negative λ fails loudly (VITRINE_MODEL_BAD_PARAMS).
 * Every parameter that sets an amount of work or memory (iterations, factors, neighbours, rounds,
 * leaves, candidates, folds, threads) has a ceiling, so `iterations: 1e8` is refused before a job starts.
 */
import { VitrineError } from '../../core/errors.ts';

export type ParamValue = string | number | boolean;
/** Returns a reason when the value is not acceptable. */
export type ParamRule = (value: ParamValue) => string | undefined;

/** Merges `given` over `defaults`, refusing unknown keys, wrong types and values a rule rejects. */
export function resolveParams<P extends Record<string, ParamValue>>(
  algorithm: string,
  defaults: P,
  given: Partial<P> | undefined,
  rules: Partial<Record<keyof P, ParamRule>> = {},
): P {
  if (given !== undefined && given !== null && (typeof given !== 'object' || Array.isArray(given))) {
    throw new VitrineError('VITRINE_MODEL_BAD_PARAMS', `${algorithm}: parameters must be an object of name → value, got ${JSON.stringify(given)}`);
  }
  const out: Record<string, ParamValue> = { ...defaults };
  for (const [key, value] of Object.entries(given ?? {})) {
    if (value === undefined) continue;
    if (!Object.hasOwn(defaults, key)) {
      throw new VitrineError('VITRINE_MODEL_BAD_PARAMS',
        `${algorithm}: unknown parameter "${key}" (known: ${Object.keys(defaults).join(', ')})`);
    }
    if (typeof value !== typeof defaults[key] || (typeof value === 'number' && !Number.isFinite(value))) {
      throw new VitrineError('VITRINE_MODEL_BAD_PARAMS',
        `${algorithm}: parameter "${key}" must be a finite ${typeof defaults[key]}, got ${JSON.stringify(value)}`);
    }
    out[key] = value as ParamValue;
  }
  for (const [key, rule] of Object.entries(rules) as Array<[string, ParamRule | undefined]>) {
    const reason = rule?.(out[key]);
    if (reason !== undefined) {
      throw new VitrineError('VITRINE_MODEL_BAD_PARAMS', `${algorithm}: parameter "${key}" ${reason}, got ${JSON.stringify(out[key])}`);
    }
  }
  return out as P;
}

/** Rule: a number > 0 (and an integer when `integer`). */
export const positive = (integer = false): ParamRule => (v) =>
  typeof v === 'number' && v > 0 && (!integer || Number.isInteger(v)) ? undefined : `must be a positive ${integer ? 'integer' : 'number'}`;

/** Rule: an integer in [min, max] (the ceiling of a count of work: iterations, factors, rounds…). */
export const intIn = (min: number, max: number): ParamRule => (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? undefined : `must be an integer in ${min}..${max}`;

/** Rule: a number in (0, max]. */
export const positiveUpTo = (max: number): ParamRule => (v) =>
  typeof v === 'number' && v > 0 && v <= max ? undefined : `must be a number in (0, ${max}]`;

/** Rule: a seed, any safe integer. */
export const seedRule: ParamRule = intIn(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);

/** Ceilings shared by several algorithms (each far above what any run here has needed). */
export const CEILING = {
  /** worker threads */
  threads: 64,
  /** latent dimensions */
  factors: 1024,
  /** passes over the data (ALS, k-means, latent sizes) */
  iterations: 1000,
  /** boosting rounds */
  rounds: 10_000,
  /** leaves of one tree */
  leaves: 1024,
  /** neighbours, candidates, clusters, per-member negatives */
  neighbours: 10_000,
  /** vocabulary size of content features */
  features: 1_000_000,
  /** days of a window or half-life (100 years) */
  days: 36_500,
} as const;

/** Rule: a number ≥ 0. */
export const nonNegative: ParamRule = (v) => (typeof v === 'number' && v >= 0 ? undefined : 'must be ≥ 0');

/** Rule: one of `choices`. */
export const oneOf = (...choices: string[]): ParamRule => (v) =>
  typeof v === 'string' && choices.includes(v) ? undefined : `must be one of ${choices.join(', ')}`;
