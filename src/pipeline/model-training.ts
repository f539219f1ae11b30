/**
 * Batch training: read the store's positives, train each algorithm, write its artifact under
 * `<dataDir>/models/<version>/`, check that it loads back, and register it. The validation gate
 * (validation-gate.ts: a recent time split, against the active version and popularity) decides
 * activation: a version that fails to train, to load or to pass is registered as `rejected` with the
 * reason and its metrics, and never replaces the active one of its algorithm. An aborted run (`signal`:
 * a cancelled job) marks the version it was training `failed`, never active, and trains nothing more;
 * versions it finished before the abort keep their status.
 * Then the gate's scores crown the champion (champion.ts): the top-N ranker that fills `for-you`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../core/config.ts';
import { VitrineError } from '../core/errors.ts';
import type { TrainContext } from '../ml/model.ts';
import { FIT_ALGORITHM } from '../ml/fit/fit-model-codec.ts';
import { checkTrainingRequest, getTrainer } from '../ml/registry.ts';
import type { ModelRecord, Store } from '../storage/store.ts';
import { trainingLockOf } from '../storage/training-lock.ts';
import { collectArtifacts } from './artifact-gc.ts';
import { crownChampion } from './champion.ts';
import { publishArtifact } from './shared-artifacts.ts';
import { demotedFor } from './registry-transitions.ts';
import { loadTrainingData, type PositivesConfig, type TrainingData } from './training-data.ts';
import { ValidationGate, type GateOptions } from './validation-gate.ts';

/**
 * What `vitrine train`, POST /v1/models/train and the demo train when no list is given: every top-N
 * ranker (the champion's contenders) and the models the other rows need. EASE only up to
 * `training.easeMaxItems` items (it inverts an items × items matrix).
 */
export const DEFAULT_TRAIN_ALGORITHMS = ['popularity', 'popularity-recent', 'item-knn', 'ease', 'als', 'hybrid', 'content', 'style-clusters', 'fit'];

export interface TrainModelsOptions {
  algorithms?: string[];
  params?: Record<string, Record<string, unknown>>;
  log?: (line: string) => void;
  onProgress?: (algorithm: string, fraction: number, label: string) => void;
  signal?: AbortSignal;
  /** registry timestamps and version ids */
  clock?: () => number;
  /**
   * the trainers' clock ("now" for recency features; TrainContext.now): a replay's cutoff. Unset in
   * production: each trainer takes its data's last interaction, so an import of old data still has
   * recent windows
   */
  trainingClock?: number;
  /** the validation gate (default: DEFAULT_CONFIG.training.gate); false activates whatever trains and crowns no champion */
  gate?: GateOptions | false;
  /** artifacts kept per algorithm after the run (models.keepVersions; artifact-gc.ts) */
  keepVersions?: number;
  /** EASE is left out of the default list above this many items (default: DEFAULT_CONFIG.training.easeMaxItems) */
  easeMaxItems?: number;
  /** which events are positives (`training.positives`; default DEFAULT_CONFIG's) */
  positives?: PositivesConfig;
}

