/** `vitrine evaluate`: offline top-N evaluation of algorithms by EVALUATION.md's protocols. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { VitrineError } from '../../core/errors.ts';
import type { EvalDataset } from '../../eval/eval-dataset.ts';
import { checkAlgorithms, defaultAlgorithms, evaluateSplit, EVALUATION_ALGORITHMS, type AlgorithmParams } from '../../eval/evaluate.ts';
import { analyseReport } from '../../eval/analysis/report-analysis.ts';
import { formatOutcomeTable } from '../../eval/outcome/outcome-table.ts';
import { evaluationReportHtml } from '../../eval/report-html/evaluation-page.ts';
import { formatReportTable, reportJson } from '../../eval/report.ts';
import { RTR_DEFAULT_PATH } from '../../eval/rtr-csv.ts';
import { loadRtrDataset, RTR_CITATION } from '../../eval/rtr-dataset.ts';
import { parseProtocol, splitDataset } from '../../eval/splits.ts';
import { writeEvaluationReport } from '../../pipeline/evaluation-report-file.ts';
import { loadTrainingData } from '../../pipeline/training-data.ts';
import { evaluateServed, SERVED_FOR_YOU, SERVED_PAGE, type ServedEvaluation } from '../../sim/replay/served-evaluation.ts';
import { openStore } from '../../storage/open-store.ts';
import { exitOnError } from '../exit.ts';
import { outcomeUsageError, resolveOutcome, writeReportFile, type OutcomeArgs } from './evaluate-outcome.ts';

export const EVALUATE_HELP = `vitrine evaluate [--data DIR] [--file RTR_CSV] --protocol global-time|user-time [--cutoff DATE]
                 [--k 10] [--algorithms a,b,…] [--params JSON] [--json FILE] [--html FILE] [--threads N]
                 [--outcome churn [--horizon 60d] [--outcome-from DATE] | --outcome-csv FILE]
                 [--bootstrap 1000] [--seed 1] [--served]

Trains each algorithm on the train part of a protocol and ranks the whole vocabulary for every
evaluated member through the public recommend API (their train items excluded; no sampled
negatives). Protocols and metrics: EVALUATION.md.

Protocols:
  global-time --cutoff DATE   train = interactions before DATE, test = from DATE on
  user-time                   members with ≥ 5 items hold out their last max(1, floor(20%))

Data (positives = rentals and purchases; for a log without them, rated reviews):
  --data DIR       the engine's store, sqlite:DIR/vitrine.db; the run's JSON report is kept as
                   DIR/reports/evaluation-latest.json (GET /v1/models/evaluation, the console's Models)
  --file RTR_CSV   a Rent the Runway CSV(.gz); the default when --data is not given or has no events:
                   ${RTR_DEFAULT_PATH} (relative to the working directory)

Options:
  --k N            list length (default 10)
  --algorithms L   comma-separated (default: ${EVALUATION_ALGORITHMS.join(', ')} — those this build has)
  --params JSON    per-algorithm overrides, e.g. '{"ease": {"lambda": 100}}'
  --json FILE      write {"protocol","k","users","items","results":{alg:{ndcg,recall,precision,hitRate,map,coverage,trainSeconds}}}
                   + intervals, segments, popularityBias, outcome (added fields; docs/validation.md)
  --html FILE      a self-contained HTML report: metrics with bootstrap intervals, segments, popularity
                   bias, coverage, protocol and data range (and the outcome correlation)
  --threads N      recommendation threads: 0 = automatic (default), 1 = this thread only
  --bootstrap B    bootstrap resamples of members for the intervals (default 1000); --seed S (default 1)
  --served         also replay the split through the real page path (EVALUATION.md § Served): the
                   production pipeline (its default algorithms, the validation gate, the champion)
                   trains on the train part, each evaluated member's home page is composed at the
                   question's time (the cutoff; user-time: their last train interaction) with their train
                   history as online state, and results gain served-for-you (the for-you row's first K)
                   and served-page (the page's first K distinct items, rows top to bottom). --params
                   applies to the pipeline's trainers too; --seed seeds the row-order bandit

Outcome correlation (which offline metric predicts retention: point-biserial r and AUC, with intervals):
  --outcome churn  global-time only: retained = a rental or purchase in the horizon [E, E + H); metrics
                   re-scored on the relevant items first rented in [cutoff, E) (no overlap with the outcome)
  --horizon H      e.g. 60d or 8w (default 60d)
  --outcome-from E start of the horizon (default: the end of the data minus H, so it is observed for all)
  --outcome-csv F  outcomes given as CSV: userId,retained (1/0, true/false, yes/no) or userId,churned;
                   bad rows are reported by line number and skipped

Examples:
  vitrine evaluate --protocol global-time --cutoff 2017-07-01 --json rtr.json
  vitrine evaluate --protocol global-time --cutoff 2017-07-01 --html report.html --outcome churn --horizon 60d`;

interface EvaluateArgs {
  help: boolean;
  data?: string;
  file?: string;
  protocol?: string;
  cutoff?: string;
  k: number;
  algorithms?: string[];
  params: AlgorithmParams;
  json?: string;
  html?: string;
  threads: number;
  bootstrap: number;
  seed: number;
  outcomeArgs: OutcomeArgs;
  served: boolean;
}

/** Parses evaluate's arguments; usage errors exit 2, bad protocols and algorithms are typed errors. */
export function evaluateArgs(argv: string[]): EvaluateArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' }, file: { type: 'string' }, protocol: { type: 'string' }, cutoff: { type: 'string' },
      k: { type: 'string' }, algorithms: { type: 'string' }, params: { type: 'string' }, json: { type: 'string' },
      html: { type: 'string' }, threads: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      outcome: { type: 'string' }, 'outcome-csv': { type: 'string' }, horizon: { type: 'string' }, 'outcome-from': { type: 'string' },
      bootstrap: { type: 'string' }, seed: { type: 'string' }, served: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  const args: EvaluateArgs = {
    help: values.help ?? false, k: 10, params: {}, threads: 0, bootstrap: 1000, seed: 1, served: values.served ?? false,
    outcomeArgs: { outcome: values.outcome, outcomeCsv: values['outcome-csv'], horizon: values.horizon, outcomeFrom: values['outcome-from'] },
  };
  if (args.help) return args;
  if (positionals.length > 0) throw usage(`unexpected argument "${positionals[0]}"`);
  if (values.protocol === undefined) throw usage('--protocol global-time|user-time is required');
  Object.assign(args, { data: values.data, file: values.file, protocol: values.protocol, cutoff: values.cutoff, json: values.json, html: values.html });
  if (values.k !== undefined) args.k = integerFlag('--k', values.k, 1, 1000);
  if (values.threads !== undefined) args.threads = integerFlag('--threads', values.threads, 0, 64);
  if (values.bootstrap !== undefined) args.bootstrap = integerFlag('--bootstrap', values.bootstrap, 10, 100_000);
  if (values.seed !== undefined) args.seed = integerFlag('--seed', values.seed, 0, 2 ** 31 - 1);
  const outcomeError = outcomeUsageError(args.outcomeArgs);
  if (outcomeError) throw usage(outcomeError);
  if (values.algorithms !== undefined) args.algorithms = values.algorithms.split(',').map((a) => a.trim()).filter(Boolean);
  if (values.params !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(values.params);
    } catch (err) {
      throw new VitrineError('VITRINE_MODEL_BAD_PARAMS', `--params is not valid JSON: ${(err as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new VitrineError('VITRINE_MODEL_BAD_PARAMS', '--params must be a JSON object: {"<algorithm>": {"<param>": value}}');
    }
    args.params = parsed as AlgorithmParams;
  }
  return args;
}

/** Runs `vitrine evaluate`; returns the exit code. */
export async function runEvaluate(argv: string[]): Promise<number> {
  return exitOnError(async () => {
    const args = evaluateArgs(argv);
    if (args.help) {
      console.log(EVALUATE_HELP);
      return 0;
    }
    const protocol = parseProtocol(args.protocol, args.cutoff);
    const algorithms = args.algorithms ?? defaultAlgorithms();
    checkAlgorithms(algorithms, args.params);
    for (const name of Object.keys(args.params)) {
      if (!algorithms.includes(name)) console.error(`note: --params for "${name}" ignored: it is not among the evaluated algorithms`);
    }
    const { dataset, source } = await loadDataset(args);
    const split = splitDataset(dataset, protocol);
    const outcome = await resolveOutcome(args.outcomeArgs, dataset, split);
    const report = await evaluateSplit(split, {
      algorithms, k: args.k, params: args.params, threads: args.threads,
      onProgress: (name, phase, seconds) => {
        if (phase === 'train') console.error(`${name}: training…`);
        else if (phase === 'recommend') console.error(`${name}: trained in ${seconds?.toFixed(1)} s; ranking for ${split.users.length} members…`);
      },
    });
    const served = args.served ? await replayServed(split, args) : undefined;
    if (served) Object.assign(report.results, served.results);
    const ctx = { dataset: dataset.name, source };
    console.log(formatReportTable(report, ctx));
    if (served) console.log(`\n${describeServed(served)}`);
    const wantsAnalysis = args.html !== undefined || args.json !== undefined || outcome !== undefined;
    const analysis = wantsAnalysis ? analyseReport(report, split, { bootstrap: { resamples: args.bootstrap, seed: args.seed }, outcome }) : undefined;
    if (analysis?.outcome) console.log(`\n${formatOutcomeTable(analysis.outcome, report.k)}`);
    if (dataset.name === 'rtr') console.log(`\n${RTR_CITATION}`);
    if (args.json !== undefined || args.data !== undefined) {
      const json = reportJson(report, ctx, analysis);
      if (served) json.served = servedJson(served);
      if (args.json !== undefined) await writeReportFile(args.json, `${JSON.stringify(json, null, 2)}\n`);
      if (args.data !== undefined && existsSync(args.data)) {
        const kept = await writeEvaluationReport(args.data, {
          writtenAt: Date.now(), command: `vitrine evaluate ${argv.join(' ')}`, report: json,
          ...(dataset.name === 'rtr' ? { citation: RTR_CITATION } : {}),
        });
        console.error(`kept as the data dir's latest evaluation: ${kept}`);
      }
    }
    if (args.html !== undefined && analysis) {
      const citation = dataset.name === 'rtr' ? RTR_CITATION : undefined;
      await writeReportFile(args.html, evaluationReportHtml(report, analysis, { ...ctx, citation, command: `vitrine evaluate ${argv.join(' ')}` }));
    }
    return 0;
  });
}

