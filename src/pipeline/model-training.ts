/**
 * Batch training: read the store's positives, train each algorithm, write its artifact under
 * `<dataDir>/models/<version>/`, check that it loads back, and register it. The validation gate
 * (validation-gate.ts: a recent time split, against the active version and popularity) decides
 * activation: a version that fails to train, to load or to pass is registered as `rejected` with the
 * reason and its metrics, and never replaces the active one of its algorithm.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../core/config.ts';
import { VitrineError } from '../core/errors.ts';
import type { TrainContext } from '../ml/model.ts';
import { FIT_ALGORITHM } from '../ml/fit/fit-model-codec.ts';
import { getTrainer } from '../ml/registry.ts';
import type { ModelRecord, Store } from '../storage/store.ts';
import { demotedFor } from './registry-transitions.ts';
import { loadTrainingData, type TrainingData } from './training-data.ts';
import { ValidationGate, type GateOptions } from './validation-gate.ts';

/** What `vitrine train` and the demo train when no list is given. */
export const DEFAULT_TRAIN_ALGORITHMS = ['popularity', 'popularity-recent', 'item-knn', 'als', 'content', 'style-clusters', 'fit'];

export interface TrainModelsOptions {
  algorithms?: string[];
  params?: Record<string, Record<string, unknown>>;
  log?: (line: string) => void;
  onProgress?: (algorithm: string, fraction: number, label: string) => void;
  signal?: AbortSignal;
  clock?: () => number;
  /** the validation gate (default: DEFAULT_CONFIG.training.gate); false activates whatever trains */
  gate?: GateOptions | false;
}

/** A new version id: algorithm, UTC timestamp, and a short random suffix. */
export function newModelVersion(algorithm: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${algorithm}-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Trains, saves and registers each algorithm on the store's data; returns the registry records. */
export async function trainModels(store: Store, dataDir: string, opts: TrainModelsOptions = {}): Promise<ModelRecord[]> {
  const clock = opts.clock ?? Date.now;
  const log = opts.log ?? (() => undefined);
  const algorithms = opts.algorithms ?? DEFAULT_TRAIN_ALGORITHMS;
  for (const name of algorithms) getTrainer(name); // unknown names fail before any work
  const data = await loadTrainingData(store);
  if (data.interactions.users.length === 0) {
    throw new VitrineError('VITRINE_MODEL_EMPTY_DATA', `the store has no ${data.positiveTypes.join('/')} events to train on`);
  }
  log(`training on ${data.interactions.users.length.toLocaleString()} positives (${data.positiveTypes.join(', ')}), `
    + `${data.interactions.userIds.length.toLocaleString()} members, ${data.interactions.itemIds.length.toLocaleString()} items`);
  const gateOptions = opts.gate ?? DEFAULT_CONFIG.training.gate;
  const gate = gateOptions === false ? undefined : new ValidationGate(data, gateOptions);
  const records: ModelRecord[] = [];
  for (const algorithm of algorithms) records.push(await trainOne(store, dataDir, algorithm, data, gate, opts, clock, log));
  return records;
}

async function trainOne(store: Store, dataDir: string, algorithm: string, data: TrainingData, gate: ValidationGate | undefined,
  opts: TrainModelsOptions, clock: () => number, log: (line: string) => void): Promise<ModelRecord> {
  const createdAt = clock();
  const version = newModelVersion(algorithm, createdAt);
  const ts = data.interactions.ts;
  const record: ModelRecord = {
    version, algorithm, status: 'training', createdAt, metrics: {},
    dataFrom: ts.length ? ts.reduce((a, b) => Math.min(a, b), Infinity) : undefined,
    dataTo: ts.length ? ts.reduce((a, b) => Math.max(a, b), -Infinity) : undefined,
    params: opts.params?.[algorithm],
  };
  await store.putModel(record);
  const started = performance.now();
  try {
    const ctx: TrainContext = {
      signal: opts.signal,
      onProgress: (fraction, label) => opts.onProgress?.(algorithm, fraction, label),
    };
    // the fit model learns from every event with fit feedback (a return carries it), not from positives
    const input = algorithm === FIT_ALGORITHM ? { interactions: data.fitFeedback, items: data.fitItems } : { interactions: data.interactions, items: data.items };
    const model = await getTrainer(algorithm).train(input, opts.params?.[algorithm], ctx);
    const artifactPath = join('models', version);
    mkdirSync(join(dataDir, artifactPath), { recursive: true });
    await model.save(join(dataDir, artifactPath));
    await getTrainer(algorithm).load(join(dataDir, artifactPath)); // a corrupt write fails here, not in serving
    const seconds = (performance.now() - started) / 1000;
    const candidate: ModelRecord = { ...record, status: 'candidate', artifactPath, metrics: { trainSeconds: seconds } };
    await store.putModel(candidate);
    const active = (await store.listModels()).find((m) => m.algorithm === algorithm && m.status === 'active');
    opts.onProgress?.(algorithm, 1, 'validating');
    const verdict = gate ? await gate.judge(algorithm, opts.params?.[algorithm], active) : { passed: true, reason: 'no gate', metrics: {} };
    const metrics = { ...candidate.metrics, ...verdict.metrics };
    if (!verdict.passed) {
      const rejected: ModelRecord = { ...candidate, status: 'rejected', metrics, note: `validation gate: ${verdict.reason}` };
      await store.putModel(rejected);
      log(`${algorithm}: trained in ${seconds.toFixed(1)} s → ${version} rejected by the gate (${verdict.reason})`);
      return rejected;
    }
    const done: ModelRecord = { ...candidate, status: 'active', metrics, note: verdict.reason };
    await store.putModels([...demotedFor(await store.listModels(), algorithm, version), done]);
    log(`${algorithm}: trained in ${seconds.toFixed(1)} s → ${version} (active; ${verdict.reason})`);
    return done;
  } catch (err) {
    const reason = err instanceof VitrineError ? `${err.code}: ${err.message}` : String(err);
    const rejected: ModelRecord = { ...record, status: 'rejected', note: reason };
    await store.putModel(rejected);
    log(`${algorithm}: rejected — ${reason}`);
    return rejected;
  }
}
