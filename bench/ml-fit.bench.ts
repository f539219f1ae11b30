/**
 * Fit time and recommend latency of the model library's algorithms on RTR `global-time` train
 * (Misra, Wan & McAuley, RecSys 2018; 154,033 rentals, 89,502 members, 4,083 items), plus item-kNN on
 * a synthetic 20,000-item catalogue. Writes bench/results/ml-fit.json and ml-fit.md.
 *   node --import tsx bench/ml-fit.bench.ts [--ease-threads 1,2]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { seededUniform } from '../src/ml/common/rng.ts';
import { buildInteractions, type InteractionData } from '../src/ml/dataset.ts';
import type { Model, Trainer } from '../src/ml/model.ts';
import { getTrainer } from '../src/ml/registry.ts';
import { loadRtrGlobalTime, RTR_FILE } from './rtr-global-time.ts';

const { values } = parseArgs({ options: { 'ease-threads': { type: 'string', default: '1,2' } } });
const CUTOFF = Date.parse('2017-07-01T00:00:00Z');

interface Row {
  data: string;
  algorithm: string;
  params: Record<string, unknown>;
  fitSeconds: number;
  /** CPU time of all threads: what the fit costs whatever else the machine runs */
  fitCpuSeconds: number;
  /** 1-minute load average after the fit (> cpus means the wall times are inflated) */
  load: number;
  recommendP50Ms?: number;
  recommendP99Ms?: number;
}

async function timeFit(
  trainer: Trainer, data: InteractionData, params: Record<string, unknown>,
): Promise<{ model: Model; seconds: number; cpuSeconds: number; load: number }> {
  const began = performance.now();
  const cpu = process.cpuUsage();
  const model = await trainer.train({ interactions: data }, params, { now: CUTOFF });
  const used = process.cpuUsage(cpu);
  return {
    model,
    seconds: round((performance.now() - began) / 1000),
    cpuSeconds: round((used.user + used.system) / 1e6),
    load: round(loadavg()[0], 1),
  };
}

/** p50 and p99 of one top-10 recommend call over up to 1,000 members. */
function recommendLatency(model: Model, userIds: string[]): { p50: number; p99: number } {
  const times: number[] = [];
  for (const userId of userIds.slice(0, 1000)) {
    const began = performance.now();
    model.recommend({ userId }, 10);
    times.push(performance.now() - began);
  }
  times.sort((a, b) => a - b);
  return { p50: round(times[Math.floor(times.length / 2)], 3), p99: round(times[Math.floor(times.length * 0.99)], 3) };
}

/** 20,000 items in 200 taste groups; 150,000 members with 1–15 rentals mostly inside one group. */
function syntheticCatalogue(): InteractionData {
  const next = seededUniform(20);
  const rows: Array<{ user: string; item: string; ts: number }> = [];
  for (let u = 0; u < 150_000; u++) {
    const group = Math.floor(next() * 200);
    const n = 1 + Math.floor(next() ** 2 * 15);
    for (let k = 0; k < n; k++) {
      const item = next() < 0.8 ? group * 100 + Math.floor(next() * 100) : Math.floor(next() * 20_000);
      rows.push({ user: `u${u}`, item: `i${item}`, ts: k });
    }
  }
  return buildInteractions(rows);
}

const rows: Row[] = [];
const split = await loadRtrGlobalTime(CUTOFF);
if (!split) console.log(`skipping RTR: ${RTR_FILE} not found`);
else {
  const { train } = split;
  const users = train.userIds.filter((_, u) => u % 89 === 0);
  const runs: Array<[string, Record<string, unknown>]> = [
    ['popularity', {}], ['popularity-recent', {}], ['conversion', {}], ['item-knn', {}],
    ...values['ease-threads'].split(',').map((t): [string, Record<string, unknown>] => ['ease', { threads: Number(t) }]),
  ];
  for (const [algorithm, params] of runs) {
    const { model, seconds, cpuSeconds, load } = await timeFit(getTrainer(algorithm), train, params);
    const latency = recommendLatency(model, users);
    rows.push({
      data: 'RTR train', algorithm, params, fitSeconds: seconds, fitCpuSeconds: cpuSeconds, load,
      recommendP50Ms: latency.p50, recommendP99Ms: latency.p99,
    });
    console.log(rows.at(-1));
  }
}
const synthetic = syntheticCatalogue();
const knn = await timeFit(getTrainer('item-knn'), synthetic, {});
const latency = recommendLatency(knn.model, synthetic.userIds);
rows.push({
  data: `synthetic ${synthetic.itemIds.length} items × ${synthetic.userIds.length} members, ${synthetic.users.length} interactions`,
  algorithm: 'item-knn', params: {}, fitSeconds: knn.seconds, fitCpuSeconds: knn.cpuSeconds, load: knn.load,
  recommendP50Ms: latency.p50, recommendP99Ms: latency.p99,
});
console.log(rows.at(-1));

const result = { benchmark: 'ml-fit', date: new Date().toISOString(), machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version }, rows };
const md = `# Model library — fit time and recommend latency

${result.date}, ${result.machine.cpus} × ${result.machine.cpu}, Node ${result.machine.node}.
Command: \`node --import tsx bench/ml-fit.bench.ts\`. RTR data: Misra, Wan & McAuley, RecSys 2018
(train = rentals before 2017-07-01: 154,033 rentals, 89,502 members, 4,083 items). Latency: one top-10
\`recommend\` by member id, 1,000 members, full catalogue scored. CPU s counts every thread; a load
average above the CPU count means other work shared the machine and wall times are inflated.

| data | algorithm | params | fit s (wall) | fit CPU s | load | recommend p50 ms | p99 ms |
|---|---|---|---|---|---|---|---|
${rows.map((r) => `| ${r.data} | ${r.algorithm} | \`${JSON.stringify(r.params)}\` | ${r.fitSeconds} | ${r.fitCpuSeconds} | ${r.load} | ${r.recommendP50Ms ?? ''} | ${r.recommendP99Ms ?? ''} |`).join('\n')}
`;
const out = new URL('./results/', import.meta.url);
await mkdir(out, { recursive: true });
await writeFile(new URL('ml-fit.json', out), `${JSON.stringify(result, null, 2)}\n`);
await writeFile(new URL('ml-fit.md', out), md);
console.log(md);

function round(x: number, digits = 2): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}
