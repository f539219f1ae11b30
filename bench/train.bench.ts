/**
 * Training benchmark: implicit ALS (64 factors, CG) seconds per iteration on an ML-20M-sized implicit
 * set with 2 worker threads, peak RSS, fold-in latency per member, and EASE beside numpy on RTR.
 * Writes bench/results/train.json and train.md (--quick: a small smoke run, train-quick.*).
 *   npm run bench:train [-- --quick] [-- --iterations 5 --members 10000]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { trainAls } from '../src/ml/als/als-trainer.ts';
import type { AlsModel } from '../src/ml/als/als-model.ts';
import { seededUniform } from '../src/ml/common/rng.ts';
import type { InteractionData } from '../src/ml/dataset.ts';
import { compareEaseWithNumpy } from './ease-vs-numpy.ts';
import { ML20M_SHAPE, syntheticImplicit, type SyntheticShape } from './synthetic-implicit.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    iterations: { type: 'string' },
    members: { type: 'string', default: '10000' },
  },
});
const quick = values.quick;
const shape: SyntheticShape = quick ? { users: 20_000, items: 5_000, interactions: 1_000_000, seed: 20 } : ML20M_SHAPE;
const iterations = Number(values.iterations ?? (quick ? 3 : 8));
const members = Number(values.members);
const TARGET_SECONDS_PER_ITERATION = 11;
const TARGET_PEAK_RSS_GB = 8;
const TARGET_FOLD_IN_MS = 1;
const TARGET_EASE_RATIO = 3;
const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;
const rssGB = (): number => process.resourceUsage().maxRSS / 1024 ** 2;

const loadBefore = loadavg();
let began = performance.now();
const data = syntheticImplicit(shape);
const generateSeconds = (performance.now() - began) / 1000;
console.log(`generated ${shape.users} × ${shape.items}, ${shape.interactions} interactions in ${round(generateSeconds, 1)} s`);

// ALS: a progress mark when the matrices are placed, then after every iteration (the first also
// waits for the workers to start)
const marks: Array<{ at: number; cpu: NodeJS.CpuUsage }> = [];
const cpu0 = process.cpuUsage();
began = performance.now();
const model = await trainAls({ interactions: data }, { factors: 64, solver: 'cg', iterations, threads: 2 }, {
  onProgress: (_, label) => {
    marks.push({ at: performance.now(), cpu: process.cpuUsage(cpu0) });
    console.log(`  ${label}: ${round((performance.now() - began) / 1000, 1)} s`);
  },
});
const trainSeconds = (performance.now() - began) / 1000;
const cpuAt = (i: number): number => (marks[i].cpu.user + marks[i].cpu.system) / 1e6;
const wall = marks.slice(1).map((m, i) => (m.at - marks[i].at) / 1000);
const cpuSeconds = marks.slice(1).map((_, i) => cpuAt(i + 1) - cpuAt(i));
const steady = wall.length > 1 ? wall.slice(1) : wall;
const steadyCpu = cpuSeconds.length > 1 ? cpuSeconds.slice(1) : cpuSeconds;
// the median resists the spikes other jobs on the shared machine cause; mean and min are reported too
const secondsPerIteration = median(steady);
const als = {
  params: { factors: 64, solver: 'cg', cgSteps: 3, iterations, threads: 2 },
  nnz: model.manifest.extra?.nnz,
  simdKernels: model.manifest.extra?.simd,
  trainSeconds: round(trainSeconds, 2),
  setupSeconds: round((marks[0].at - began) / 1000, 2),
  iterationSeconds: wall.map((s) => round(s, 2)),
  secondsPerIteration: round(secondsPerIteration, 2),
  meanSecondsPerIteration: round(mean(steady), 2),
  minSecondsPerIteration: round(Math.min(...steady), 2),
  cpuSecondsPerIteration: round(median(steadyCpu), 2),
  parallelism: round(mean(steadyCpu) / mean(steady), 2),
  peakRssGB: round(rssGB(), 2),
};
console.log('als', als);

const foldIn = measureFoldIn(model, data, members);
console.log('fold-in', foldIn);
const ease = await compareEaseWithNumpy();
console.log('ease', ease);

const result = {
  benchmark: 'train',
  date: new Date().toISOString(),
  command: `npm run bench:train${quick ? ' -- --quick' : ''}`,
  machine: {
    cores: availableParallelism(), cpu: cpus()[0]?.model, node: process.version,
    memoryGB: round(totalmem() / 1024 ** 3, 1), loadAverageBefore: loadBefore.map((x) => round(x, 2)), loadAverageAfter: loadavg().map((x) => round(x, 2)),
  },
  data: { ...shape, generateSeconds: round(generateSeconds, 1) },
  als,
  foldIn,
  ease,
  peakRssGB: round(rssGB(), 2),
  targets: {
    secondsPerIteration: { target: TARGET_SECONDS_PER_ITERATION, met: secondsPerIteration <= TARGET_SECONDS_PER_ITERATION },
    peakRssGB: { target: TARGET_PEAK_RSS_GB, met: rssGB() <= TARGET_PEAK_RSS_GB },
    // wall p99 on a shared machine measures preemption; CPU time per call measures the code
    foldInMs: { target: TARGET_FOLD_IN_MS, met: foldIn.ownHistory.p50Ms <= TARGET_FOLD_IN_MS && foldIn.ownHistory.cpuP99Ms <= TARGET_FOLD_IN_MS },
    easeVsNumpy: { target: TARGET_EASE_RATIO, met: 'ratio' in ease ? ease.ratio <= TARGET_EASE_RATIO : null },
  },
};
const name = quick ? 'train-quick' : 'train';
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(new URL(`./results/${name}.json`, import.meta.url), JSON.stringify(result, null, 2) + '\n');
await writeFile(new URL(`./results/${name}.md`, import.meta.url), markdown(result));
console.log(`wrote bench/results/${name}.json and .md`);

/** Fold-in latency: members' own recent histories (last ≤ 200) and exactly 200 random interactions. */
function measureFoldIn(m: AlsModel, d: InteractionData, n: number) {
  const next = seededUniform(7);
  const starts = new Int32Array(d.userIds.length + 1);
  for (let k = 0; k < d.users.length; k++) starts[d.users[k] + 1]++;
  for (let u = 0; u < d.userIds.length; u++) starts[u + 1] += starts[u];
  const own = Array.from({ length: n }, () => {
    const u = Math.floor(next() * d.userIds.length);
    const from = Math.max(starts[u], starts[u + 1] - 200); // data is grouped by member, in time order
    return Array.from(d.items.subarray(from, starts[u + 1]), (i) => ({ itemId: d.itemIds[i] }));
  });
  const full = Array.from({ length: n }, () =>
    Array.from({ length: 200 }, () => ({ itemId: d.itemIds[Math.floor(next() * d.itemIds.length)] })));
  began = performance.now();
  m.foldIn(own[0]); // caches YᵀY + λI
  const gramMs = performance.now() - began;
  return {
    members: n,
    cacheGramMs: round(gramMs, 1),
    ownHistory: { meanInteractions: round(mean(own.map((h) => h.length)), 1), ...latencies(m, own) },
    twoHundred: latencies(m, full),
  };
}

