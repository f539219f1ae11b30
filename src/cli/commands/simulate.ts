/** `vitrine simulate`: the closed-loop simulator (src/sim/simulate) from the command line. */
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { simulationHtml } from '../../sim/simulate/report-html.ts';
import { resolveSimulationOptions, type SimulationOptions } from '../../sim/simulate/options.ts';
import { runSimulation } from '../../sim/simulate/run-simulation.ts';
import { summarise, type SimulationResult } from '../../sim/simulate/summary.ts';
import { parseVariants, simulationAlgorithms } from '../../sim/simulate/variants.ts';
import { exitOnError } from '../exit.ts';

export const SIMULATE_HELP = `vitrine simulate --variants control=ALG,treatment=ALG [--members 20000] [--days 30] [--seed 1]
                 [--html FILE] [--json FILE] [--data DIR] [--items N] [--warmup-days 30] [--page default|for-you]
                 [--rows 8] [--row-size 12] [--workers N]

Tries recommendation variants on simulated members before they meet real ones. A synthetic fashion
world is generated (members with hidden tastes, sizes and a churn hazard); its first --warmup-days are
history, imported into a temporary store; the models are trained on it; then for --days simulated days
members visit, get their page from the real serving code (in-process, through the HTTP API), look,
click, heart, rent in their size, return with fit feedback, and cancel when they keep finding nothing
they like. Each variant is an experiment variant whose algorithm serves the "for-you" row.

Output per variant: retention (members not cancelled at the end) and rents per member with 95%
intervals, CTR per row kind, fallbacks, the variant's offline metrics on the simulated history, and
how those metrics correlate with simulated churn. Same flags → the same JSON (deterministic by seed).

  --variants LIST   name=algorithm pairs, comma-separated; the first is the control. Algorithms:
                    ${simulationAlgorithms().join(', ')}
                    (oracle ranks by the members' true tastes, random at random: known answers to check against)
  --members N       members in the world (default 20000; those who cancel during the warm-up are not simulated)
  --days D          simulated days (default 30)
  --seed S          integer seed (default 1)
  --html FILE       write the report as a self-contained HTML page
  --json FILE       write the result as JSON (default: printed on stdout when neither --html nor --json is given)
  --data DIR        where the temporary stores and models go (default the OS temp dir; env VITRINE_DATA_DIR)
  --items N         catalogue size (default 15% of members)
  --warmup-days D   days of generated history the models train on (default 30)
  --page P          default: the engine's home template; for-you: a page of the for-you row only
  --rows R, --row-size K   rows per page and items per row (default 8 × 12)
  --workers N       threads (one app per variant; default: one per variant, at most one per core; env VITRINE_SIM_WORKERS)

Example:
  vitrine simulate --members 5000 --days 14 --variants control=popularity,treatment=hybrid --html sim.html`;

const int = (v: string | undefined, fallback?: number): number | undefined => (v === undefined ? fallback : Number(v));

/** Runs `vitrine simulate`; 0 done, 1 bad values, 2 usage error. */
export async function runSimulate(argv: string[]): Promise<number> {
  return exitOnError(async () => {
    const { values } = parseArgs({
      args: argv,
      options: {
        variants: { type: 'string' }, members: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' },
        html: { type: 'string' }, json: { type: 'string' }, data: { type: 'string' }, items: { type: 'string' },
        'warmup-days': { type: 'string' }, page: { type: 'string' }, rows: { type: 'string' }, 'row-size': { type: 'string' },
        workers: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
      strict: true, allowPositionals: false,
    });
    if (values.help) {
      console.log(SIMULATE_HELP);
      return 0;
    }
    if (values.variants === undefined) {
      console.error('usage error: --variants is required, e.g. --variants control=popularity,treatment=hybrid (see vitrine simulate --help)');
      return 2;
    }
    const workers = values.workers ?? process.env.VITRINE_SIM_WORKERS;
    const dataDir = values.data ?? process.env.VITRINE_DATA_DIR;
    const opts: SimulationOptions = {
      variants: parseVariants(values.variants),
      members: int(values.members, 20_000) as number, days: int(values.days, 30) as number, seed: int(values.seed, 1) as number,
      items: int(values.items), warmupDays: int(values['warmup-days']), page: values.page as SimulationOptions['page'],
      rows: int(values.rows), rowSize: int(values['row-size']),
      ...(dataDir ? { dataDir: resolve(dataDir) } : {}), ...(workers === undefined ? {} : { workers: Number(workers) }),
    };
    resolveSimulationOptions(opts); // bad values fail before any work
    const started = performance.now();
    const runs = await runSimulation(opts, (line) => console.error(`[simulate] ${line}`));
    const result = summarise(runs);
    const seconds = (performance.now() - started) / 1000;
    const stamp = `${new Date().toISOString()}, ${seconds.toFixed(1)} s wall, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`;
    if (values.json) await writeFile(values.json, `${JSON.stringify(result, null, 2)}\n`);
    if (values.html) await writeFile(values.html, simulationHtml(result, `vitrine simulate · ${stamp}`));
    if (!values.json && !values.html) console.log(JSON.stringify(result, null, 2));
    console.error(headline(result));
    console.error(`[simulate] done in ${seconds.toFixed(1)} s (${stamp})`);
    return 0;
  });
}

/** One line per variant, for the terminal. */
export function headline(r: SimulationResult): string {
  const p = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
  return r.variants.map((v) => `${v.name.padEnd(12)} ${v.algorithm.padEnd(18)} retention ${p(v.retention.rate)} [${p(v.retention.low)}, ${p(v.retention.high)}]`
    + `  rents/member ${v.rentsPerMember.mean.toFixed(3)} [${v.rentsPerMember.low.toFixed(3)}, ${v.rentsPerMember.high.toFixed(3)}]  members ${v.members}`).join('\n');
}
