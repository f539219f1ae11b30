/**
 * Training parameters: defaults merged with overrides, every override checked against the type of its
 * default and a per-algorithm rule, so a typo or a negative λ fails loudly (VITRINE_MODEL_BAD_PARAMS).
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

/** Rule: a number ≥ 0. */
export const nonNegative: ParamRule = (v) => (typeof v === 'number' && v >= 0 ? undefined : 'must be ≥ 0');

/** Rule: one of `choices`. */
export const oneOf = (...choices: string[]): ParamRule => (v) =>
  typeof v === 'string' && choices.includes(v) ? undefined : `must be one of ${choices.join(', ')}`;
