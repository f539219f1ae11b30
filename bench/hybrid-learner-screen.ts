/**
 * Screens variants of the hybrid's learner on RTR global-time (Misra, Wan & McAuley, RecSys 2018)
 * at a fraction of `vitrine evaluate`'s CPU: the serving state and the inner training sets are built
 * once per (seed, roles) and shared by the variants; each variant is learned, judged by the guard and
 * scored exactly as `evaluate --protocol global-time --cutoff 2017-07-01 --algorithms hybrid
 * --threads 1` does it (same NDCG@10 to the last digit for the defaults). Only the ranker for
 * questions at the training clock is learned (global-time asks nothing before it).
 *   node --import tsx bench/hybrid-learner-screen.ts <seed> '[{"name":"cv5","params":{"innerFolds":5}}]'
 * A cross-fitted variant with "modes" (e.g. ["mean", "refit", "mean-and-refit"]) learns its fold
 * forests once and scores each `foldForests` mode from them. It skips the guard's first fit: the forest
 * that ranks is learned afresh on the training + guard members (learned-ranking.ts) and does not depend
 * on it, so the figures equal evaluate's whenever the guard picks the forest (on RTR global-time it
 * always has, by ≥ 0.008 inner NDCG@10); the log says so instead of printing a verdict. "students"
 * (e.g. [{"name":"leaves31","params":{"maxLeaves":31}}]) adds one distilled forest per entry, its
 * parameters over the variant's (the student's only: the fold forests stay the variant's).
 */
import { readFileSync } from 'node:fs';
import { dataRange, trainingManifest } from '../src/ml/common/train-input.ts';
import { recommendAll } from '../src/eval/recommend-all.ts';
import { scoreLists } from '../src/eval/evaluate.ts';
import { loadRtrDataset } from '../src/eval/rtr-dataset.ts';
import { parseProtocol, splitDataset } from '../src/eval/splits.ts';
import { Components } from '../src/ml/hybrid/components.ts';
import { featureIndexes } from '../src/ml/hybrid/features.ts';
import { HYBRID_FORMAT_VERSION, HybridModel } from '../src/ml/hybrid/hybrid-model.ts';
import { trainingClock } from '../src/ml/hybrid/hybrid-trainer.ts';
import { ItemStats } from '../src/ml/hybrid/item-stats.ts';
import { ItemTimeline } from '../src/ml/hybrid/item-timeline.ts';
import { averageForests } from '../src/ml/hybrid/bagged-ranker.ts';
import { crossFit, foldForestsRanker, refitForest } from '../src/ml/hybrid/cross-fitted-ranker.ts';
import { distilForest } from '../src/ml/hybrid/distilled-ranker.ts';
import type { Forest } from '../src/ml/fit/gbdt/forest.ts';
import { guardLabel, learnRanking, type LearnedRanking } from '../src/ml/hybrid/learned-ranking.ts';
import { concatSets } from '../src/ml/hybrid/ranking-rows.ts';
import { MemberProfiles } from '../src/ml/hybrid/member-profiles.ts';
import { resolveHybridParams, type HybridParams } from '../src/ml/hybrid/params.ts';
import { RankingState } from '../src/ml/hybrid/ranking-state.ts';
import { sizeScale } from '../src/ml/hybrid/size-scale.ts';
import { rowsBefore } from '../src/ml/hybrid/time-slice.ts';
import { buildTrainingSets, type TrainingSets } from '../src/ml/hybrid/training-set.ts';
import { RTR_FILE } from './rtr-global-time.ts';

const seed = Number(process.argv[2] ?? 42);
const variants: Array<{ name: string; params: Partial<HybridParams>; modes?: Array<HybridParams['foldForests']>; students?: Array<{ name: string; params: Partial<HybridParams> }> }> = JSON.parse(process.argv[3] ?? '[{"name":"defaults","params":{}}]');
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const log = (s: string): void => console.log(`[${new Date().toISOString().slice(11, 19)} load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}] ${s}`);