/** A new version id: algorithm, UTC timestamp, and a short random suffix. */
export function newModelVersion(algorithm: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${algorithm}-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * Trains, saves and registers each algorithm on the store's data; returns the registry records. On a
 * store shared by several processes (PostgreSQL) one run at a time holds its training lock: a second
 * gets VITRINE_MODEL_TRAINING_BUSY at once, before reading any data (ADR 0024).
 */
export async function trainModels(store: Store, dataDir: string, opts: TrainModelsOptions = {}): Promise<ModelRecord[]> {
  const locks = trainingLockOf(store);
  if (!locks) return trainModelsUnlocked(store, dataDir, opts);
  const lock = await locks.tryTrainingLock();
  if (!lock) {
    throw new VitrineError('VITRINE_MODEL_TRAINING_BUSY',
      'another process is training against this store (one trainer at a time); try again when it has finished');
  }
  try {
    return await trainModelsUnlocked(store, dataDir, opts);
  } finally {
    await lock.release();
  }
}

async function trainModelsUnlocked(store: Store, dataDir: string, opts: TrainModelsOptions): Promise<ModelRecord[]> {
  const clock = opts.clock ?? Date.now;
  const log = opts.log ?? (() => undefined);
  checkTrainingRequest(opts.algorithms ?? DEFAULT_TRAIN_ALGORITHMS, opts.params); // unknown names and bad parameters fail before any work
  const data = await loadTrainingData(store, { positives: opts.positives });
  if (data.interactions.users.length === 0) {
    throw new VitrineError('VITRINE_MODEL_EMPTY_DATA', `the store has no ${data.positiveTypes.join('/')} events to train on`);
  }
  const nItems = data.interactions.itemIds.length;
  log(`training on ${data.interactions.users.length.toLocaleString()} positives (${data.positiveTypes.join(', ')}), `
    + `${data.interactions.userIds.length.toLocaleString()} members, ${nItems.toLocaleString()} items`);
  const algorithms = opts.algorithms ?? defaultAlgorithmsFor(nItems, opts.easeMaxItems ?? DEFAULT_CONFIG.training.easeMaxItems, log);
  const gateOptions = opts.gate ?? DEFAULT_CONFIG.training.gate;
  const gate = gateOptions === false ? undefined : new ValidationGate(data, gateOptions);
  const records: ModelRecord[] = [];
  for (const algorithm of algorithms) {
    // after a cancel nothing new starts (no registry row either)
    stopIfCancelled(algorithm, opts.signal);
    records.push(await trainOne(store, dataDir, algorithm, data, gate, opts, clock, log));
  }
  const crowned = gate && gateOptions ? await crownChampion(store, gate, records, { margin: gateOptions.tolerance, log }) : records;
  await collectArtifacts(store, dataDir, opts.keepVersions ?? DEFAULT_CONFIG.models.keepVersions, log);
  return crowned;
}

/** DEFAULT_TRAIN_ALGORITHMS, without EASE when the catalogue is past what it can invert in budget. */
export function defaultAlgorithmsFor(nItems: number, easeMaxItems: number, log: (line: string) => void = () => undefined): string[] {
  if (nItems <= easeMaxItems) return DEFAULT_TRAIN_ALGORITHMS;
  log(`ease: left out — ${nItems.toLocaleString()} items is over training.easeMaxItems (${easeMaxItems.toLocaleString()})`);
  return DEFAULT_TRAIN_ALGORITHMS.filter((a) => a !== 'ease');
}

/** Throws VITRINE_MODEL_ABORTED once the run is cancelled (checked between the steps of one version). */
function stopIfCancelled(algorithm: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new VitrineError('VITRINE_MODEL_ABORTED', `${algorithm}: training was cancelled`);
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
  let last: ModelRecord = record;
  try {
    const ctx: TrainContext = {
      signal: opts.signal,
      ...(opts.trainingClock !== undefined ? { now: opts.trainingClock } : {}),
      onProgress: (fraction, label) => opts.onProgress?.(algorithm, fraction, label),
    };
    // the fit model learns from every event with fit feedback (a return carries it), not from positives,
    // and from the bodies of the members who gave it
    const input = algorithm === FIT_ALGORITHM
      ? { interactions: data.fitFeedback, items: data.fitItems, members: data.fitMembers }
      : { interactions: data.interactions, items: data.items };
    const model = await getTrainer(algorithm).train(input, opts.params?.[algorithm], ctx);
    stopIfCancelled(algorithm, opts.signal);
    const artifactPath = join('models', version);
    mkdirSync(join(dataDir, artifactPath), { recursive: true });
    await model.save(join(dataDir, artifactPath));
    await getTrainer(algorithm).load(join(dataDir, artifactPath)); // a corrupt write fails here, not in serving
    // before the registry names it: a node told of the version can fetch it (PostgreSQL, ADR 0024)
    await publishArtifact(store, dataDir, version, artifactPath);
    const seconds = (performance.now() - started) / 1000;
    const candidate: ModelRecord = { ...record, status: 'candidate', artifactPath, metrics: { trainSeconds: seconds } };
    await store.putModel(candidate);
    last = candidate;
    const active = (await store.listModels()).find((m) => m.algorithm === algorithm && m.status === 'active');
    opts.onProgress?.(algorithm, 1, 'validating');
    const verdict = gate ? await gate.judge(algorithm, opts.params?.[algorithm], active) : { passed: true, reason: 'no gate', metrics: {} };
    const metrics = { ...candidate.metrics, ...verdict.metrics };
    // the last moment a cancel is heeded: past it the version is registered as the gate decided
    stopIfCancelled(algorithm, opts.signal);
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
    if (opts.signal?.aborted) {
      await store.putModel({ ...last, status: 'failed', note: 'training was cancelled' });
      log(`${algorithm}: cancelled → ${version} failed`);
      throw err instanceof VitrineError && err.code === 'VITRINE_MODEL_ABORTED' ? err : new VitrineError('VITRINE_MODEL_ABORTED', `${algorithm}: training was cancelled`, undefined, { cause: err });
    }
    const reason = err instanceof VitrineError ? `${err.code}: ${err.message}` : String(err);
    const rejected: ModelRecord = { ...record, status: 'rejected', note: reason };
    await store.putModel(rejected);
    log(`${algorithm}: rejected — ${reason}`);
    return rejected;
  }
}
