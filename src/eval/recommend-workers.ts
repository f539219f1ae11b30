/**
 * Recommendation for many members in worker threads: the model is saved once to a temporary
 * directory and each worker loads it with its trainer's `load` — the public API, nothing shared.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnModuleWorker } from '../ml/common/spawn-worker.ts';
import type { Model } from '../ml/model.ts';
import type { EvalUser } from './splits.ts';

/** What a worker is given (see recommend-worker.ts). */
export interface RecommendJob {
  algorithm: string;
  dir: string;
  k: number;
  users: Array<{ userId: string; trainItems: string[]; asOf?: number }>;
}

/** What a worker answers. */
export interface RecommendJobResult {
  lists: string[][];
  unranked: number;
}

/**
 * The lists of `users` computed by `workers` threads, in order; undefined when the model cannot be
 * saved (the caller then continues on its own thread).
 */
export async function recommendInWorkers(
  model: Model, algorithm: string, users: readonly EvalUser[], k: number, workers: number,
): Promise<RecommendJobResult | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'vitrine-eval-'));
  try {
    try {
      await model.save(dir);
    } catch {
      return undefined; // TODO(models without save): such models are only evaluated on the calling thread
    }
    const chunk = Math.ceil(users.length / workers);
    const jobs: Promise<RecommendJobResult>[] = [];
    for (let w = 0; w < workers; w++) {
      const part = users.slice(w * chunk, (w + 1) * chunk);
      if (part.length === 0) continue;
      jobs.push(runJob({ algorithm, dir, k, users: part.map((u) => ({ userId: u.userId, trainItems: [...u.trainItems], asOf: u.asOf })) }));
    }
    const results = await Promise.all(jobs);
    return { lists: results.flatMap((r) => r.lists), unranked: results.reduce((s, r) => s + r.unranked, 0) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runJob(job: RecommendJob): Promise<RecommendJobResult> {
  return new Promise((resolve, reject) => {
    const worker = spawnModuleWorker(new URL('./recommend-worker.ts', import.meta.url), job);
    let answered = false;
    worker.once('message', (msg: RecommendJobResult | { error: string }) => {
      answered = true;
      if ('error' in msg) reject(new Error(`recommendation worker: ${msg.error}`));
      else resolve(msg);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`recommendation worker exited with code ${code} before answering`));
    });
  });
}
