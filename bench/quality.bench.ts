/**
 * Served quality (issue 21): a table of algorithms × data sets — RTR global-time (cutoff 2017-07-01),
 * RTR user-time, and one generated world per `vitrine generate --profile` (shop, rental, media; user-time,
 * read through the store and `training.positives` as the pipeline reads it) — with NDCG@10, Recall@10
 * and coverage of every algorithm of EVALUATION.md (offline, src/eval), the champion the validation gate
 * picks on each train part, the hybrid against the best single algorithm, and served quality:
 * `served-for-you` and `served-page` through the real page path (src/sim/replay/served-evaluation.ts,
 * the same code as `vitrine evaluate --served`) for RTR global-time and each profile world; there the
 * champion is the one the production pipeline crowned. Writes bench/results/quality.{json,md}, the
 * previous run kept below the new one. Not a timed test. RTR columns are skipped when ../shared/data/rtr
 * is absent. RTR: Misra, Wan & McAuley, RecSys 2018.
 *   npm run bench:quality [-- --columns rtr-global,rtr-user,shop,rental,media --algorithms a,b --no-served
 *     --world-users 2000 --world-items 400 --world-days 240 --world-seed 21]
 * On a loaded machine the columns can run in parallel processes: each with `--columns … --part FILE`
 * (writes its columns to FILE, not the results), then `--merge FILE,FILE,…` writes the results.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG } from '../src/core/config.ts';
import type { EvalDataset } from '../src/eval/eval-dataset.ts';
import { defaultAlgorithms, evaluateSplit, type AlgorithmResult } from '../src/eval/evaluate.ts';
import { loadRtrDataset, RTR_CITATION } from '../src/eval/rtr-dataset.ts';
import { describeProtocol, parseProtocol, splitDataset, type EvalSplit, type SplitProtocol } from '../src/eval/splits.ts';
import { chooseChampion, type Contender } from '../src/pipeline/champion.ts';
import { ValidationGate } from '../src/pipeline/validation-gate.ts';
import { evaluateServed, SERVED_FOR_YOU, SERVED_PAGE, type ServedEvaluation } from '../src/sim/replay/served-evaluation.ts';
import { profileWorldData } from '../src/sim/replay/world-training-data.ts';
import { WORLD_PROFILES, type WorldProfile } from '../src/sim/world/profiles.ts';

const RTR_FILE = fileURLToPath(new URL('../../shared/data/rtr/renttherunway_interactions.csv.gz', import.meta.url));
const OUT = fileURLToPath(new URL('./results/quality', import.meta.url));
const RTR_COLUMNS = ['rtr-global', 'rtr-user'] as const;
const COLUMNS = [...RTR_COLUMNS, ...WORLD_PROFILES] as const;
type ColumnName = (typeof COLUMNS)[number];
const isProfile = (name: ColumnName): name is WorldProfile => (WORLD_PROFILES as readonly string[]).includes(name);
const PREVIOUS_RUN = '## Previous run';

interface Cell { ndcg: number; recall: number; coverage: number; trainSeconds: number }
interface Column {
  name: ColumnName;
  label: string;
  users: number;
  items: number;
  results: Record<string, Cell>;
  champion?: string;
  /** the gate's scores the champion was picked on (NDCG@10 on the train part's recent split) */
  gateScores: Record<string, number>;
  served?: Omit<ServedEvaluation, 'results'>;
  seconds: number;
}

