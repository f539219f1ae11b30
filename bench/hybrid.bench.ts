/**
 * The `hybrid` ranker against EVALUATION.md's reference rows, through the same code path as
 * `vitrine evaluate` (splitDataset → evaluateSplit):
 * 1. Rent the Runway rentals (Misra, Wan & McAuley, RecSys 2018), global-time 2017-07-01, K = 10: every
 *    reference algorithm and hybrid (with `--seeds 1,2,3`: hybrid once per seed, for its spread);
 *    with `--ablate`, hybrid again with each feature group left out. Skipped when
 *    ../shared/data/rtr is absent.
 * 2. A generated fashion world (src/sim/world), user-time protocol: so the ranker is not RTR-specific.
 * Writes bench/results/hybrid.json and .md.
 *   node --import tsx bench/hybrid.bench.ts [--seeds 1,2,3] [--ablate] [--skip-rtr] [--skip-world]
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { EvalDataset } from '../src/eval/eval-dataset.ts';
import { evaluateSplit, type AlgorithmResult } from '../src/eval/evaluate.ts';
import { loadRtrDataset, RTR_CITATION } from '../src/eval/rtr-dataset.ts';
import { parseProtocol, splitDataset, type EvalSplit } from '../src/eval/splits.ts';
import { worldDataset } from './world-dataset.ts';

const RTR_FILE = fileURLToPath(new URL('../../shared/data/rtr/renttherunway_interactions.csv.gz', import.meta.url));
const OUT = fileURLToPath(new URL('./results/hybrid', import.meta.url));
const COMMAND = 'node --import tsx bench/hybrid.bench.ts --seeds 1,2,3 --ablate';
const CLI = 'vitrine evaluate --protocol global-time --cutoff 2017-07-01 --algorithms popularity-recent,hybrid --json /tmp/h.json';
const ALGORITHMS = ['popularity', 'popularity-recent', 'item-knn', 'ease', 'als', 'hybrid'];
const WORLD = { users: 10_000, items: 1_500, days: 180, seed: 7 };

/** EVALUATION.md's reference rows (independent numpy implementation), RTR global-time 2017-07-01, K = 10. */
const REFERENCE = [
  { label: 'popularity, all train time', ndcg: 0.0053, recall: 0.0108, hitRate: 0.0144, coverage: 0.003 },
  { label: 'popularity, last 90 days before C', ndcg: 0.0102, recall: 0.0205, hitRate: 0.0285, coverage: 0.003 },
  { label: 'item-kNN, cosine, 100 neighbours', ndcg: 0.0028, recall: 0.0055, hitRate: 0.0096, coverage: 0.897 },
  { label: 'EASE, λ = 500', ndcg: 0.0077, recall: 0.0125, hitRate: 0.0211, coverage: 0.851 },
  { label: 'implicit ALS (64 factors, λ=0.1, α=20, 15 iterations, exact solves)', ndcg: 0.0061, recall: 0.0118, hitRate: 0.0172, coverage: 0.234 },
  { label: 'recent popularity in the user\'s size (±2 sizes, halved per step) + recent popularity', ndcg: 0.0120, recall: 0.0233, hitRate: 0.0321, coverage: 0.017 },
];
const TARGET_NDCG = 0.0144;

/** Feature groups left out, one at a time, with `--ablate` (hybrid's `dropFeatures`). */
const ABLATIONS: Record<string, string> = {
  'component scores (kNN, EASE, ALS, content)': 'knn,knnRel,ease,easeRel,als,alsRel,content,contentRel',
  'popularity (windows, decay, trend, rank)': 'pop7,pop30,popRecent,pop365,popDecayed,popAll,trendWeek,trendMonth,popRank',
  'size (size-band popularity, size match, gap, member size)': 'sizePopRecent,sizePopAll,sizeMatch,sizeGap,memberSize',
  'taste (category, occasion)': 'catAffinity,catLift,lastCategory,occasionMatch',
  'fit (fit rate, runs large)': 'fitRate,runsLarge',
  'age (item age, idle, catalogue age, new since member)': 'itemAgeDays,itemIdleDays,catalogueAgeDays,newSinceMember',
  'member activity (items, idle, tenure)': 'memberItems,memberIdleDays,memberTenureDays',
};

const { values } = parseArgs({
  options: { seeds: { type: 'string' }, ablate: { type: 'boolean' }, 'skip-rtr': { type: 'boolean' }, 'skip-world': { type: 'boolean' } },
});
const seeds = values.seeds?.split(',').map(Number) ?? [];
const began = performance.now();
const row = (name: string, r: AlgorithmResult): Record<string, number | string> => ({
  algorithm: name, ndcg: r.ndcg, recall: r.recall, precision: r.precision, hitRate: r.hitRate, map: r.map, coverage: r.coverage,
  trainSeconds: r.trainSeconds, recommendSeconds: r.recommendSeconds,
});
const log = (name: string, phase: string, s?: number): void => {
  if (phase !== 'train') console.error(`${name}: ${phase === 'recommend' ? 'trained' : 'ranked'} in ${s?.toFixed(1)} s`);
};

async function runProtocol(split: EvalSplit, algorithms: string[], params: Record<string, Record<string, unknown>> = {}) {
  const report = await evaluateSplit(split, { algorithms, params, onProgress: log });
  return Object.entries(report.results).map(([name, r]) => row(name, r));
}

const doc: Record<string, unknown> = { date: new Date().toISOString(), command: COMMAND, cli: CLI, target: { ndcg: TARGET_NDCG } };
const md: string[] = [];