/** The served replay of `split` (sim/replay/served-evaluation.ts), logging to stderr. */
async function replayServed(split: Parameters<typeof evaluateServed>[0], args: EvaluateArgs): Promise<ServedEvaluation> {
  console.error(`served: training the production pipeline and composing ${split.users.length} pages…`);
  const params = Object.keys(args.params).length > 0 ? args.params : undefined;
  return evaluateServed(split, { k: args.k, seed: args.seed, log: (line) => console.error(`served: ${line}`), ...(params ? { params } : {}) });
}

/** One paragraph: which model served and how the pages went. */
function describeServed(s: ServedEvaluation): string {
  return `${SERVED_FOR_YOU} / ${SERVED_PAGE}: the real page path — champion ${s.champion ?? 'none (the gate crowned nobody)'}, `
    + `for-you from ${s.primaryAlgorithm}${s.modelVersion ? ` (${s.modelVersion})` : ''}; ${s.pagesWithoutForYou} pages without a for-you row, `
    + `${s.pagesWithFallbacks} with a fallback; pipeline ${s.trainSeconds.toFixed(1)} s, pages ${s.pageSeconds.toFixed(1)} s`;
}

function servedJson(s: ServedEvaluation): Record<string, unknown> {
  return {
    champion: s.champion ?? null, primaryAlgorithm: s.primaryAlgorithm, modelVersion: s.modelVersion ?? null,
    pagesWithoutForYou: s.pagesWithoutForYou, pagesWithFallbacks: s.pagesWithFallbacks,
    trainSeconds: Math.round(s.trainSeconds * 1000) / 1000, pageSeconds: Math.round(s.pageSeconds * 1000) / 1000,
  };
}

