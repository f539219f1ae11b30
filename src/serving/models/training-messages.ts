/** What the serving thread and the training worker say to each other. */
import type { ErrorCode } from '../../core/errors.ts';
import type { PositivesConfig } from '../../pipeline/training-data.ts';
import type { GateOptions } from '../../pipeline/validation-gate.ts';
import type { ModelRecord } from '../../storage/store.ts';

export interface TrainingWorkerData {
  storeUrl: string;
  dataDir: string;
  algorithms?: string[];
  params?: Record<string, Record<string, unknown>>;
  gate: GateOptions | false;
  /** model artifacts kept per algorithm after the run (models.keepVersions) */
  keepVersions?: number;
  /** [0] becomes 1 when the job is cancelled (a SharedArrayBuffer: read while the worker computes) */
  cancelFlag?: Int32Array;
  easeMaxItems?: number;
  /** training.positives */
  positives?: PositivesConfig;
}

export type TrainingWorkerMessage =
  | { type: 'log'; line: string }
  | { type: 'progress'; algorithm: string; fraction: number; label: string }
  | { type: 'done'; records: ModelRecord[] }
  | { type: 'error'; code: ErrorCode; message: string };
