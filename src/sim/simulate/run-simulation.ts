/**
 * `vitrine simulate` as a library. Each variant runs in its own app (variant-world.ts) — in a worker
 * thread per variant, so two variants use the machine's two cores — and the runs are then summarised
 * together (summary.ts). A variant's run depends only on the options and its index, never on which
 * thread ran it or when, so the result is deterministic by seed.
 * Why one app per variant rather than one app with the experiment splitting traffic: serving is
 * single-threaded, and a shared app would run the whole population on one core. The cost is that the
 * variants do not compete for stock (stock-share.ts deals each its share of the units).
 */
import { VitrineError, type ErrorCode } from '../../core/errors.ts';
import { spawnModuleWorker } from '../../ml/common/spawn-worker.ts';
import { resolveSimulationOptions, type ResolvedSimulationOptions, type SimulationOptions } from './options.ts';
import { defaultWorkers, simulateVariant, type VariantRun } from './variant-world.ts';

export interface SimulationRuns {
  options: ResolvedSimulationOptions;
  runs: VariantRun[];
  wallSeconds: number;
}

/** Runs every variant; `log` receives progress lines (prefixed by the variant when run in a thread). */
export async function runSimulation(input: SimulationOptions, log: (line: string) => void = () => undefined): Promise<SimulationRuns> {
  const options = resolveSimulationOptions(input);
  const started = performance.now();
  const workers = input.workers ?? defaultWorkers(options.variants.length);
  const runs = new Array<VariantRun>(options.variants.length);
  if (workers === 0) {
    for (let v = 0; v < runs.length; v++) runs[v] = await simulateVariant(options, v, log);
  } else {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < runs.length) {
        const v = next++;
        runs[v] = await inWorker(options, v, (line) => log(`[${options.variants[v].name}] ${line}`));
      }
    };
    await Promise.all(Array.from({ length: Math.min(workers, runs.length) }, lane));
  }
  return { options, runs, wallSeconds: (performance.now() - started) / 1000 };
}

function inWorker(options: ResolvedSimulationOptions, variant: number, log: (line: string) => void): Promise<VariantRun> {
  return new Promise((resolve, reject) => {
    const worker = spawnModuleWorker(new URL('./variant-worker.ts', import.meta.url), { options, variant });
    let settled = false;
    worker.on('message', (msg: { log?: string; run?: VariantRun; error?: { message: string; code?: string; stack?: string } }) => {
      if (msg.log) log(msg.log);
      if (msg.run) {
        settled = true;
        resolve(msg.run);
      }
      if (msg.error) {
        settled = true;
        const e = msg.error;
        reject(e.code?.startsWith('VITRINE_') ? new VitrineError(e.code as ErrorCode, e.message) : Object.assign(new Error(e.message), { stack: e.stack }));
      }
    });
    worker.on('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`simulation worker for variant ${options.variants[variant].name} exited with code ${code}`));
    });
  });
}
