/**
 * The validation example of docs/validation.md on Rent the Runway (Misra, Wan & McAuley, RecSys 2018):
 * `vitrine evaluate --protocol global-time --cutoff 2017-07-01 --outcome churn --horizon 60d` with the
 * HTML report, then bench/results/rtr-validation.md from the JSON (which metric predicts churn, per
 * algorithm, with intervals). Skips (exit 0) when ../shared/data/rtr is absent.
 *   node --import tsx bench/rtr-validation.bench.ts [--algorithms a,b] [--md-only]
 * The HTML goes to out/rtr-validation.html (not committed; screenshot: docs/img/report-rtr.png).
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runEvaluate } from '../src/cli/commands/evaluate.ts';
import { RTR_CITATION } from '../src/eval/rtr-dataset.ts';

const RTR_FILE = fileURLToPath(new URL('../../shared/data/rtr/renttherunway_interactions.csv.gz', import.meta.url));
const JSON_OUT = 'bench/results/rtr-validation.json';
const MD_OUT = 'bench/results/rtr-validation.md';
const HTML_OUT = 'out/rtr-validation.html';

const { values } = parseArgs({ options: { algorithms: { type: 'string' }, 'md-only': { type: 'boolean' } } });
const algorithms = values.algorithms ?? 'popularity,popularity-recent,item-knn,ease,als,hybrid';
const args = ['--protocol', 'global-time', '--cutoff', '2017-07-01', '--algorithms', algorithms, '--outcome', 'churn', '--horizon', '60d'];

if (!values['md-only']) {
  if (!existsSync(RTR_FILE)) {
    console.log(`skipped: ${RTR_FILE} is absent (see ../shared/data/rtr/PROVENANCE.md)`);
    process.exit(0);
  }
  const t0 = performance.now();
  const code = await runEvaluate([...args, '--json', JSON_OUT, '--html', HTML_OUT]);
  if (code !== 0) process.exit(code);
  console.error(`evaluate took ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
await writeFile(MD_OUT, markdown(JSON.parse(readFileSync(JSON_OUT, 'utf8')) as ValidationJson));
console.error(`wrote ${MD_OUT}`);

interface Estimate { auc: number; low: number; high: number }
interface Correlation { r: number; low: number; high: number }
interface Row { rank: number; metric: string; n: number; auc: Estimate; r: Correlation; partialR?: Correlation }
interface ValidationJson {
  users: number;
  results: Record<string, { ndcg: number; intervals: Record<string, { estimate: number; low: number; high: number }> }>;
  outcome: { definition: string; members: number; retained: number; churned: number; excludedMembers: number; byAlgorithm: Record<string, Row[]>; activityReference: Row };
}

function markdown(doc: ValidationJson): string {
  const o = doc.outcome;
  const f = (x: number, d = 3): string => x.toFixed(d);
  const ci = (v: number, low: number, high: number, d = 3): string => `${f(v, d)} [${f(low, d)}, ${f(high, d)}]`;
  const label: Record<string, string> = { ndcg: 'NDCG@10', recall: 'Recall@10', precision: 'Precision@10', hitRate: 'HR@10', map: 'MAP@10' };
  const lines = [
    '# Offline metrics vs churn — RTR, global-time 2017-07-01, K = 10, horizon 60 days', '',
    RTR_CITATION, '',
    `${new Date().toISOString()}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(2)}.`,
    `Command: \`vitrine evaluate ${args.join(' ')} --json ${JSON_OUT} --html report.html\` (or \`node --import tsx bench/rtr-validation.bench.ts\`).`,
    'How to read it, definitions and caveats: [docs/validation.md](../../docs/validation.md).', '',
    `Outcome: ${o.definition}. ${o.members.toLocaleString('en-US')} members with an outcome (${o.retained} retained, `
      + `${o.churned} churned); ${o.excludedMembers} evaluated members had no relevant item in the test window.`, '',
    '## Which metric predicts retention (AUC with 95% DeLong interval; r with 95% Fisher z interval)', '',
    '| algorithm | NDCG@10 [95% bootstrap] | best predictor | AUC | r | partial r given activity | worst predictor | AUC |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const [alg, rows] of Object.entries(o.byAlgorithm)) {
    const best = rows[0];
    const worst = rows[rows.length - 1];
    const nd = doc.results[alg].intervals.ndcg;
    lines.push(`| ${alg} | ${ci(nd.estimate, nd.low, nd.high, 4)} | ${label[best.metric]} | ${ci(best.auc.auc, best.auc.low, best.auc.high)} | `
      + `${ci(best.r.r, best.r.low, best.r.high)} | ${best.partialR ? ci(best.partialR.r, best.partialR.low, best.partialR.high) : '—'} | `
      + `${label[worst.metric]} | ${ci(worst.auc.auc, worst.auc.low, worst.auc.high)} |`);
  }
  const ref = o.activityReference;
  lines.push(`| *reference: held-out items (activity), not a metric* | | | ${ci(ref.auc.auc, ref.auc.low, ref.auc.high)} | ${ci(ref.r.r, ref.r.low, ref.r.high)} | | | |`, '');
  lines.push('## Every metric (AUC [95%], rank within the algorithm)', '');
  const algs = Object.keys(o.byAlgorithm);
  lines.push(`| metric | ${algs.join(' | ')} |`, `|---|${algs.map(() => '---').join('|')}|`);
  for (const m of Object.keys(label)) {
    lines.push(`| ${label[m]} | ${algs.map((a) => {
      const r = o.byAlgorithm[a].find((x) => x.metric === m);
      return r ? `${ci(r.auc.auc, r.auc.low, r.auc.high)} #${r.rank}` : '—';
    }).join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}
