/**
 * Algorithm name → trainer: the one place the CLI, the training pipeline, serving and evaluation look
 * algorithms up. A built-in algorithm is a line in BUILT_IN; code that brings its own (a simulation's
 * oracle) registers it with registerTrainer for as long as it needs it.
 */
import { VitrineError } from '../core/errors.ts';
import { alsTrainer } from './als/als-trainer.ts';
import { contentTrainer } from './content/content-trainer.ts';
import { easeTrainer } from './ease/ease.ts';
import { fitTrainer } from './fit/fit-trainer.ts';
import { hybridTrainer } from './hybrid/hybrid-trainer.ts';
import { itemKnnTrainer } from './item-knn/item-knn.ts';
import type { Trainer } from './model.ts';
import { conversionTrainer } from './popularity/conversion.ts';
import { popularityRecentTrainer, popularityTrainer } from './popularity/popularity-trainer.ts';
import { styleClustersTrainer } from './style-clusters/style-clusters.ts';

const BUILT_IN: ReadonlyArray<readonly [string, Trainer]> = [
  ['popularity', popularityTrainer],
  ['popularity-recent', popularityRecentTrainer],
  ['conversion', conversionTrainer],
  ['item-knn', itemKnnTrainer],
  ['ease', easeTrainer],
  ['als', alsTrainer],
  ['content', contentTrainer],
  ['style-clusters', styleClustersTrainer],
  ['hybrid', hybridTrainer],
  ['fit', fitTrainer],
];

const trainers = new Map<string, Trainer>(BUILT_IN);

/**
 * Registers `trainer` under its algorithm name; returns the function that unregisters it. A built-in
 * name cannot be taken (a programming error, thrown as such); registering a name again replaces it.
 */
export function registerTrainer(trainer: Trainer): () => void {
  const name = trainer.algorithm;
  if (BUILT_IN.some(([builtIn]) => builtIn === name)) throw new Error(`"${name}" is a built-in algorithm: it cannot be registered again`);
  trainers.set(name, trainer);
  return () => {
    if (trainers.get(name) === trainer) trainers.delete(name);
  };
}

/** Whether `name` is a registered algorithm. */
export function hasTrainer(name: string): boolean {
  return trainers.has(name);
}

/** Every registered trainer by algorithm name, built-ins first. */
export function registeredTrainers(): ReadonlyMap<string, Trainer> {
  return trainers;
}

/** The registered algorithm names. */
export function algorithmNames(): string[] {
  return [...trainers.keys()];
}

/**
 * Checks a training request before any work: every algorithm named (to train, or in `params`) exists
 * and its parameters are within their bounds. Throws VITRINE_MODEL_UNKNOWN_ALGORITHM or _BAD_PARAMS.
 * The API (before a job is created) and `vitrine train` both call it.
 */
export function checkTrainingRequest(algorithms: readonly string[], params?: Readonly<Record<string, unknown>>): void {
  if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
    throw new VitrineError('VITRINE_MODEL_BAD_PARAMS', 'params must be an object of algorithm → parameters');
  }
  for (const name of new Set([...algorithms, ...Object.keys(params ?? {})])) {
    const given = params && Object.hasOwn(params, name) ? params[name] : undefined;
    getTrainer(name).resolveParams(given as Record<string, unknown> | undefined);
  }
}

/** The trainer of `name`; VITRINE_MODEL_UNKNOWN_ALGORITHM (listing the valid names) otherwise. */
export function getTrainer(name: string): Trainer {
  const trainer = trainers.get(name);
  if (!trainer) {
    throw new VitrineError('VITRINE_MODEL_UNKNOWN_ALGORITHM', `unknown algorithm "${name}"; valid: ${algorithmNames().join(', ')}`, {
      valid: algorithmNames(),
    });
  }
  return trainer;
}
