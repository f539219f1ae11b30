/** `vitrine evaluate-fit`: the fit protocol of EVALUATION.md (P(small/fit/large), mean one-vs-rest AUC). */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { VitrineError } from '../../core/errors.ts';
import type { AttributeValue } from '../../core/types.ts';
import {
  MISRA_2018_ANCHORS, MISRA_2018_CITATION, runFitProtocol, type FitProtocolResult, type FitSeedResult,
} from '../../eval/fit-protocol.ts';
import { readRtrCsv, RTR_DEFAULT_PATH } from '../../eval/rtr-csv.ts';
import { rtrFitData } from '../../eval/rtr-fit-data.ts';
import type { FitData } from '../../ml/fit/fit-data.ts';
import type { FitParams } from '../../ml/fit/fit-params.ts';
import { fitDataFromInteractions } from '../../ml/fit/from-interactions.ts';
import { loadTrainingData } from '../../pipeline/training-data.ts';
import { openStore } from '../../storage/open-store.ts';
import type { Store } from '../../storage/store.ts';
import { exitOnError } from '../exit.ts';

export const EVALUATE_FIT_HELP = `vitrine evaluate-fit [--data DIR] [--file RTR_CSV] [--seeds 5] [--params JSON] [--json FILE]

Rentals with fit feedback (small / fit / large), split at random 80/10/10 into train / validation /
test for each seed 1…N; the fit model learns from train (validation only for early stopping) and
predicts P(small), P(fit), P(large) for test. Metric: the mean of the three one-vs-rest AUCs,
averaged over seeds. A one-latent-size baseline (member size + item offset + ordinal logit) is scored
on the same splits. Inputs: member, item, size, body, category, occasion — never rating/recommend.

Data:
  --data DIR       the engine's store (sqlite:DIR/vitrine.db), when it holds rentals with fit feedback
  --file RTR_CSV   a Rent the Runway CSV(.gz); the default when --data has none:
                   ${RTR_DEFAULT_PATH} (relative to the working directory)
Options:
  --seeds N        number of seeds (default 5)
  --params JSON    fit model overrides, e.g. '{"learningRate": 0.05}'
  --json FILE      write {"auc", "perSeed", "perClass", "baseline", "seeds", "anchors"}`;

/** Runs `vitrine evaluate-fit`; returns the exit code (0 done, 1 typed error, 2 usage error). */
export async function runEvaluateFit(argv: string[]): Promise<number> {
  return exitOnError(async () => {
    const { values } = parseArgs({
      args: argv,
      options: {
        data: { type: 'string' }, file: { type: 'string' }, seeds: { type: 'string' }, params: { type: 'string' },
        json: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      console.log(EVALUATE_FIT_HELP);
      return 0;
    }
    const nSeeds = values.seeds === undefined ? 5 : Number(values.seeds);
    if (!Number.isInteger(nSeeds) || nSeeds < 1 || nSeeds > 100) {
      console.error(`usage error: --seeds must be an integer in 1..100, got ${values.seeds}`);
      return 2;
    }
    const params = parseParams(values.params);
    const { data, source } = await loadFitData(values.data, values.file);
    console.log(`fit protocol on ${source}: ${data.labels.length} rentals with fit feedback, ` +
      `${data.userIds.length} members, ${data.itemIds.length} items; seeds 1..${nSeeds}`);
    console.log(formatHeader());
    const seeds = Array.from({ length: nSeeds }, (_, j) => j + 1);
    const result = runFitProtocol(data, seeds, params, (r) => console.log(formatSeed(r)));
    console.log(formatSummary(result));
    if (values.json !== undefined) {
      const path = resolve(values.json);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, `${JSON.stringify({ ...result, source, rows: data.labels.length, citation: MISRA_2018_CITATION }, null, 2)}\n`);
      console.log(`wrote ${path}`);
    }
    return 0;
  });
}

function parseParams(text: string | undefined): Partial<FitParams> {
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new VitrineError('VITRINE_MODEL_BAD_PARAMS', '--params is not valid JSON', undefined, { cause });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new VitrineError('VITRINE_MODEL_BAD_PARAMS', '--params must be a JSON object');
  }
  return parsed as Partial<FitParams>;
}