if (!values['skip-rtr'] && existsSync(RTR_FILE)) {
  const split = splitDataset(await loadRtrDataset(RTR_FILE), parseProtocol('global-time', '2017-07-01'));
  const rows = await runProtocol(split, ALGORITHMS);
  const hybridRow = rows.find((r) => r.algorithm === 'hybrid');
  const seedRows: Array<Record<string, number | string>> = [];
  for (const seed of seeds) seedRows.push({ seed, ...(await runProtocol(split, ['hybrid'], { hybrid: { seed } }))[0] });
  const ablations: Array<Record<string, number | string>> = [];
  if (values.ablate) {
    for (const [group, dropFeatures] of Object.entries(ABLATIONS)) {
      ablations.push({ without: group, ...(await runProtocol(split, ['hybrid'], { hybrid: { dropFeatures } }))[0] });
    }
  }
  doc.rtr = { protocol: 'global-time --cutoff 2017-07-01', k: 10, users: split.users.length, items: split.train.interactions.itemIds.length,
    citation: RTR_CITATION, results: rows, reference: REFERENCE, hybridSeeds: seedRows, ablations };
  md.push(rtrSection(split, rows, hybridRow, seedRows, ablations));
} else md.push(`## Rent the Runway\n\nskipped: ${RTR_FILE} is absent (see ../shared/data/rtr/PROVENANCE.md) or --skip-rtr.\n`);

if (!values['skip-world']) {
  const world: EvalDataset = await worldDataset(WORLD);
  const split = splitDataset(world, parseProtocol('user-time'));
  const rows = await runProtocol(split, ALGORITHMS);
  doc.world = { options: WORLD, protocol: 'user-time', k: 10, users: split.users.length, items: split.train.interactions.itemIds.length, results: rows };
  md.push(`## Generated world, user-time, K = 10

World: \`worldDataset(${JSON.stringify(WORLD)})\` (src/sim/world; rentals and purchases are the positives),
${world.interactions.users.length.toLocaleString('en-US')} positives; ${split.users.length.toLocaleString('en-US')} evaluated members, ${split.train.interactions.itemIds.length.toLocaleString('en-US')} items.

${table(rows)}
`);
}

const wallSeconds = (performance.now() - began) / 1000;
doc.wallSeconds = Math.round(wallSeconds);
await writeFile(`${OUT}.json`, `${JSON.stringify(doc, null, 2)}\n`);
const text = `# hybrid — the engine's learned ranker

${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, load average ${loadavg()[0].toFixed(2)}
(the machine is shared: train/rank seconds are inflated by other work); wall ${Math.round(wallSeconds)} s.
Command: \`${COMMAND}\`. Quick check of the headline row: \`${CLI}\`.

${md.join('\n')}`;
await writeFile(`${OUT}.md`, text);
console.log(text);

function table(rows: Array<Record<string, number | string>>): string {
  const lines = rows.map((r) => `| ${r.algorithm} | ${fmt(r.ndcg)} | ${fmt(r.recall)} | ${fmt(r.hitRate)} | ${fmt(r.precision)} | ${fmt(r.map)} | ${fmt(r.coverage, 3)} | ${fmt(r.trainSeconds, 1)} |`);
  return ['| algorithm | NDCG@10 | Recall@10 | HR@10 | Prec@10 | MAP@10 | coverage | train s |', '|---|---|---|---|---|---|---|---|', ...lines].join('\n');
}

function rtrSection(
  split: EvalSplit, rows: Array<Record<string, number | string>>, hybrid: Record<string, number | string> | undefined,
  seedRows: Array<Record<string, number | string>>, ablations: Array<Record<string, number | string>>,
): string {
  const ref = REFERENCE.map((r) => `| ${r.label} | ${r.ndcg.toFixed(4)} | ${r.recall.toFixed(4)} | ${r.hitRate.toFixed(4)} | ${r.coverage.toFixed(3)} |`);
  const h = hybrid ? `| **hybrid (this engine)** | **${fmt(hybrid.ndcg)}** | ${fmt(hybrid.recall)} | ${fmt(hybrid.hitRate)} | ${fmt(hybrid.coverage, 3)} |` : '';
  const seedText = seedRows.length > 0
    ? `\nhybrid by seed: ${seedRows.map((r) => `seed ${r.seed} → NDCG ${fmt(r.ndcg)} (HR ${fmt(r.hitRate)}, train ${fmt(r.trainSeconds, 1)} s)`).join('; ')}.\n` : '';
  const base = Number(hybrid?.ndcg ?? Number.NaN);
  const ablationText = ablations.length > 0 ? `\nAblations (hybrid with one feature group left out, same seed; Δ against ${fmt(base)}):

| left out | NDCG@10 | Δ | HR@10 |
|---|---|---|---|
${ablations.map((a) => `| ${a.without} | ${fmt(a.ndcg)} | ${(Number(a.ndcg) - base >= 0 ? '+' : '') + (Number(a.ndcg) - base).toFixed(4)} | ${fmt(a.hitRate)} |`).join('\n')}
` : '';
  return `## Rent the Runway, global-time --cutoff 2017-07-01, K = 10

${RTR_CITATION}

${split.users.length.toLocaleString('en-US')} evaluated members, ${split.train.interactions.itemIds.length.toLocaleString('en-US')} items. Target: hybrid ≥ ${TARGET_NDCG} NDCG@10.

Hybrid against EVALUATION.md's reference rows (independent numpy implementation):

| algorithm | NDCG@10 | Recall@10 | HR@10 | coverage |
|---|---|---|---|---|
${ref.join('\n')}
${h}

This run, every algorithm through \`evaluateSplit\` (EVALUATION.md's parameters):

${table(rows)}
${seedText}${ablationText}`;
}

function fmt(x: number | string | undefined, digits = 4): string {
  return typeof x === 'number' ? x.toFixed(digits) : String(x ?? '');
}
