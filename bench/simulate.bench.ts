/**
 * The closed-loop simulator at the issue's scale: 20,000 members × 30 days, control=popularity,
 * treatment=hybrid (target: under 5 minutes on 2 cores). Records wall time, CPU seconds of all
 * threads, each variant's phases and results, and the load average (sampled every 5 s: the machine
 * is shared, and other work slows a wall-clock figure). Appends to the history in
 * bench/results/simulate.json and rewrites simulate.md and the report, simulate.html.
 *   node --import tsx bench/simulate.bench.ts [--members 20000 --days 30 --variants control=popularity,treatment=hybrid --seed 1]
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { simulationHtml } from '../src/sim/simulate/report-html.ts';
import { runSimulation } from '../src/sim/simulate/run-simulation.ts';
import { summarise } from '../src/sim/simulate/summary.ts';
import { parseVariants } from '../src/sim/simulate/variants.ts';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '20000' }, days: { type: 'string', default: '30' },
    variants: { type: 'string', default: 'control=popularity,treatment=hybrid' }, seed: { type: 'string', default: '1' },
  },
});
const options = { members: Number(values.members), days: Number(values.days), variants: parseVariants(values.variants), seed: Number(values.seed) };
const command = `node --import tsx bench/simulate.bench.ts --members ${options.members} --days ${options.days} --variants ${values.variants} --seed ${options.seed}`;

const loads: number[] = [loadavg()[0]];
const sampler = setInterval(() => loads.push(loadavg()[0]), 5000);
const cpu0 = process.cpuUsage();
const started = performance.now();
const runs = await runSimulation(options, (line) => {
  if (!line.includes(' trained in ')) console.error(line);
});
const wallSeconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
loads.push(loadavg()[0]);
const result = summarise(runs);

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
const entry = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
  command,
  wallSeconds: round(wallSeconds),
  targetSeconds: 300,
  cpuSecondsAllThreads: round((cpu.user + cpu.system) / 1e6),
  loadAverage: { start: round(loads[0]), mean: round(loads.reduce((a, b) => a + b, 0) / loads.length), max: round(Math.max(...loads)) },
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  variants: runs.runs.map((run, k) => {
    const v = result.variants[k];
    return {
      name: v.name, algorithm: v.algorithm, members: v.members, visits: v.visits, phases: Object.fromEntries(Object.entries(run.seconds).map(([p, s]) => [p, round(s)])),
      visitsPerLoopSecond: round(v.visits / run.seconds.loop, 1),
      retention: v.retention, rentsPerMember: v.rentsPerMember, fallbackRate: v.fallbacks.rate,
      ctr: Object.fromEntries(Object.entries(v.rowKinds).map(([kind, r]) => [kind, r.ctr])),
      offline: v.offline, invariants: v.invariants,
    };
  }),
  comparisons: result.comparisons,
};

const out = new URL('./results/', import.meta.url);
await mkdir(out, { recursive: true });
let history: (typeof entry)[] = [];
try {
  history = (JSON.parse(await readFile(new URL('simulate.json', out), 'utf8')) as { history: (typeof entry)[] }).history ?? [];
} catch { /* first run */ }
history.push(entry);
await writeFile(new URL('simulate.json', out), `${JSON.stringify({ benchmark: 'simulate', latest: entry, history }, null, 2)}\n`);

const p = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
const md = `# vitrine simulate — closed loop at scale

${entry.date}, ${entry.machine.cpus} × ${entry.machine.cpu}, Node ${entry.machine.node}.
Command: \`${command}\` (\`npm run bench:simulate\`).

**Wall ${entry.wallSeconds} s** (target < ${entry.targetSeconds} s), ${entry.cpuSecondsAllThreads} CPU-s over all threads, peak RSS ${entry.peakRssMB} MB,
load average ${entry.loadAverage.start} at the start, ${entry.loadAverage.mean} on average, ${entry.loadAverage.max} at most (2 cores, shared machine).
The variants' threads used ${entry.variants.map((v) => `${v.name} ${v.phases.threadCpu}`).join(', ')} CPU-s: on idle cores (one thread each) the wall time would be about the largest of these.

| variant | algorithm | members | visits | retention [95%] | rents / member [95%] | pages with a fallback | warm-up s | train s | loop s | visits / s | offline s | thread CPU s |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
${entry.variants.map((v) => `| ${v.name} | ${v.algorithm} | ${v.members} | ${v.visits} | ${p(v.retention.rate)} [${p(v.retention.low)}, ${p(v.retention.high)}] | ${v.rentsPerMember.mean.toFixed(3)} [${v.rentsPerMember.low.toFixed(3)}, ${v.rentsPerMember.high.toFixed(3)}] | ${p(v.fallbackRate.rate)} | ${v.phases.warmUp} | ${v.phases.train} | ${v.phases.loop} | ${v.visitsPerLoopSecond} | ${v.phases.offline} | ${v.phases.threadCpu} |`).join('\n')}

${entry.comparisons.map((c) => `${c.variant} − ${c.against}: retention ${p(c.retentionDifference.value)} [${p(c.retentionDifference.low)}, ${p(c.retentionDifference.high)}], rents per member ${c.rentsPerMemberDifference >= 0 ? '+' : ''}${c.rentsPerMemberDifference.toFixed(3)}.`).join('\n')}

CTR (clicks / items shown) by row kind:

| row kind | ${entry.variants.map((v) => v.name).join(' | ')} |
|---|${entry.variants.map(() => '---|').join('')}
${[...new Set(entry.variants.flatMap((v) => Object.keys(v.ctr)))].sort().map((kind) => `| ${kind} | ${entry.variants.map((v) => (v.ctr[kind] ? p(v.ctr[kind].rate) : '—')).join(' | ')} |`).join('\n')}

## History

| date | wall s | CPU-s | load avg (mean / max) | command |
|---|---|---|---|---|
${history.map((h) => `| ${h.date} | ${h.wallSeconds} | ${h.cpuSecondsAllThreads} | ${h.loadAverage.mean} / ${h.loadAverage.max} | \`${h.command}\` |`).join('\n')}
`;
await writeFile(new URL('simulate.md', out), md);
await writeFile(new URL('simulate.html', out), simulationHtml(result, `npm run bench:simulate · ${entry.date} · wall ${entry.wallSeconds} s · load average ${entry.loadAverage.mean}`));
console.log(md);