/** --file; else --data's store when it holds fit feedback; else the default RTR file. */
async function loadFitData(dataDir: string | undefined, file: string | undefined): Promise<{ data: FitData; source: string }> {
  if (file !== undefined) return { data: await rtrFitData(readRtrCsv(file)), source: file };
  if (dataDir !== undefined) {
    const dbPath = join(dataDir, 'vitrine.db');
    if (existsSync(dbPath)) {
      const url = `sqlite:${dbPath}`;
      const store = await openStore(url);
      try {
        const training = await loadTrainingData(store);
        const attributes = await memberAttributes(store);
        const data = fitDataFromInteractions(training.fitFeedback, training.fitItems, (id) => attributes.get(id));
        if (data.labels.length > 0) return { data, source: url };
        console.error(`note: ${url} holds no rentals with fit feedback; falling back to the RTR file`);
      } finally {
        await store.close();
      }
    } else console.error(`note: no store at ${dbPath}; falling back to the RTR file`);
  }
  if (!existsSync(RTR_DEFAULT_PATH)) {
    throw new VitrineError('VITRINE_IMPORT_FILE_NOT_FOUND',
      `no fit data: pass --data DIR (a store with fit feedback) or --file RTR_CSV; the default ${RTR_DEFAULT_PATH} is not there`);
  }
  return { data: await rtrFitData(readRtrCsv(RTR_DEFAULT_PATH)), source: RTR_DEFAULT_PATH };
}

async function memberAttributes(store: Store): Promise<Map<string, Record<string, AttributeValue>>> {
  const out = new Map<string, Record<string, AttributeValue>>();
  let afterId: string | undefined;
  for (;;) {
    const page = await store.listUsers({ afterId, limit: 5000 });
    if (page.length === 0) return out;
    for (const u of page) out.set(u.id, u.attributes);
    afterId = page[page.length - 1].id;
  }
}

const f3 = (x: number): string => x.toFixed(3);
const f4 = (x: number): string => x.toFixed(4);

function formatHeader(): string {
  return `\n${'seed'.padEnd(6)}${'model AUC'.padEnd(11)}${'small'.padEnd(8)}${'fit'.padEnd(8)}${'large'.padEnd(8)}` +
    `${'1-LV baseline'.padEnd(15)}${'rounds'.padEnd(8)}train s`;
}

function formatSeed(r: FitSeedResult): string {
  return `${String(r.seed).padEnd(6)}${f4(r.auc).padEnd(11)}${f3(r.perClass[0]).padEnd(8)}${f3(r.perClass[1]).padEnd(8)}` +
    `${f3(r.perClass[2]).padEnd(8)}${f4(r.baselineAuc).padEnd(15)}${String(r.rounds).padEnd(8)}${r.trainSeconds.toFixed(1)}`;
}

function formatSummary(r: FitProtocolResult): string {
  const n = r.perSeed.length;
  const sd = Math.sqrt(r.perSeed.reduce((a, x) => a + (x - r.auc) ** 2, 0) / Math.max(1, n - 1));
  const a = MISRA_2018_ANCHORS;
  const line = (label: string, run: string, reference: string): string => `  ${label.padEnd(58)}${run.padEnd(10)}${reference}`;
  return [
    `${'mean'.padEnd(6)}${f4(r.auc).padEnd(11)}${f3(r.perClass[0]).padEnd(8)}${f3(r.perClass[1]).padEnd(8)}` +
      `${f3(r.perClass[2]).padEnd(8)}${f4(r.baseline.auc).padEnd(15)}${n > 1 ? `sd over seeds ${f4(sd)}` : ''}`,
    '',
    line(`mean one-vs-rest AUC on test (${n} seed${n > 1 ? 's' : ''})`, 'this run', 'reference'),
    line('Vitrine fit model (latent sizes + history + body → trees)', f4(r.auc), ''),
    line('Vitrine 1-LV baseline (member size + item offset + logit)', f4(r.baseline.auc), ''),
    line('Misra et al. 2018, 1-LV-LR', '', f3(a['1-LV-LR'])),
    line('Misra et al. 2018, K-LV-LR', '', f3(a['K-LV-LR'])),
    line('Misra et al. 2018, K-LF-ML (their best)', '', f3(a['K-LF-ML'])),
    line('EVALUATION.md numpy one-latent-size reference', '', '0.676'),
    `Data: ${MISRA_2018_CITATION}.`,
  ].join('\n');
}
