/**
 * The fit model's serving call, `FitModel.predictItems` (one member, a page of items, one size), before
 * and after the serving predictor: "before" is `predictItemsByRows`, the generic predictRows path the
 * call used to take (kept unchanged for training and evaluation). µs per item for batches of 20, 160
 * and 500 items, on a fit model trained the way the pipeline trains it on a generated world
 * (src/sim/world; member, item, size, category, occasion) and, when the file is there, on Rent the
 * Runway with the members' bodies (Misra, Wan & McAuley, RecSys 2018). Before and after alternate in
 * rounds and the median round counts, with CPU time beside wall time (the machine is shared).
 * Writes bench/results/fit-predict.json and .md.
 *   node --import tsx bench/fit-predict.bench.ts [--no-rtr] [--round-ms 250] [--rounds 7]
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { MISRA_2018_CITATION } from '../src/eval/fit-protocol.ts';
import { readRtrCsv } from '../src/eval/rtr-csv.ts';
import { rtrFitData } from '../src/eval/rtr-fit-data.ts';
import { fitDataFromInteractions } from '../src/ml/fit/from-interactions.ts';
import type { FitModel } from '../src/ml/fit/fit-model.ts';
import { seededRandom } from '../src/ml/fit/seeded-random.ts';
import { trainFitModel } from '../src/ml/fit/train-fit.ts';
import { RTR_FILE } from './rtr-global-time.ts';
import { worldDataset } from './world-dataset.ts';

const { values } = parseArgs({
  options: { 'no-rtr': { type: 'boolean', default: false }, 'round-ms': { type: 'string', default: '250' }, rounds: { type: 'string', default: '7' } },
});
const ROUND_MS = Number(values['round-ms']);
const ROUNDS = Number(values.rounds);
const BATCHES = [20, 160, 500];
const WORLD = { users: 10_000, items: 1_500, days: 180, seed: 7 };
const round = (x: number, d = 3): number => Number(x.toFixed(d));

interface Batch {
  user: string;
  itemIds: string[];
  size: number;
}

/** 64 pages: a member who rented (1 in 10 never seen), items of the catalogue (1 in 20 unknown), a size members rent. */
function pages(model: FitModel, sizes: Float64Array, n: number, seed: number): Batch[] {
  const random = seededRandom(seed);
  const { userIds, itemIds } = model.parts.vocab;
  const pick = <T>(xs: ArrayLike<T>): T => xs[Math.floor(random() * xs.length)];
  return Array.from({ length: 64 }, (_, b) => ({
    user: b % 10 === 9 ? `new-member-${b}` : pick(userIds),
    itemIds: Array.from({ length: n }, (_, k) => (k % 20 === 19 ? `unknown-item-${k}` : pick(itemIds))),
    size: pick(Array.from(sizes).filter((s) => !Number.isNaN(s))),
  }));
}

type Predict = (b: Batch) => Float64Array;

/** µs per item (wall and CPU) of one round of about ROUND_MS. */
function timeRound(predict: Predict, batches: Batch[]): { wall: number; cpu: number } {
  let items = 0;
  let sink = 0;
  const began = performance.now();
  const cpu = process.cpuUsage();
  for (let j = 0; performance.now() - began < ROUND_MS; j++) {
    const b = batches[j % batches.length];
    sink += predict(b)[0];
    items += b.itemIds.length;
  }
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - began;
  if (Number.isNaN(sink)) throw new Error('a prediction was NaN');
  return { wall: (wall * 1000) / items, cpu: (used.user + used.system) / items };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Row {
  model: string;
  batch: number;
  beforeUsPerItem: number;
  afterUsPerItem: number;
  speedup: number;
  beforeCpuUsPerItem: number;
  afterCpuUsPerItem: number;
  cpuSpeedup: number;
  afterUsPerPage: number;
  maxAbsDiff: number;
  bitIdentical: boolean;
  load: number;
}

function measure(name: string, model: FitModel, sizes: Float64Array): { rows: Row[]; firstCallMs: number } {
  const began = performance.now();
  model.predictItems(model.parts.vocab.userIds[0], model.parts.vocab.itemIds.slice(0, 1), sizes[0]);
  const firstCallMs = round(performance.now() - began, 1);
  const rows = BATCHES.map((n, j): Row => {
    const batches = pages(model, sizes, n, 100 + j);
    const before: Predict = (b) => model.predictItemsByRows(b.user, b.itemIds, b.size);
    const after: Predict = (b) => model.predictItems(b.user, b.itemIds, b.size);
    let maxAbsDiff = 0;
    let bitIdentical = true;
    for (const b of batches) {
      const x = before(b);
      const y = after(b);
      for (let k = 0; k < x.length; k++) {
        if (!Object.is(x[k], y[k])) bitIdentical = false;
        maxAbsDiff = Math.max(maxAbsDiff, Math.abs(x[k] - y[k]));
      }
    }
    timeRound(before, batches);
    timeRound(after, batches);
    const b: Array<{ wall: number; cpu: number }> = [];
    const a: Array<{ wall: number; cpu: number }> = [];
    for (let r = 0; r < ROUNDS; r++) {
      b.push(timeRound(before, batches));
      a.push(timeRound(after, batches));
    }
    const bw = median(b.map((x) => x.wall));
    const aw = median(a.map((x) => x.wall));
    const bc = median(b.map((x) => x.cpu));
    const ac = median(a.map((x) => x.cpu));
    const row: Row = {
      model: name, batch: n, beforeUsPerItem: round(bw), afterUsPerItem: round(aw), speedup: round(bw / aw, 1),
      beforeCpuUsPerItem: round(bc), afterCpuUsPerItem: round(ac), cpuSpeedup: round(bc / ac, 1), afterUsPerPage: round(aw * n, 1),
      maxAbsDiff, bitIdentical, load: round(loadavg()[0], 1),
    };
    console.log(JSON.stringify(row));
    return row;
  });
  return { rows, firstCallMs };
}

const loadBefore = round(loadavg()[0], 1);
const models: Array<{ name: string; describe: string; model: FitModel; sizes: Float64Array; firstCallMs?: number }> = [];
{
  const world = await worldDataset(WORLD);
  const data = fitDataFromInteractions(world.interactions, world.items);
  const model = trainFitModel(data, {}, { now: 0 });
  models.push({
    name: 'world', model, sizes: data.sizes,
    describe: `generated world ${JSON.stringify(WORLD)} through fitDataFromInteractions (as the pipeline trains it): ${data.labels.length} rentals, ${data.userIds.length} members, ${data.itemIds.length} items`,
  });
}
if (!values['no-rtr'] && existsSync(RTR_FILE)) {
  const data = await rtrFitData(readRtrCsv(RTR_FILE));
  const model = trainFitModel(data, {}, { now: 0 });
  models.push({
    name: 'rtr', model, sizes: data.sizes,
    describe: `Rent the Runway (${MISRA_2018_CITATION}), all ${data.labels.length} rentals with fit feedback, ${data.userIds.length} members, ${data.itemIds.length} items, with body columns`,
  });
}

const rows: Row[] = [];
for (const m of models) {
  const result = measure(m.name, m.model, m.sizes);
  m.firstCallMs = result.firstCallMs;
  rows.push(...result.rows);
}
const loadAfter = round(loadavg()[0], 1);
const args = process.argv.slice(2).join(' ');
const command = `npm run bench:fit-predict${args ? ` -- ${args}` : ''}   (node --import tsx bench/fit-predict.bench.ts${args ? ` ${args}` : ''})`;
const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version };
const date = new Date().toISOString();
const modelInfo = models.map((m) => ({
  name: m.name, data: m.describe, features: m.model.parts.featureNames.length, trees: m.model.parts.forest.treeRoot.length,
  nodes: m.model.parts.forest.nodeFeature.length, firstCallMs: m.firstCallMs,
}));

