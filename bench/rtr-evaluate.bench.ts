/**
 * `vitrine evaluate` on the real Rent the Runway rentals (Misra, Wan & McAuley, RecSys 2018), protocol
 * global-time, cutoff 2017-07-01, K = 10: every algorithm of EVALUATION.md this build registers,
 * compared with the reference table there. Same code path as the CLI (splitDataset → evaluateSplit →
 * reportJson). Writes bench/results/rtr-evaluate.json (the `--json` document plus the reference) and
 * .md. Skips (exit 0) when ../shared/data/rtr is absent.
 *   node --import tsx bench/rtr-evaluate.bench.ts [--algorithms a,b]
 * Equivalent CLI: vitrine evaluate --protocol global-time --cutoff 2017-07-01 --json FILE
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultAlgorithms, evaluateSplit } from '../src/eval/evaluate.ts';
import { formatReportTable, reportJson } from '../src/eval/report.ts';
import { loadRtrDataset, RTR_CITATION } from '../src/eval/rtr-dataset.ts';
import { parseProtocol, splitDataset } from '../src/eval/splits.ts';

const RTR_FILE = fileURLToPath(new URL('../../shared/data/rtr/renttherunway_interactions.csv.gz', import.meta.url));
const OUT = fileURLToPath(new URL('./results/rtr-evaluate', import.meta.url));
const COMMAND = 'node --import tsx bench/rtr-evaluate.bench.ts';
const CLI = 'vitrine evaluate --protocol global-time --cutoff 2017-07-01 --json bench/results/rtr-evaluate.json';

/** EVALUATION.md's reference (independent numpy implementation), global-time 2017-07-01, K = 10. */
const REFERENCE_SPLIT = { trainInteractions: 154_033, trainUsers: 89_502, items: 4_083, users: 5_826 };
const REFERENCE: Record<string, { label: string; ndcg: number; recall: number; hitRate: number; coverage: number; deterministic: boolean }> = {
  popularity: { label: 'popularity, all train time', ndcg: 0.0053, recall: 0.0108, hitRate: 0.0144, coverage: 0.003, deterministic: true },
  'popularity-recent': { label: 'popularity, last 90 days before C', ndcg: 0.0102, recall: 0.0205, hitRate: 0.0285, coverage: 0.003, deterministic: true },
  'item-knn': { label: 'item-kNN, cosine, 100 neighbours', ndcg: 0.0028, recall: 0.0055, hitRate: 0.0096, coverage: 0.897, deterministic: true },
  ease: { label: 'EASE, λ = 500', ndcg: 0.0077, recall: 0.0125, hitRate: 0.0211, coverage: 0.851, deterministic: true },
  als: { label: 'implicit ALS (64 factors, λ=0.1, α=20, 15 it., exact)', ndcg: 0.0061, recall: 0.0118, hitRate: 0.0172, coverage: 0.234, deterministic: false },
};
const REFERENCE_BEST = { label: 'recent popularity in the user\'s size (±2 sizes, halved per step) + recent popularity', ndcg: 0.0120, recall: 0.0233, hitRate: 0.0321, coverage: 0.017 };

if (!existsSync(RTR_FILE)) {
  console.log(`skipped: ${RTR_FILE} is absent (see ../shared/data/rtr/PROVENANCE.md)`);
  process.exit(0);
}
const { values } = parseArgs({ options: { algorithms: { type: 'string' } } });
const algorithms = values.algorithms?.split(',') ?? defaultAlgorithms();

const began = performance.now();
const split = splitDataset(await loadRtrDataset(RTR_FILE), parseProtocol('global-time', '2017-07-01'));
const report = await evaluateSplit(split, {
  algorithms,
  onProgress: (name, phase, s) => phase !== 'train' && console.error(`${name}: ${phase === 'recommend' ? 'trained' : 'ranked'} in ${s?.toFixed(1)} s`),
});
const wallSeconds = (performance.now() - began) / 1000;
const ctx = { dataset: 'rtr', source: '../shared/data/rtr/renttherunway_interactions.csv.gz' };
const doc = reportJson(report, ctx);
const splitMatches = doc.trainInteractions === REFERENCE_SPLIT.trainInteractions && doc.trainUsers === REFERENCE_SPLIT.trainUsers
  && doc.items === REFERENCE_SPLIT.items && doc.users === REFERENCE_SPLIT.users;

