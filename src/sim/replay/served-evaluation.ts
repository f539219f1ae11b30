/**
 * Served quality (`vitrine evaluate --served`, EVALUATION.md § Served): a protocol's split replayed
 * through the real page path. The train part goes into a fresh store as the catalogue and `rent`
 * events (so a member's train items are held, which excludes them from pages as the offline protocol
 * excludes them from rankings); the production pipeline trains on it (validation gate, champion);
 * then each evaluated member's page is composed by the serving code, in-process through the HTTP
 * API, with the app's clock at the question's time — the cutoff, or under user-time the member's last
 * train interaction — and their train history as online state. `served-for-you` scores the first K
 * items of the for-you row, `served-page` the page's first K distinct items in reading order (rows top
 * to bottom, items left to right), with the offline metrics (eval/evaluate.ts scoreLists).
 *
 * The clock is overridden for the replay only (buildApp's `clock`); `vitrine serve` never sets it.
 * The row-order bandit draws from a seeded stream, so a replay is repeatable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../core/config.ts';
import { VitrineError } from '../../core/errors.ts';
import type { ItemInput, VitrineEvent } from '../../core/types.ts';
import { FIT_VALUES } from '../../core/types.ts';
import { type AlgorithmResult, scoreLists } from '../../eval/evaluate.ts';
import type { EvalSplit } from '../../eval/splits.ts';
import type { InteractionData, ItemFeatures } from '../../ml/dataset.ts';
import { recordedChampion } from '../../pipeline/champion.ts';
import { trainModels } from '../../pipeline/model-training.ts';
import type { GateOptions } from '../../pipeline/validation-gate.ts';
import { buildApp } from '../../serving/app.ts';
import { SqliteStore } from '../../storage/sqlite/sqlite-store.ts';
import { Rng } from '../world/rng.ts';
import type { ServedPage } from '../simulate/serving-harness.ts';

/** The entries `--served` adds to an evaluation's results. */
export const SERVED_FOR_YOU = 'served-for-you';
export const SERVED_PAGE = 'served-page';

export interface ServedEvaluationOptions {
  /** list length (default 10) */
  k?: number;
  /** what the pipeline trains (default: its own default list, as `vitrine train`) */
  algorithms?: string[];
  /** per-algorithm overrides of the trainers' defaults */
  params?: Record<string, Record<string, unknown>>;
  /** the validation gate (default: the config's) */
  gate?: GateOptions;
  /** rows per page (default 8, the API's) */
  rows?: number;
  /** the rows of the page served instead of the built-in `home` (e.g. for-you alone) */
  template?: ReadonlyArray<{ kind: string }>;
  /** the row-order bandit's seed (default 1) */
  seed?: number;
  log?: (line: string) => void;
}

export interface ServedEvaluation {
  /** the champion the gate crowned (undefined when it crowned none) and what filled for-you */
  champion?: string;
  primaryAlgorithm: string;
  /** the for-you row's model version on the most pages */
  modelVersion?: string;
  results: { [SERVED_FOR_YOU]: AlgorithmResult; [SERVED_PAGE]: AlgorithmResult };
  /** pages on which a fallback fired, and pages without a for-you row */
  pagesWithFallbacks: number;
  pagesWithoutForYou: number;
  trainSeconds: number;
  pageSeconds: number;
}

