/**
 * The hybrid's ceiling: which share of RTR global-time's relevant (member, item) pairs (Misra, Wan &
 * McAuley, RecSys 2018; EVALUATION.md) enter the candidate pool at all, per source and for the union,
 * as of the cutoff, before any ranker is trained. A relevant item outside the pool can only be found
 * by the popularity tail below it, so tune sources here before tuning the trees.
 *   node --import tsx bench/hybrid-candidates.ts [--params JSON]
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadRtrDataset, RTR_CITATION } from '../src/eval/rtr-dataset.ts';
import { parseProtocol, splitDataset } from '../src/eval/splits.ts';
import { topN } from '../src/ml/common/top-n.ts';
import { blockedItems, candidatesFor } from '../src/ml/hybrid/candidates.ts';
import { Components } from '../src/ml/hybrid/components.ts';
import { ItemStats } from '../src/ml/hybrid/item-stats.ts';
import { ItemTimeline } from '../src/ml/hybrid/item-timeline.ts';
import { MemberProfiles } from '../src/ml/hybrid/member-profiles.ts';
import { resolveHybridParams } from '../src/ml/hybrid/params.ts';
import { sizeBandSum, sizeScale } from '../src/ml/hybrid/size-scale.ts';
import { trainingClock } from '../src/ml/hybrid/hybrid-trainer.ts';
import { rowsBefore } from '../src/ml/hybrid/time-slice.ts';
import { dataRange } from '../src/ml/common/train-input.ts';

const RTR_FILE = fileURLToPath(new URL('../../shared/data/rtr/renttherunway_interactions.csv.gz', import.meta.url));
const DEPTHS = [10, 50, 100, 200, 400];
const { values } = parseArgs({ options: { params: { type: 'string' } } });

if (!existsSync(RTR_FILE)) {
  console.log(`skipped: ${RTR_FILE} is absent`);
  process.exit(0);
}
const p = resolveHybridParams(values.params ? JSON.parse(values.params) : {});
const split = splitDataset(await loadRtrDataset(RTR_FILE), parseProtocol('global-time', '2017-07-01'));
const all = split.train.interactions;
const asOf = trainingClock(dataRange(all).dataTo ?? 0, split.trainEnd);
const data = rowsBefore(all, asOf);
const scale = sizeScale(data.sizeLabels);
const timeline = ItemTimeline.of(data, split.train.items, scale);
const stats = ItemStats.compute(timeline, { asOf, recentDays: p.recentDays, halfLifeDays: p.halfLifeDays });
const profiles = MemberProfiles.compute(data, scale, asOf);
const components = await Components.train(data, split.train.items, stats, p, p.seed);
const itemIndex = new Map(data.itemIds.map((id, i) => [id, i]));
const n = stats.nItems;
const known = Math.max(1, stats.totals[6]);
const meanRecent = Math.max(stats.totals[2], 1e-9) / known;

/** hits[source][depth] = relevant pairs found in the source's top `depth` */
const hits = new Map<string, number[]>();
const add = (name: string, scores: Float32Array, blocked: Uint8Array, relevant: Set<number>): void => {
  const top = topN(scores, DEPTHS[DEPTHS.length - 1], blocked);
  const row = hits.get(name) ?? DEPTHS.map(() => 0);
  top.forEach((i, r) => {
    if (relevant.has(i)) DEPTHS.forEach((d, j) => (row[j] += r < d ? 1 : 0));
  });
  hits.set(name, row);
};
let pairs = 0;
let union = 0;
let poolSize = 0;
let members = 0;
for (const user of split.users) {
  const u = profiles.history.rowOf(user.userId);
  if (u === undefined) continue;
  const member = profiles.stateOf(u);
  const relevant = new Set([...user.relevant].map((id) => itemIndex.get(id)).filter((i): i is number => i !== undefined));
  pairs += relevant.size;
  members++;
  const blocked = blockedItems(member, stats);
  const scores = components.scores({ userId: user.userId });
  add('tail (recent + decayed)', stats.columns.tailScore, blocked, relevant);
  add('popRecent', stats.columns.popRecent, blocked, relevant);
  if (!Number.isNaN(member.sizeRank)) {
    const band = new Float32Array(n);
    const ref = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const s = sizeBandSum(stats.sizeRecent, i * stats.nRanks, stats.nRanks, member.sizeRank);
      band[i] = s + 1e-3 * stats.columns.tailScore[i];
      ref[i] = s / meanRecent + stats.columns.popRecent[i] / meanRecent;
    }
    add('size band (+1e-3 tail)', band, blocked, relevant);
    add('size band + popRecent (reference)', ref, blocked, relevant);
  } else add('size band + popRecent (reference)', stats.columns.popRecent, blocked, relevant);
  for (const [name, s] of Object.entries(scores)) add(name, s, blocked, relevant);
  const pool = candidatesFor(member, stats, scores, p, blocked);
  poolSize += pool.length;
  for (const i of pool) if (relevant.has(i)) union++;
}
console.log(`RTR global-time 2017-07-01 (${RTR_CITATION}); ${members} members, ${pairs} relevant pairs`);
console.log(`source | ${DEPTHS.map((d) => `recall@${d}`).join(' | ')}`);
for (const [name, row] of hits) console.log(`${name} | ${row.map((h) => (h / pairs).toFixed(4)).join(' | ')}`);
console.log(`union pool (mean ${(poolSize / members).toFixed(0)} items) | recall ${(union / pairs).toFixed(4)}`);
