/**
 * Feature extraction: one row of FEATURE_NAMES per (member, candidate item), everything as of the
 * clock of the ItemStats and MemberProfiles it reads (the inner cutoff in training, the end of train
 * in serving), so a row means the same thing in both. NaN = unknown (the trees route it).
 *
 * Components (the member's scores from the component models; `…Rel` = score / the member's best):
 *   knn, knnRel — item-kNN (cosine, Σ over the member's items); ease, easeRel — EASE on the popular
 *   items; als, alsRel — implicit ALS; content, contentRel — cosine of item features to the member's.
 * Popularity (as a multiple of the mean rented item, so that growth of the business does not shift it):
 *   pop7, pop30, popRecent (recentDays), pop365, popDecayed (half-life), popAll; trendWeek = 7-day rate /
 *   30-day rate, trendMonth = 30-day rate / recent rate; popRank = place in the recent-popularity order.
 * Size: sizePopRecent / sizePopAll — rentals in the member's size band (±2 sizes, halved per step;
 *   EVALUATION.md's reference row) recently / all time, as a multiple of the mean item; sizeMatch — share
 *   of the item's sized rentals within ±1 size of the member; sizeGap — |member size − the item's median
 *   rented size| in steps; memberSize — the member's median rank.
 * Taste: catAffinity — the member's share of rentals in the item's category (smoothed towards the
 *   market); catLift — catAffinity / the category's recent market share; lastCategory — 1 when the
 *   item's category is that of the member's latest rental; occasionMatch — cosine of the member's and
 *   the item's occasion mixes.
 * Fit: fitRate — the item's smoothed share of "fit" feedback; runsLarge — (large − small) / feedback.
 *   TODO(cost): the fit model's own P(fit | member, item, size) per candidate would be sharper, but it
 *   needs a trained FitModel per inner split and ~400 forest predictions per member; the fit group is
 *   worth ≈ +0.0002 NDCG on RTR (ablation), so its item-level form is used for now.
 * Age: itemAgeDays — days since the first rental; itemIdleDays — days since the last; catalogueAgeDays —
 *   days since createdAt; newSinceMember — the item's first rental minus the member's last (> 0: the
 *   item appeared after the member last rented).
 * Price: price; priceRatio — log(price / the member's median price).
 * Member: memberItems — number of items in train (68% of RTR members have one); memberIdleDays —
 *   days since their last rental; memberTenureDays — days between their first and last item.
 */
import type { ComponentScores } from './components.ts';
import type { ItemStats } from './item-stats.ts';
import type { MemberState } from './member-profiles.ts';
import { sizeBandSum } from './size-scale.ts';
import { memberCategoryCounts } from './candidates.ts';

