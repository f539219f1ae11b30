/**
 * Screens variants of the hybrid's learner on RTR global-time (Misra, Wan & McAuley, RecSys 2018)
 * at a fraction of `vitrine evaluate`'s CPU: the serving state and the inner training sets are built
 * once per (seed, roles) and shared by the variants; each variant is learned, judged by the guard and
 * scored exactly as `evaluate --protocol global-time --cutoff 2017-07-01 --algorithms hybrid
 * --threads 1` does it (same NDCG@10 to the last digit for the defaults). Only the ranker for
 * questions at the training clock is learned (global-time asks nothing before it).
 *   node --import tsx bench/hybrid-learner-screen.ts <seed> '[{"name":"cv5","params":{"innerFolds":5}}]'
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
import { guardLabel, learnRanking } from '../src/ml/hybrid/learned-ranking.ts';
import { MemberProfiles } from '../src/ml/hybrid/member-profiles.ts';
import { resolveHybridParams, type HybridParams } from '../src/ml/hybrid/params.ts';
import { RankingState } from '../src/ml/hybrid/ranking-state.ts';
import { sizeScale } from '../src/ml/hybrid/size-scale.ts';
import { rowsBefore } from '../src/ml/hybrid/time-slice.ts';
import { buildTrainingSets, type TrainingSets } from '../src/ml/hybrid/training-set.ts';
import { RTR_FILE } from './rtr-global-time.ts';

const seed = Number(process.argv[2] ?? 42);
const variants: Array<{ name: string; params: Partial<HybridParams> }> = JSON.parse(process.argv[3] ?? '[{"name":"defaults","params":{}}]');
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
  let c = cpu();
  const learned = learnRanking(sets.global, p, 'questions at or after the training clock');
  const learnCpu = cpu() - c;
  const manifest = trainingManifest('hybrid', HYBRID_FORMAT_VERSION, p, data, { asOf, components: components.names, ranking: learned.ranking });
  const current = { forest: learned.forest, ranking: learned.ranking, ...(learned.blend ? { blend: learned.blend } : {}) };
  const model = new HybridModel(manifest, data.itemIds, state, { current }, timeline);
  c = cpu();
  const { lists } = await recommendAll(model, { algorithm: 'hybrid', users: split.users, k: 10, threads: 1 });
  const r = scoreLists(split, lists, 10, all.itemIds.length, { trainSeconds: 0, recommendSeconds: 0, recommendWorkers: 0, params: p, unrankedUsers: 0 });
  log(`seed ${seed} ${v.name}: NDCG@10 ${r.ndcg.toFixed(5)} Recall@10 ${r.recall.toFixed(4)} HR@10 ${r.hitRate.toFixed(4)} rounds ${learned.rounds} `
    + `held-out NDCG@10 ${learned.validationNdcg.toFixed(4)}; CPU s learner ${learnCpu.toFixed(1)}, ranking ${(cpu() - c).toFixed(1)} | ${guardLabel(learned.verdict)}`);
}