/** Wall-clock percentiles per call, and CPU-time ones (wall minus time the shared machine gave to others). */
function latencies(m: AlsModel, lists: Array<Array<{ itemId: string }>>) {
  for (let j = 0; j < Math.min(200, lists.length); j++) m.foldIn(lists[j]); // warm-up (JIT)
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const list of lists) {
    const c = process.cpuUsage();
    const t = performance.now();
    m.foldIn(list);
    wall.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  const at = (xs: number[], q: number): number => round(xs[Math.min(xs.length - 1, Math.floor(q * xs.length))], 3);
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { p50Ms: at(wall, 0.5), p99Ms: at(wall, 0.99), maxMs: round(wall[wall.length - 1], 3), cpuP50Ms: at(cpu, 0.5), cpuP99Ms: at(cpu, 0.99) };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

function markdown(r: typeof result): string {
  const e = r.ease;
  const easeRow = 'ratio' in e
    ? `| EASE fit, RTR train (${e.users} members × ${e.items} items, λ = ${e.lambda}) | ${round(e.vitrineSeconds, 2)} s vs numpy ${round(e.numpySeconds, 2)} s = ${round(e.ratio, 2)}× | ≤ ${TARGET_EASE_RATIO}× numpy | ${e.ratio <= TARGET_EASE_RATIO ? 'met' : 'missed'} |`
    : `| EASE vs numpy | skipped: ${e.skipped} | ≤ ${TARGET_EASE_RATIO}× numpy | — |`;
  const met = (b: boolean | null): string => (b === null ? '—' : b ? 'met' : 'missed');
  return `# Training benchmark

${r.date} · ${r.machine.cores} cores (${r.machine.cpu}) · ${r.machine.memoryGB} GB · Node ${r.machine.node} ·
load average before/after ${r.machine.loadAverageBefore[0]} / ${r.machine.loadAverageAfter[0]} (the machine is shared: other work
running at the same time slows every figure here).
Reproduce: \`${r.command}\`.

Data: seeded synthetic implicit set shaped like MovieLens-20M — ${r.data.users} members × ${r.data.items} items ×
${r.data.interactions} interactions (${r.als.nnz} distinct pairs), item popularity ∝ (rank + 300)⁻², member activity
floor 20 with a Pareto tail (bench/synthetic-implicit.ts).

| measure | value | target | |
|---|---|---|---|
| ALS 64 factors, CG (3 steps), 2 worker threads${r.als.simdKernels ? ', wasm SIMD kernels' : ''}: seconds per iteration, median of iterations 2..${r.als.params.iterations} | ${r.als.secondsPerIteration} s (mean ${r.als.meanSecondsPerIteration} s, min ${r.als.minSecondsPerIteration} s; CPU ${r.als.cpuSecondsPerIteration} s per iteration, ×${r.als.parallelism} parallel) | ≤ ${TARGET_SECONDS_PER_ITERATION} s | ${met(r.targets.secondsPerIteration.met)} |
| ALS set-up: confidence matrices (CSR + transpose) placed in the wasm arena | ${r.als.setupSeconds} s | | |
| ALS first iteration (incl. worker start-up) | ${r.als.iterationSeconds[0]} s | | |
| ALS total (${r.als.params.iterations} iterations) | ${r.als.trainSeconds} s | | |
| peak RSS (whole run) | ${r.peakRssGB} GB | ≤ ${TARGET_PEAK_RSS_GB} GB | ${met(r.targets.peakRssGB.met)} |
| fold-in, own last ≤ 200 interactions (mean ${r.foldIn.ownHistory.meanInteractions}), ${r.foldIn.members} members | p50 ${r.foldIn.ownHistory.p50Ms} ms · p99 ${r.foldIn.ownHistory.p99Ms} ms (CPU p50 ${r.foldIn.ownHistory.cpuP50Ms} · p99 ${r.foldIn.ownHistory.cpuP99Ms} ms) | ≤ ${TARGET_FOLD_IN_MS} ms (p50 wall, p99 CPU) | ${met(r.targets.foldInMs.met)} |
| fold-in, exactly 200 interactions | p50 ${r.foldIn.twoHundred.p50Ms} ms · p99 ${r.foldIn.twoHundred.p99Ms} ms (CPU p50 ${r.foldIn.twoHundred.cpuP50Ms} · p99 ${r.foldIn.twoHundred.cpuP99Ms} ms) | | |
| fold-in one-off: cache YᵀY + λI and its inverse | ${r.foldIn.cacheGramMs} ms | | |
${easeRow}

Per-iteration wall seconds: ${r.als.iterationSeconds.join(', ')}.
${'ratio' in e ? `\nEASE data: Rent the Runway rentals (Misra, Wan & McAuley, "Decomposing fit semantics for product size recommendation in metric spaces", RecSys 2018), EVALUATION.md global-time train part (before 2017-07-01). numpy: Gram by ${e.numpyGram} + numpy.linalg.inv (OpenBLAS, all cores); both timed from the interaction arrays to B.\n` : ''}`;
}