/** --file, else --data's store when it holds positives, else the default RTR file. */
async function loadDataset(args: EvaluateArgs): Promise<{ dataset: EvalDataset; source: string }> {
  if (args.file !== undefined) return { dataset: await loadRtrDataset(args.file), source: args.file };
  if (args.data !== undefined) {
    const dbPath = join(args.data, 'vitrine.db');
    if (existsSync(dbPath)) {
      const url = `sqlite:${dbPath}`;
      const store = await openStore(url);
      try {
        const data = await loadTrainingData(store);
        if (data.interactions.users.length > 0) {
          console.error(`read ${data.interactions.users.length} positives (${data.positiveTypes.join(', ')}) from ${url}`);
          return { dataset: data, source: url };
        }
        console.error(`note: ${url} holds no rentals, purchases or rated reviews; falling back to the RTR file`);
      } finally {
        await store.close();
      }
    } else console.error(`note: no store at ${dbPath}; falling back to the RTR file`);
  }
  const path = resolve(RTR_DEFAULT_PATH);
  if (!existsSync(path)) {
    throw new VitrineError('VITRINE_IMPORT_FILE_NOT_FOUND',
      `no data to evaluate: pass --data DIR (a store with imported events) or --file RTR_CSV; the default ${RTR_DEFAULT_PATH} is not there`);
  }
  return { dataset: await loadRtrDataset(path), source: RTR_DEFAULT_PATH };
}

function integerFlag(flag: string, text: string, min: number, max: number): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isInteger(v) || v < min || v > max) throw usage(`${flag} must be an integer from ${min} to ${max}`);
  return v;
}

function usage(message: string): Error {
  return Object.assign(new Error(message), { code: 'ERR_PARSE_ARGS_USAGE' });
}
