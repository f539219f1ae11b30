/** Worker-thread entry: runs one variant (variant-world.ts) and posts its result back. */
import { parentPort, workerData } from 'node:worker_threads';
import type { ResolvedSimulationOptions } from './options.ts';
import { simulateVariant } from './variant-world.ts';

const { options, variant } = workerData as { options: ResolvedSimulationOptions; variant: number };
try {
  const run = await simulateVariant(options, variant, (line) => parentPort?.postMessage({ log: line }));
  parentPort?.postMessage({ run });
} catch (err) {
  parentPort?.postMessage({ error: { message: (err as Error).message, code: (err as { code?: string }).code, stack: (err as Error).stack } });
}