await mkdir('bench/results', { recursive: true });
await writeFile('bench/results/fit-predict.json', `${JSON.stringify({
  benchmark: 'fit-predict', date, machine, command, load: { before: loadBefore, after: loadAfter }, roundMs: ROUND_MS, rounds: ROUNDS,
  models: modelInfo, results: rows, citation: models.some((m) => m.name === 'rtr') ? MISRA_2018_CITATION : undefined,
}, null, 2)}\n`);

const md = `# Fit model serving call — predictItems before / after the serving predictor

${date}, ${machine.cpus} × ${machine.cpu}, Node ${machine.node}; 1-minute load average ${loadBefore} at the start, ${loadAfter} at the end
(${machine.cpus} cores: above that, other work shared the machine and every figure is inflated, wall time most).

Command: \`${command}\`

One call = one member (1 in 10 never seen), a page of items (1 in 20 unknown to the model), one size drawn from the
sizes rented. **Before** = \`FitModel.predictItemsByRows\`, the generic path \`predictItems\` used to take (one FitData →
alignFitData → fitFeatureColumns → predictForest); **after** = \`FitModel.predictItems\` through
\`src/ml/fit/serving-predictor.ts\`. Before and after alternate in ${ROUNDS} rounds of ~${ROUND_MS} ms; the median round is shown.
Results: bit-identical (Object.is on every probability) — column "same bits".

| model | items / call | before µs/item | after µs/item | speed-up | before CPU µs/item | after CPU µs/item | CPU speed-up | after µs/page | same bits | load |
|---|---|---|---|---|---|---|---|---|---|---|
${rows.map((r) => `| ${r.model} | ${r.batch} | ${r.beforeUsPerItem} | ${r.afterUsPerItem} | **${r.speedup}×** | ${r.beforeCpuUsPerItem} | ${r.afterCpuUsPerItem} | ${r.cpuSpeedup}× | ${r.afterUsPerPage} | ${r.bitIdentical ? 'yes' : `no (max |Δ| ${r.maxAbsDiff})`} | ${r.load} |`).join('\n')}

Models:
${modelInfo.map((m) => `- **${m.name}**: ${m.data}; ${m.features} features, ${m.trees} trees, ${m.nodes} nodes; first call (builds the owner indexes and item cache, compiles the forest) ${m.firstCallMs} ms.`).join('\n')}

Where the time went (CPU profile of the old path): fitFeatureColumns (Map lookups of composite keys per row, group
features written feature-major, body size per row) and predictForest (a closure per value). After: member and size
features once per call, item-only features once per item (cached for the model's life), owner indexes (item → its
sizes, member → its categories) instead of Map lookups, rows row-major in a reused buffer, and the forest compiled to
JavaScript (compiled-forest.ts, since replaced by WebAssembly: gbdt/wasm-forest.ts), which is most of the gain on the larger RTR forest. The first call
builds the indexes and compiles the forest (figures above); \`fitTrainer.load\` runs \`FitModel.warmServing\` so that
this and the engine's optimisation of the generated code happen at load, not on the first pages.
`;
await writeFile('bench/results/fit-predict.md', md);
console.log(md);