/** Replays `split` through training and serving (see the file comment). */
export async function evaluateServed(split: EvalSplit, opts: ServedEvaluationOptions = {}): Promise<ServedEvaluation> {
  const k = opts.k ?? 10;
  const log = opts.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-served-'));
  const store = new SqliteStore(join(dir, 'vitrine.db'));
  try {
    const train = split.train.interactions;
    await writeCatalogue(store, train.itemIds, split.train.items, split.dataStart);
    await store.appendEvents(trainEvents(train));
    const config = replayConfig(dir, opts.gate);
    const t0 = performance.now();
    await trainModels(store, dir, {
      algorithms: opts.algorithms, params: opts.params, gate: config.training.gate, easeMaxItems: config.training.easeMaxItems,
      clock: () => split.trainEnd, trainingClock: split.trainEnd, log,
    });
    const trainSeconds = (performance.now() - t0) / 1000;

    let now = split.trainEnd;
    const rng = new Rng(opts.seed ?? 1, 'served-replay');
    const { app, context } = await buildApp({ config, store, clock: () => now, logger: false, random: () => rng.float() });
    try {
      await app.ready();
      await context.serving.localReplica()?.engine.signalsSeeded();
      const pageName = opts.template ? 'replay' : 'home';
      if (opts.template) {
        const put = await app.inject({ method: 'PUT', url: `/v1/pages/${pageName}`, payload: { rows: opts.template } });
        if (put.statusCode >= 300) throw new VitrineError('VITRINE_INTERNAL_ERROR', `served replay: the template was refused: ${put.body}`);
      }
      const lastTrainTs = split.protocol.name === 'user-time' ? lastTsByUser(train) : undefined;
      const size = Math.max(k, 20);
      const forYou: string[][] = [];
      const page: string[][] = [];
      const versions = new Map<string, number>();
      let pagesWithFallbacks = 0;
      let pagesWithoutForYou = 0;
      const t1 = performance.now();
      for (const [j, user] of split.users.entries()) {
        now = lastTrainTs?.get(user.userId) ?? split.trainEnd;
        const res = await app.inject({ method: 'GET', url: `/v1/users/${encodeURIComponent(user.userId)}/page?page=${pageName}&rows=${opts.rows ?? 8}&size=${size}` });
        if (res.statusCode !== 200) throw new VitrineError('VITRINE_INTERNAL_ERROR', `served replay: page of ${user.userId} answered ${res.statusCode}: ${res.body}`);
        const served = res.json() as ServedPage & { modelVersion: string | null };
        if (served.fallbacks.length > 0) pagesWithFallbacks++;
        const row = served.rows.find((r) => r.kind === 'for-you');
        if (!row) pagesWithoutForYou++;
        if (served.modelVersion) versions.set(served.modelVersion, (versions.get(served.modelVersion) ?? 0) + 1);
        forYou.push((row?.items ?? []).slice(0, k).map((i) => i.itemId));
        page.push(firstDistinct(served, k));
        if ((j + 1) % 1000 === 0) log(`served replay: ${j + 1} of ${split.users.length} pages`);
      }
      const pageSeconds = (performance.now() - t1) / 1000;
      const nItems = train.itemIds.length;
      const extra = (lists: string[][]) => ({
        trainSeconds, recommendSeconds: pageSeconds, recommendWorkers: 0, params: {}, unrankedUsers: lists.filter((l) => l.length === 0).length,
      });
      const champion = recordedChampion(await store.listModels())?.algorithm;
      return {
        ...(champion ? { champion } : {}),
        primaryAlgorithm: context.models.primaryAlgorithm,
        ...(versions.size > 0 ? { modelVersion: [...versions].sort((a, b) => b[1] - a[1])[0][0] } : {}),
        results: {
          [SERVED_FOR_YOU]: scoreLists(split, forYou, k, nItems, extra(forYou)),
          [SERVED_PAGE]: scoreLists(split, page, k, nItems, extra(page)),
        },
        pagesWithFallbacks, pagesWithoutForYou, trainSeconds, pageSeconds,
      };
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Serving settings for a replay: a budget no healthy row reaches (a deadline would depend on the machine's load), training inline. */
function replayConfig(dir: string, gate: GateOptions | undefined) {
  return resolveConfig({
    dataDir: dir,
    log: { level: 'error' },
    serving: { budgetMs: 10_000, rowBudgetMs: 10_000, impressionItemEvents: false, impressionFlushMs: 0, pageWorkers: 0 },
    training: { inWorker: false, ...(gate ? { gate: { ...gate, algorithms: [...gate.algorithms] } } : {}) },
  });
}

/** The first `k` distinct items of a page in reading order. */
export function firstDistinct(page: Pick<ServedPage, 'rows'>, k: number): string[] {
  const out = new Set<string>();
  for (const row of page.rows) {
    for (const item of row.items) {
      if (out.size >= k) return [...out];
      out.add(item.itemId);
    }
  }
  return [...out];
}

/** The catalogue: every train item, unsized (so availability filters nothing), created when the data set says. */
async function writeCatalogue(store: SqliteStore, itemIds: readonly string[], items: ItemFeatures | undefined, fallbackCreatedAt: number): Promise<void> {
  const byCreatedAt = new Map<number, Array<{ id: string } & ItemInput>>();
  itemIds.forEach((id, i) => {
    const createdAt = items && items.createdAt[i] > 0 ? items.createdAt[i] : fallbackCreatedAt;
    const item: { id: string } & ItemInput = { id, title: id, category: items?.category[i] || 'item' };
    if (items?.brand[i]) item.brand = items.brand[i];
    if (items && items.tags[i].length > 0) item.tags = items.tags[i];
    if (items && Object.keys(items.attributes[i]).length > 0) item.attributes = items.attributes[i];
    if (items?.price[i] !== undefined) item.price = items.price[i];
    const d = items?.embeddingDim;
    if (items?.embedding && d) item.embedding = Array.from(items.embedding.subarray(i * d, (i + 1) * d));
    let group = byCreatedAt.get(createdAt);
    if (!group) byCreatedAt.set(createdAt, (group = []));
    group.push(item);
  });
  for (const [createdAt, group] of byCreatedAt) await store.upsertItems(group, createdAt);
}

/** The train part as `rent` events, with their size, fit feedback and occasion. */
function trainEvents(train: InteractionData): VitrineEvent[] {
  return Array.from(train.users, (u, r) => {
    const e: VitrineEvent = { id: `replay-${r}`, type: 'rent', userId: train.userIds[u], itemId: train.itemIds[train.items[r]], ts: train.ts[r] };
    const size = train.sizes?.[r] ?? -1;
    if (size >= 0 && train.sizeLabels) e.size = train.sizeLabels[size];
    const fit = train.fits?.[r] ?? -1;
    if (fit >= 0) e.fit = FIT_VALUES[fit];
    const occasion = train.occasions?.[r] ?? -1;
    if (occasion >= 0 && train.occasionLabels) e.occasion = train.occasionLabels[occasion];
    return e;
  });
}

/** Each member's last train interaction (user-time: the time their question is asked). */
function lastTsByUser(train: InteractionData): Map<string, number> {
  const last = new Map<string, number>();
  for (let r = 0; r < train.users.length; r++) {
    const id = train.userIds[train.users[r]];
    const prev = last.get(id);
    if (prev === undefined || train.ts[r] > prev) last.set(id, train.ts[r]);
  }
  return last;
}