const split = splitDataset(await loadRtrDataset(RTR_FILE), parseProtocol('global-time', '2017-07-01'));
const all = split.train.interactions;
const asOf = trainingClock(dataRange(all).dataTo ?? 0, split.trainEnd);
const data = rowsBefore(all, asOf);
const scale = sizeScale(data.sizeLabels);
const base = resolveHybridParams({ seed });
const dropped = featureIndexes(base.dropFeatures).indexes;
const timeline = ItemTimeline.of(data, split.train.items, scale);
const stats = ItemStats.compute(timeline, { asOf, recentDays: base.recentDays, halfLifeDays: base.halfLifeDays });
const profiles = MemberProfiles.compute(data, scale, asOf);
const components = await Components.train(data, split.train.items, stats, base, base.seed);
const state = new RankingState(stats, profiles, components, base, base.recentDays, dropped);
const setsByRoles = new Map<string, TrainingSets | undefined>();
for (const v of variants) {
  const p = resolveHybridParams({ seed, ...v.params });
  // the rows depend on these only (the variants' other parameters are the learner's)
  const key = JSON.stringify([p.guardShare, p.validationShare, p.negativesPerMember, p.folds]);
  if (!setsByRoles.has(key)) setsByRoles.set(key, await buildTrainingSets(data, split.train.items, scale, asOf, { ...p, memberTimeMembers: 0 }, dropped));
  const sets = setsByRoles.get(key);
  if (!sets?.global) throw new Error('no labelled inner members');
  if (v.modes) {
    let c = cpu();
    const rows = sets.global.guardTrain ? concatSets([sets.global.train, sets.global.guardTrain]) : sets.global.train;
    const fit = crossFit(rows, p.innerFolds, p);
    log(`seed ${seed} ${v.name}: fold forests learned (rounds ${fit.rounds}, held-out NDCG@10 ${fit.curve[fit.rounds - 1].toFixed(4)}), CPU s ${(cpu() - c).toFixed(1)}`);
    let refit: Forest | undefined;
    for (const mode of v.modes) {
      c = cpu();
      const forest = foldForestsRanker(fit, mode, () => (refit ??= refitForest(fit, rows, p)), () => distilForest(averageForests(fit.forests), rows, fit.rounds, p));
      const learned = { forest, ranking: 'forest', verdict: { ranking: 'forest', ndcg: {}, members: 0 }, rounds: fit.rounds, validationNdcg: fit.curve[fit.rounds - 1] } as const;
      await score(`${v.name} ${mode} (${forest.treeRoot.length} trees)`, p, learned, cpu() - c, 'guard skipped (forest assumed)');
    }
    for (const student of v.students ?? []) {
      c = cpu();
      const sp = resolveHybridParams({ ...p, ...student.params });
      const forest = distilForest(averageForests(fit.forests), rows, fit.rounds, sp);
      const learned = { forest, ranking: 'forest', verdict: { ranking: 'forest', ndcg: {}, members: 0 }, rounds: fit.rounds, validationNdcg: fit.curve[fit.rounds - 1] } as const;
      await score(`${v.name} distil, student ${student.name} ${JSON.stringify(student.params)} (${forest.treeRoot.length} trees)`, p, learned, cpu() - c, 'guard skipped (forest assumed)');
    }
    continue;
  }
  const c = cpu();
  const learned = learnRanking(sets.global, p, 'questions at or after the training clock');
  await score(v.name, p, learned, cpu() - c, guardLabel(learned.verdict));
}

async function score(name: string, p: HybridParams, learned: Pick<LearnedRanking, 'forest' | 'ranking' | 'blend' | 'rounds' | 'validationNdcg'>, learnCpu: number, verdict: string): Promise<void> {
  const manifest = trainingManifest('hybrid', HYBRID_FORMAT_VERSION, p, data, { asOf, components: components.names, ranking: learned.ranking });
  const current = { forest: learned.forest, ranking: learned.ranking, ...(learned.blend ? { blend: learned.blend } : {}) };
  const model = new HybridModel(manifest, data.itemIds, state, { current }, timeline);
  const c = cpu();
  const { lists } = await recommendAll(model, { algorithm: 'hybrid', users: split.users, k: 10, threads: 1 });
  const r = scoreLists(split, lists, 10, all.itemIds.length, { trainSeconds: 0, recommendSeconds: 0, recommendWorkers: 0, params: p, unrankedUsers: 0 });
  log(`seed ${seed} ${name}: NDCG@10 ${r.ndcg.toFixed(5)} Recall@10 ${r.recall.toFixed(4)} HR@10 ${r.hitRate.toFixed(4)} rounds ${learned.rounds} `
    + `held-out NDCG@10 ${learned.validationNdcg.toFixed(4)}; CPU s learner ${learnCpu.toFixed(1)}, ranking ${(cpu() - c).toFixed(1)} | ${verdict}`);
}
