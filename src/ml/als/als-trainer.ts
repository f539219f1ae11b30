/**
 * Trainer `als`: implicit-feedback matrix factorisation (Hu, Koren & Volinsky, "Collaborative Filtering
 * for Implicit Feedback Datasets", ICDM 2008), solved as implicit's AlternatingLeastSquares: conjugate
 * gradient by default, exact Cholesky solves on request, on up to two worker threads.
 */
import { VitrineError } from '../../core/errors.ts';
import { loadArtifact, type ArtifactLoadOptions } from '../artifact.ts';
import { assertInteractions, throwIfAborted, trainingManifest } from '../common/train-input.ts';
import type { Model, Trainer, TrainContext, TrainInput } from '../model.ts';
import { ALS_FORMAT_VERSION, AlsModel } from './als-model.ts';
import { buildConfidenceMatrices } from './confidence-matrices.ts';
import { fitAls, threadsFor, type AlsFitHooks } from './fit.ts';
import { ALS_DEFAULTS, resolveAlsParams, type AlsParams } from './params.ts';
import { usesSimd } from './placement.ts';

/** Trains an ALS model; `hooks.onIteration` sees the factors after every iteration (tests, benchmarks). */
export async function trainAls(
  input: TrainInput, params?: Partial<AlsParams>, ctx: TrainContext = {}, onIteration?: AlsFitHooks['onIteration'],
): Promise<AlsModel> {
  const p = resolveAlsParams(params);
  const data = input.interactions;
  assertInteractions('als', data);
  throwIfAborted('als', ctx.signal);
  const matrices = buildConfidenceMatrices(data, p.alpha);
  if (matrices.byUser.indices.length === 0) {
    throw new VitrineError('VITRINE_MODEL_EMPTY_DATA', 'als: no interaction has a positive weight');
  }
  const threads = threadsFor(matrices, p);
  const factors = await fitAls(matrices, p, threads, { signal: ctx.signal, onProgress: ctx.onProgress, onIteration });
  const manifest = trainingManifest('als', ALS_FORMAT_VERSION, p, data, {
    threads, simd: usesSimd(matrices, p), nnz: matrices.byUser.indices.length,
  });
  return new AlsModel(manifest, data.itemIds, data.userIds, factors.userFactors, factors.itemFactors);
}

export const alsTrainer: Trainer<AlsParams> = {
  algorithm: 'als',
  defaults: ALS_DEFAULTS,
  resolveParams: resolveAlsParams,
  train(input: TrainInput, params?: Partial<AlsParams>, ctx?: TrainContext): Promise<Model> {
    return trainAls(input, params, ctx);
  },
  async load(dir: string, opts?: ArtifactLoadOptions): Promise<Model> {
    return AlsModel.fromArtifact(await loadArtifact(dir, 'als', ALS_FORMAT_VERSION, opts));
  },
};
