/**
 * The fit protocol (EVALUATION.md) on Rent the Runway (Misra, Wan & McAuley, RecSys 2018): the fit
 * model and the one-latent-size baseline, mean one-vs-rest AUC over seeds 1…N. Writes
 * bench/results/fit.json ({"auc", "perSeed", …}, as `vitrine evaluate-fit --json`) and fit.md.
 * Skips when the data file is absent.
 *   node --import tsx bench/fit.bench.ts [--seeds 5] [--file ../shared/data/rtr/renttherunway_interactions.csv.gz]
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { MISRA_2018_ANCHORS, MISRA_2018_CITATION, runFitProtocol, type FitSeedResult } from '../src/eval/fit-protocol.ts';
import { readRtrCsv, RTR_DEFAULT_PATH } from '../src/eval/rtr-csv.ts';
import { rtrFitData } from '../src/eval/rtr-fit-data.ts';
import { FIT_DEFAULTS } from '../src/ml/fit/fit-params.ts';
import { LATENT_SIZE_DEFAULTS } from '../src/ml/fit/latent-size.ts';

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '5' }, file: { type: 'string', default: RTR_DEFAULT_PATH } } });
const file = values.file as string;
if (!existsSync(file)) {
  console.log(`skipped: ${file} is not there (the RTR data lives outside the repo, see EVALUATION.md)`);
  process.exit(0);
}

const data = await rtrFitData(readRtrCsv(file));
const seeds = Array.from({ length: Number(values.seeds) }, (_, j) => j + 1);
const began = performance.now();
const result = runFitProtocol(data, seeds, {}, (r) => console.log(`seed ${r.seed}: AUC ${r.auc.toFixed(4)} (baseline ${r.baselineAuc.toFixed(4)}), ${r.trainSeconds.toFixed(1)} s`));
const seconds = (performance.now() - began) / 1000;
const command = `node --import tsx bench/fit.bench.ts --seeds ${seeds.length}   (or: vitrine evaluate-fit --seeds ${seeds.length} --json FILE)`;
const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version };

await mkdir('bench/results', { recursive: true });
await writeFile('bench/results/fit.json', `${JSON.stringify({
  ...result, benchmark: 'fit', date: new Date().toISOString(), machine, command, seconds,
  rows: data.labels.length, members: data.userIds.length, items: data.itemIds.length,
  inputs: data.columns.map((c) => c.name), params: FIT_DEFAULTS, baselineParams: LATENT_SIZE_DEFAULTS, citation: MISRA_2018_CITATION,
}, null, 2)}\n`);

const f = (x: number, d = 4): string => x.toFixed(d);
const sd = Math.sqrt(result.perSeed.reduce((a, x) => a + (x - result.auc) ** 2, 0) / Math.max(1, seeds.length - 1));
const seedRow = (r: FitSeedResult): string =>
  `| ${r.seed} | ${f(r.auc)} | ${r.perClass.map((x) => f(x, 3)).join(' | ')} | ${f(r.baselineAuc)} | ${f(r.validationAuc)} | ${r.rounds} | ${r.trainSeconds.toFixed(1)} |`;
const md = `# Fit protocol — Rent the Runway

Data: ${MISRA_2018_CITATION} — ${data.labels.length.toLocaleString('en')} rentals with fit feedback,
${data.userIds.length.toLocaleString('en')} members, ${data.itemIds.length.toLocaleString('en')} items.
Protocol (EVALUATION.md): random 80/10/10 train/validation/test per seed (seeds ${seeds.join(', ')}); the model learns
from train, validation only early-stops the boosting; metric = mean of the one-vs-rest AUCs of P(small), P(fit),
P(large) on test. ${new Date().toISOString().slice(0, 10)}, ${machine.cpus} × ${machine.cpu}, Node ${machine.node}; ${seconds.toFixed(0)} s in all.

Command: \`${command}\`

| | mean AUC on test (${seeds.length} seeds) |
|---|---|
| **Vitrine fit model** (latent sizes + fit history + body → boosted trees) | **${f(result.auc)}** ± ${f(sd)} (sd over seeds) |
| Vitrine 1-LV baseline (member size + item offset + ordinal logit, same splits) | ${f(result.baseline.auc)} |
| Misra et al. 2018, 1-LV-LR | ${f(MISRA_2018_ANCHORS['1-LV-LR'], 3)} |
| Misra et al. 2018, K-LV-LR | ${f(MISRA_2018_ANCHORS['K-LV-LR'], 3)} |
| Misra et al. 2018, K-LF-ML (their best) | ${f(MISRA_2018_ANCHORS['K-LF-ML'], 3)} |
| EVALUATION.md numpy one-latent-size reference (2 seeds) | 0.676 |

Per seed:

| seed | AUC | small | fit | large | 1-LV baseline | validation AUC | rounds | train s |
|---|---|---|---|---|---|---|---|---|
${result.seeds.map(seedRow).join('\n')}
| mean | ${f(result.auc)} | ${result.perClass.map((x) => f(x, 3)).join(' | ')} | ${f(result.baseline.auc)} | | | |

Inputs: member, item, rented size, ${data.columns.map((c) => c.name).join(', ')}.
**Not used: \`rating\`, \`recommend\`, \`review_date\`.** Rating and recommend are outcomes of the very rental whose
fit is predicted (a deployable size recommender cannot know them beforehand, and an ill-fitting rental gets a low
rating), so using them would inflate the number; the review date is only known after the rental.
`;
await writeFile('bench/results/fit.md', md);
console.log(`mean AUC ${f(result.auc)} (baseline ${f(result.baseline.auc)}); wrote bench/results/fit.json and fit.md`);