export const FEATURE_NAMES = [
  'knn', 'knnRel', 'ease', 'easeRel', 'als', 'alsRel', 'content', 'contentRel',
  'pop7', 'pop30', 'popRecent', 'pop365', 'popDecayed', 'popAll', 'trendWeek', 'trendMonth', 'popRank',
  'sizePopRecent', 'sizePopAll', 'sizeMatch', 'sizeGap', 'memberSize',
  'catAffinity', 'catLift', 'lastCategory', 'occasionMatch',
  'fitRate', 'runsLarge',
  'itemAgeDays', 'itemIdleDays', 'catalogueAgeDays', 'newSinceMember',
  'price', 'priceRatio',
  'memberItems', 'memberIdleDays', 'memberTenureDays',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export const N_FEATURES = FEATURE_NAMES.length;
const F = Object.fromEntries(FEATURE_NAMES.map((n, j) => [n, j])) as Record<FeatureName, number>;
const COMPONENT_FEATURES = [['knn', F.knn], ['ease', F.ease], ['als', F.als], ['content', F.content]] as const;

/** The item-only features (the same for every member), computed once per clock. */
export class ItemFeatureTable {
  readonly rows: Float32Array;
  /** the item-only feature indexes, in the order of a row of `rows` */
  static readonly FEATURES = [
    F.pop7, F.pop30, F.popRecent, F.pop365, F.popDecayed, F.popAll, F.trendWeek, F.trendMonth, F.popRank,
    F.fitRate, F.runsLarge, F.itemAgeDays, F.itemIdleDays, F.catalogueAgeDays, F.price,
  ];

  constructor(readonly stats: ItemStats, recentDays: number) {
    const c = stats.columns;
    const n = stats.nItems;
    const width = ItemFeatureTable.FEATURES.length;
    const known = Math.max(1, stats.totals[6]);
    const mean = (j: number): number => Math.max(stats.totals[j], 1e-9) / known;
    const popRank = rankOrder(c.tailScore);
    let fitOk = 0;
    let fitAll = 0;
    for (let i = 0; i < n; i++) {
      fitOk += c.fitOk[i];
      fitAll += c.fitLabelled[i];
    }
    const fitPrior = fitAll > 0 ? fitOk / fitAll : Number.NaN;
    this.rows = new Float32Array(n * width);
    for (let i = 0; i < n; i++) {
      const has = fitAll > 0;
      const values = [
        c.pop7[i] / mean(0), c.pop30[i] / mean(1), c.popRecent[i] / mean(2), c.pop365[i] / mean(3), c.popDecayed[i] / mean(4),
        c.popAll[i] / mean(5),
        (c.pop7[i] * (30 / 7) + 1) / (c.pop30[i] + 1), (c.pop30[i] + 1) / (c.popRecent[i] * (30 / recentDays) + 1), popRank[i],
        has ? (c.fitOk[i] + 2 * fitPrior) / (c.fitLabelled[i] + 2) : Number.NaN,
        has ? (c.fitLarge[i] - c.fitSmall[i]) / (c.fitLabelled[i] + 2) : Number.NaN,
        stats.asOfDay - c.firstDay[i], stats.asOfDay - c.lastDay[i], stats.asOfDay - c.createdDay[i], c.price[i],
      ];
      this.rows.set(values, i * width);
    }
  }
}

/**
 * Features of `candidates` for `member`, row-major (candidate k, feature j at k·N_FEATURES + j),
 * written into `out` from row `offset`.
 */
export function extractFeatures(
  table: ItemFeatureTable, member: MemberState, components: ComponentScores, candidates: Int32Array,
  out: Float32Array, offset = 0,
): void {
  const stats = table.stats;
  const c = stats.columns;
  const nRanks = stats.nRanks;
  const known = Math.max(1, stats.totals[6]);
  const meanRecent = Math.max(stats.totals[2], 1e-9) / known;
  const meanAll = Math.max(stats.totals[5], 1e-9) / known;
  const nHist = member.items.length;
  const byCategory = memberCategoryCounts(member, stats);
  const lastCat = latestCategory(member, stats);
  const occasionNorm = norm(member.occasions);
  const medianPrice = medianOf(Array.from(member.items, (i) => c.price[i]).filter(Number.isFinite));
  const best = bestScores(components, candidates);
  const itemWidth = ItemFeatureTable.FEATURES.length;
  const size = member.sizeRank;
  const hasSize = !Number.isNaN(size);
  for (let k = 0; k < candidates.length; k++) {
    const i = candidates[k];
    const row = (offset + k) * N_FEATURES;
    for (let j = 0; j < itemWidth; j++) out[row + ItemFeatureTable.FEATURES[j]] = table.rows[i * itemWidth + j];
    for (const [name, at] of COMPONENT_FEATURES) {
      const scores = components[name];
      const s = scores ? scores[i] : Number.NaN;
      out[row + at] = s;
      out[row + at + 1] = best[name] > 0 && Number.isFinite(s) ? s / best[name] : Number.NaN;
    }
    const base = i * nRanks;
    let sizedAll = 0;
    let near = 0;
    for (let r = 0; r < nRanks; r++) {
      sizedAll += stats.sizeAll[base + r];
      if (hasSize && Math.abs(r - size) <= 1) near += stats.sizeAll[base + r];
    }
    out[row + F.sizePopRecent] = hasSize ? sizeBandSum(stats.sizeRecent, base, nRanks, size) / meanRecent : Number.NaN;
    out[row + F.sizePopAll] = hasSize ? sizeBandSum(stats.sizeAll, base, nRanks, size) / meanAll : Number.NaN;
    out[row + F.sizeMatch] = hasSize && sizedAll > 0 ? (near + 0.1) / (sizedAll + 1) : Number.NaN;
    out[row + F.sizeGap] = hasSize ? Math.abs(size - c.sizeMedian[i]) : Number.NaN;
    out[row + F.memberSize] = size;
    const cat = stats.category[i];
    const market = stats.categoryShare[cat];
    const affinity = (byCategory[cat] + market) / (nHist + 1);
    out[row + F.catAffinity] = affinity;
    out[row + F.catLift] = affinity / market;
    out[row + F.lastCategory] = lastCat < 0 ? Number.NaN : lastCat === cat ? 1 : 0;
    out[row + F.occasionMatch] = occasionNorm > 0 ? occasionCosine(member.occasions, occasionNorm, stats, i) : Number.NaN;
    out[row + F.newSinceMember] = c.firstDay[i] - member.lastDay;
    out[row + F.priceRatio] = medianPrice > 0 && c.price[i] > 0 ? Math.log(c.price[i] / medianPrice) : Number.NaN;
    out[row + F.memberItems] = nHist;
    out[row + F.memberIdleDays] = stats.asOfDay - member.lastDay;
    out[row + F.memberTenureDays] = member.lastDay - member.firstDay;
  }
}

/** Feature indexes named in a comma-separated list (unknown names are an error for the caller to report). */
export function featureIndexes(names: string): { indexes: number[]; unknown: string[] } {
  const wanted = names.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    // own names only: "toString" or "constructor" is an unknown feature, not an inherited property
    indexes: wanted.filter((n) => Object.hasOwn(F, n)).map((n) => F[n as FeatureName]),
    unknown: wanted.filter((n) => !Object.hasOwn(F, n)),
  };
}