const { values } = parseArgs({
  options: {
    columns: { type: 'string' }, algorithms: { type: 'string' }, 'no-served': { type: 'boolean' },
    part: { type: 'string' }, merge: { type: 'string' },
    'world-users': { type: 'string' }, 'world-items': { type: 'string' }, 'world-days': { type: 'string' }, 'world-seed': { type: 'string' },
  },
});
const columns = (values.columns?.split(',') ?? [...COLUMNS]) as ColumnName[];
const unknown = columns.filter((c) => !(COLUMNS as readonly string[]).includes(c));
if (unknown.length > 0) throw new Error(`--columns: unknown ${unknown.join(', ')} (known: ${COLUMNS.join(', ')})`);
const algorithms = values.algorithms?.split(',') ?? defaultAlgorithms();
// each profile world's column (offline and served) takes ~1–2 min on 2 loaded cores
const world = {
  users: Number(values['world-users'] ?? 2000), items: Number(values['world-items'] ?? 400),
  days: Number(values['world-days'] ?? 240), seed: Number(values['world-seed'] ?? 21),
};
const log = (line: string): void => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`);

const began = performance.now();
const done: Column[] = [];
let rtr: EvalDataset | undefined;
// parts run in parallel: the merged run's wall time is the longest part's
let partSeconds = 0;
for (const file of values.merge?.split(',') ?? []) {
  const part = JSON.parse(readFileSync(file, 'utf8')) as { columns: Column[]; wallSeconds: number };
  done.push(...part.columns);
  partSeconds = Math.max(partSeconds, part.wallSeconds);
}
done.sort((a, b) => COLUMNS.indexOf(a.name) - COLUMNS.indexOf(b.name));
for (const name of values.merge ? [] : columns) {
  if (!isProfile(name) && !existsSync(RTR_FILE)) {
    log(`${name}: skipped, ${RTR_FILE} is absent`);
    continue;
  }
  const t0 = performance.now();
  const dataset: EvalDataset = isProfile(name) ? { ...(await profileWorldData({ ...world, profile: name })), name } : (rtr ??= await loadRtrDataset(RTR_FILE));
  const protocol: SplitProtocol = name === 'rtr-global' ? parseProtocol('global-time', '2017-07-01') : { name: 'user-time' };
  const split = splitDataset(dataset, protocol);
  const label = `${isProfile(name) ? `${name} world ${world.users}×${world.items}×${world.days}d` : 'RTR'} ${describeProtocol(protocol)}`;
  log(`${label}: ${split.users.length} evaluated members, ${split.train.interactions.itemIds.length} items`);
  const report = await evaluateSplit(split, { algorithms, onProgress: (a, phase, s) => phase === 'done' && log(`${label}: ${a} ranked in ${s?.toFixed(1)} s`) });
  const results: Record<string, Cell> = {};
  for (const [a, r] of Object.entries(report.results)) results[a] = cell(r);
  const column: Column = { name, label, users: split.users.length, items: report.items, results, gateScores: {}, seconds: 0 };
  if ((name === 'rtr-global' || isProfile(name)) && !values['no-served']) {
    const served = await evaluateServed(split, { log: (line) => log(`served: ${line}`) });
    results[SERVED_FOR_YOU] = cell(served.results[SERVED_FOR_YOU]);
    results[SERVED_PAGE] = cell(served.results[SERVED_PAGE]);
    const { results: _, ...facts } = served;
    column.served = facts;
    column.champion = served.champion;
  } else {
    const picked = await gateChampion(dataset.name, split, algorithms);
    column.champion = picked.champion;
    column.gateScores = picked.scores;
  }
  column.seconds = (performance.now() - t0) / 1000;
  done.push(column);
  log(`${label}: done in ${column.seconds.toFixed(0)} s; champion ${column.champion ?? 'none'}`);
}
const wallSeconds = values.merge ? partSeconds : (performance.now() - began) / 1000;
if (values.part) {
  await writeFile(values.part, `${JSON.stringify({ columns: done, wallSeconds, loadAverage: loadavg()[0] }, null, 2)}\n`);
  process.exit(0);
}

const previous = previousRun();
await writeFile(`${OUT}.json`, `${JSON.stringify({
  date: new Date().toISOString(), wallSeconds: Math.round(wallSeconds), loadAverage: loadavg()[0], algorithms, world, k: 10, columns: done,
  citation: RTR_CITATION, ...(previous.json ? { previous: previous.json } : {}),
}, null, 2)}\n`);
const table = markdown(done, wallSeconds);
await writeFile(`${OUT}.md`, previous.md ? `${table}\n${PREVIOUS_RUN}\n\n${previous.md}` : table);
console.log(table);

/** The run the results files hold now, without its own previous run (one run of history is kept). */
function previousRun(): { json?: unknown; md?: string } {
  if (!existsSync(`${OUT}.json`) || !existsSync(`${OUT}.md`)) return {};
  const { previous: _, ...json } = JSON.parse(readFileSync(`${OUT}.json`, 'utf8')) as Record<string, unknown>;
  const md = readFileSync(`${OUT}.md`, 'utf8').split(`\n${PREVIOUS_RUN}\n`)[0]
    .replace(/^# Served quality.*\n/, '').trimStart().trimEnd();
  return { json, md: `${md}\n` };
}

/** The champion the validation gate would crown on the split's train part (its recent split; every contender scored there). */
async function gateChampion(name: string, split: EvalSplit, names: readonly string[]): Promise<{ champion?: string; scores: Record<string, number> }> {
  const opts = DEFAULT_CONFIG.training.gate;
  const gate = new ValidationGate({ name, interactions: split.train.interactions, items: split.train.items }, opts);
  const popularity = await gate.scoreOf('popularity', undefined);
  if (popularity === undefined) return { scores: {} };
  const scores: Record<string, number> = { popularity };
  const contenders: Contender[] = [];
  for (const algorithm of names.filter((a) => opts.algorithms.includes(a))) {
    const score = await gate.scoreOf(algorithm, undefined);
    if (score === undefined) continue;
    scores[algorithm] = score;
    // what the gate would not activate cannot be champion
    if (score >= opts.minVsPopularity * popularity) contenders.push({ algorithm, version: algorithm, score });
  }
  return { champion: chooseChampion(contenders, undefined, opts.tolerance)?.winner.algorithm, scores };
}

function cell(r: AlgorithmResult): Cell {
  return { ndcg: r.ndcg, recall: r.recall, coverage: r.coverage, trainSeconds: r.trainSeconds };
}

function markdown(cols: readonly Column[], seconds: number): string {
  const rows = [...new Set(cols.flatMap((c) => Object.keys(c.results)))];
  const head = `| algorithm | ${cols.map((c) => `${c.label}: NDCG@10 · Recall@10 · coverage`).join(' | ')} |`;
  const line = (a: string) => `| ${a} | ${cols.map((c) => {
    const r = c.results[a];
    if (!r) return '—';
    const text = `${r.ndcg.toFixed(4)} · ${r.recall.toFixed(4)} · ${r.coverage.toFixed(3)}`;
    return a === c.champion ? `**${text}** (champion)` : text;
  }).join(' | ')} |`;
  const ratio = `| hybrid / best single | ${cols.map((c) => {
    const single = Object.entries(c.results).filter(([a]) => a !== 'hybrid' && !a.startsWith('served-')).map(([, r]) => r.ndcg);
    const hybrid = c.results.hybrid?.ndcg;
    return hybrid === undefined || single.length === 0 ? '—' : `${(hybrid / Math.max(...single)).toFixed(2)} (target ≥ 0.95)`;
  }).join(' | ')} |`;
  const champions = `| champion (the gate's pick) | ${cols.map((c) => c.champion ?? 'none').join(' | ')} |`;
  const served = cols.filter((c) => c.served).map((c) => `- ${c.label}: served through the real page path (\`vitrine evaluate --served\`): `
    + `champion ${c.served?.champion ?? 'none'}, for-you from ${c.served?.primaryAlgorithm} (${c.served?.modelVersion ?? '—'}); `
    + `${c.served?.pagesWithoutForYou} of ${c.users} pages without a for-you row (the bandit placed it below the 8 rows shown), `
    + `${c.served?.pagesWithFallbacks} with a fallback; pipeline ${c.served?.trainSeconds.toFixed(0)} s, pages ${c.served?.pageSeconds.toFixed(0)} s.`);
  const gates = cols.filter((c) => Object.keys(c.gateScores).length > 0).map((c) => `- ${c.label}: gate NDCG@10 on the train part's recent split — `
    + Object.entries(c.gateScores).map(([a, s]) => `${a} ${s.toFixed(4)}`).join(', '));
  return `# Served quality — algorithms × data sets, K = 10

${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, load average ${loadavg()[0].toFixed(2)}; wall ${Math.round(seconds)} s.
Command: \`npm run bench:quality\`${values.merge ? ' (its columns run as parallel processes with --part, then --merge)' : ''} (bench/quality.bench.ts). Protocols and metrics: EVALUATION.md (offline rows with its pinned
parameters); \`served-*\` rows: the production pipeline (trainer defaults, validation gate, champion) and the home page
(8 rows of 20, the row-order bandit seeded) composed at the cutoff with each member's train history as online state.

${cols.some((c) => !isProfile(c.name)) ? `${RTR_CITATION}\n\n` : ''}${head}
|${'---|'.repeat(cols.length + 1)}
${rows.map(line).join('\n')}
${ratio}
${champions}

${[...served, ...gates].join('\n')}
`;
}