const rows: string[] = [];
const verdicts: string[] = [];
for (const [name, r] of Object.entries(report.results)) {
  const ref = REFERENCE[name];
  const delta = ref ? (r.ndcg - ref.ndcg) / ref.ndcg : Number.NaN;
  const cell = (x: number, refX: number | undefined, digits = 4): string => `${x.toFixed(digits)}${refX === undefined ? '' : ` (${refX.toFixed(digits)})`}`;
  rows.push(`| ${name} | ${cell(r.ndcg, ref?.ndcg)} | ${ref ? percent(delta) : '—'} | `
    + `${cell(r.recall, ref?.recall)} | ${cell(r.hitRate, ref?.hitRate)} | ${r.precision.toFixed(4)} | ${r.map.toFixed(4)} | `
    + `${cell(r.coverage, ref?.coverage, 3)} | ${r.trainSeconds.toFixed(1)} |`);
  // the reference is printed to 4 decimals: allow 5% plus half a unit of the last digit
  if (ref?.deterministic) verdicts.push(`${name} ${Math.abs(r.ndcg - ref.ndcg) <= 0.05 * ref.ndcg + 0.00005 ? 'within' : 'OUTSIDE'} ±5%`);
}

const json = { ...doc, reference: { split: REFERENCE_SPLIT, results: REFERENCE, best: REFERENCE_BEST }, splitMatchesReference: splitMatches,
  wallSeconds: Math.round(wallSeconds), date: new Date().toISOString(), command: COMMAND, cli: CLI };
await writeFile(`${OUT}.json`, `${JSON.stringify(json, null, 2)}\n`);

const md = `# vitrine evaluate — RTR, global-time 2017-07-01, K = 10

${RTR_CITATION}

${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, load average ${loadavg()[0].toFixed(2)}; wall ${Math.round(wallSeconds)} s.
Command: \`${COMMAND}\` (the CLI equivalent: \`${CLI}\`).

Split: train ${doc.trainInteractions.toLocaleString('en-US')} interactions (${doc.trainPairs.toLocaleString('en-US')} distinct pairs),
${doc.trainUsers.toLocaleString('en-US')} members, ${doc.items.toLocaleString('en-US')} items; ${doc.users.toLocaleString('en-US')} evaluated members.
Reference: 154,033 / 89,502 / 4,083 / 5,826 — **${splitMatches ? 'identical' : 'DIFFERENT'}**.

Ours (reference from EVALUATION.md in parentheses; Δ = relative NDCG difference):

| algorithm | NDCG@10 | Δ | Recall@10 | HR@10 | Prec@10 | MAP@10 | coverage | train s |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}
| *reference best: ${REFERENCE_BEST.label}* | (${REFERENCE_BEST.ndcg.toFixed(4)}) | | (${REFERENCE_BEST.recall.toFixed(4)}) | (${REFERENCE_BEST.hitRate.toFixed(4)}) | | | (${REFERENCE_BEST.coverage.toFixed(3)}) | |

Deterministic rows (EVALUATION.md asks ±5% on NDCG@10): ${verdicts.join('; ')}.

Notes:
- popularity-recent: three items tie at 35 rentals in the 90 days before the cutoff for places 9–11
  (241461, 450618, 1788819). Ties go to the lower item index (first seen in the file), which keeps
  241461 and 450618; breaking them the other way (1788819 in the top 10) gives NDCG 0.0102,
  Recall 0.0203, HR 0.0287 — the reference's row, up to rounding. The difference is tie order only.
- ALS is not deterministic across implementations (random initial factors): its row is indicative.
  Measured once (2026-11-28, \`--params '{"als": {"seed": S}}'\`): exact solves, seed 1 → NDCG 0.0057,
  seed 2 → 0.0049, seed 42 → 0.0055; conjugate gradient (the library default), seed 42 → 0.0059, seed 1 →
  0.0056. The reference's 0.0061 lies just above that seed spread (0.0049–0.0059).
- Parameters per algorithm are in the JSON (\`results.<alg>.params\`, EVALUATION.md's defaults).

\`\`\`
${formatReportTable(report, ctx)}
\`\`\`
`;
await writeFile(`${OUT}.md`, md);

console.log(md);

function percent(delta: number): string {
  const p = 100 * delta;
  return Math.abs(p) < 0.05 ? '0.0%' : `${p > 0 ? '+' : ''}${p.toFixed(1)}%`;
}