/** Each component's best finite score over the candidates. */
function bestScores(components: ComponentScores, candidates: Int32Array): Record<string, number> {
  const best: Record<string, number> = {};
  for (const [name, scores] of Object.entries(components)) {
    let m = -Infinity;
    for (const i of candidates) if (scores[i] > m) m = scores[i];
    best[name] = m;
  }
  return best;
}

/** 0 for the highest score, 1 for the next…; NaN scores last. */
function rankOrder(scores: Float32Array): Float32Array {
  const order = Int32Array.from({ length: scores.length }, (_, i) => i);
  const key = (i: number): number => (Number.isNaN(scores[i]) ? -Infinity : scores[i]);
  order.sort((a, b) => key(b) - key(a) || a - b);
  const rank = new Float32Array(scores.length);
  order.forEach((i, r) => (rank[i] = r));
  return rank;
}

function latestCategory(member: MemberState, stats: ItemStats): number {
  let best = -1;
  let day = -Infinity;
  for (let t = 0; t < member.items.length; t++) {
    if (member.days[t] > day) {
      day = member.days[t];
      best = stats.category[member.items[t]];
    }
  }
  return best;
}

function norm(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

function occasionCosine(member: Float32Array, memberNorm: number, stats: ItemStats, i: number): number {
  const nOcc = stats.nOccasions;
  let dot = 0;
  let itemNorm = 0;
  for (let o = 0; o < nOcc; o++) {
    const x = stats.occasions[i * nOcc + o];
    dot += member[o] * x;
    itemNorm += x * x;
  }
  return itemNorm > 0 ? dot / (memberNorm * Math.sqrt(itemNorm)) : Number.NaN;
}

function medianOf(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  values.sort((a, b) => a - b);
  return values[(values.length - 1) >> 1];
}
