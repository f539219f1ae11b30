/** Worker entry: loads a saved model with its trainer and recommends for its share of members. */
import { parentPort, workerData } from 'node:worker_threads';
import { getTrainer } from '../ml/registry.ts';
import { recommendFor } from './recommend-for.ts';
import type { RecommendJob, RecommendJobResult } from './recommend-workers.ts';

const job = workerData as RecommendJob;
try {
  const model = await getTrainer(job.algorithm).load(job.dir);
  const out: RecommendJobResult = { lists: [], unranked: 0 };
  for (const u of job.users) {
    const list = recommendFor(model, u.userId, new Set(u.trainItems), job.k, u.asOf);
    if (list === undefined) out.unranked++;
    out.lists.push(list ?? []);
  }
  parentPort?.postMessage(out);
} catch (err) {
  parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
