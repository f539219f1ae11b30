/**
 * Fault injection, for tests and demonstrations only: `VITRINE_FAULT=model-throw|model-hang|model-corrupt`
 * makes every serving model (the current version of each algorithm; previous versions stay sound, so
 * the fallback chain has somewhere to go) fail in one way, so anyone can watch the deadlines and the
 * fallback chain work from outside. Off unless the variable is set. See docs/operations.md.
 */
import { VitrineError } from '../../core/errors.ts';
import type { Model, RecommendOptions, ScoredItem, UserQuery } from '../../ml/model.ts';

export const FAULT_MODES = ['model-throw', 'model-hang', 'model-corrupt'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

/** The fault named by VITRINE_FAULT, undefined when unset; VITRINE_CONFIG_INVALID for an unknown value. */
export function faultFromEnv(env: NodeJS.ProcessEnv = process.env): FaultMode | undefined {
  const value = env.VITRINE_FAULT?.trim();
  if (!value) return undefined;
  if (!(FAULT_MODES as readonly string[]).includes(value)) {
    throw new VitrineError('VITRINE_CONFIG_INVALID', `VITRINE_FAULT="${value}": expected one of ${FAULT_MODES.join(', ')}`);
  }
  return value as FaultMode;
}

/** Item ids no catalogue has: what a corrupt model "recommends". */
export const CORRUPT_ITEM_PREFIX = 'vitrine-fault-unknown-';

/**
 * `model` failing as `mode` says:
 * - model-throw: every prediction throws VITRINE_INTERNAL_ERROR;
 * - model-hang: every prediction returns a promise that never settles, in place of its value. The
 *   model API is synchronous and a truly blocking call would freeze the whole server, so serving
 *   awaits each model call under its deadline (awaiting a plain value costs nothing) and sees a hang;
 * - model-corrupt: lists with NaN/±Infinity scores and item ids no catalogue has, NaN scores, NaN vectors.
 */
export function withFault(model: Model, mode: FaultMode): Model {
  const fail = (what: string): never => {
    throw new VitrineError('VITRINE_INTERNAL_ERROR', `fault injected (VITRINE_FAULT=model-throw): ${model.algorithm}.${what}`);
  };
  const never = <T>(): T => new Promise<never>(() => undefined) as unknown as T;
  const faulty: Model = {
    algorithm: model.algorithm,
    manifest: model.manifest,
    save: (dir) => model.save(dir),
    recommend(user: UserQuery, n: number, opts?: RecommendOptions): ScoredItem[] {
      if (mode === 'model-throw') return fail('recommend');
      if (mode === 'model-hang') return never();
      return corruptList(model.recommend(user, n, opts), n);
    },
    similar(itemId: string, n: number, opts?: RecommendOptions): ScoredItem[] {
      if (mode === 'model-throw') return fail('similar');
      if (mode === 'model-hang') return never();
      return corruptList(model.similar(itemId, n, opts), n);
    },
    score(user: UserQuery, itemIds: readonly string[]): Float32Array {
      if (mode === 'model-throw') return fail('score');
      if (mode === 'model-hang') return never();
      return new Float32Array(itemIds.length).fill(NaN);
    },
  };
  if (model.foldIn) {
    faulty.foldIn = (interactions) => {
      if (mode === 'model-throw') return fail('foldIn');
      if (mode === 'model-hang') return never();
      return new Float32Array(model.foldIn?.(interactions).length ?? 1).fill(NaN);
    };
  }
  return faulty;
}

/** Garbage shaped like an answer: unknown ids mixed with real ones, and scores no real model gives. */
function corruptList(real: readonly ScoredItem[], n: number): ScoredItem[] {
  const out: ScoredItem[] = [];
  const bad = [NaN, Infinity, -Infinity];
  for (let k = 0; k < Math.max(1, n); k++) {
    out.push(k % 2 === 0 || k >= real.length
      ? { itemId: `${CORRUPT_ITEM_PREFIX}${k}`, score: bad[k % bad.length] }
      : { itemId: real[k].itemId, score: bad[k % bad.length] });
  }
  return out;
}
