/**
 * `for-occasion`: what members rent for the member's upcoming occasion ("For your wedding on 5 June"),
 * else their usual one (from what they rent, else their onboarding answers), learnt from events'
 * `occasion` (RTR's rented_for) and re-ranked for the member by the primary model when it knows them.
 */
import { DAY_MS } from '../../../core/time.ts';
import type { MemberSnapshot } from '../../engine/contracts.ts';
import { checkScoredItems } from '../../fallback/model-output.ts';
import { normaliseOccasion } from '../learning/engagement-signals.ts';
import { askAsMember } from '../compose/member-query.ts';
import { asSegmentedPopularity } from '../../../ml/model-abilities.ts';
import { occasionPlural, reasons, titles } from '../compose/reasons.ts';
import { candidatesFor, filterOptions, type ModelPicker, type PageContext, rankedFromShared, rankedItems, rowIdOf, type RowSource, scoreChecked } from '../compose/row-source.ts';
import type { PageItem } from '../types.ts';

// trained per occasion: candidates when nothing has been counted online for it
const OCCASION_POPULARITY = ['popularity', 'popularity-recent'];

/** The member's next occasion (with its date) or usual one; undefined when nothing says. */
export function memberOccasion(member: MemberSnapshot, now: number): { occasion: string; date?: number } | undefined {
  const upcoming = member.upcoming.filter((u) => u.date >= now - DAY_MS).sort((a, b) => a.date - b.date)[0];
  if (upcoming) return { occasion: normaliseOccasion(upcoming.occasion), date: upcoming.date };
  const counts = new Map<string, number>();
  for (const r of member.recent) if (r.occasion) counts.set(normaliseOccasion(r.occasion), (counts.get(normaliseOccasion(r.occasion)) ?? 0) + 1);
  const usual = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? member.preferences.occasions?.[0];
  return usual ? { occasion: normaliseOccasion(usual) } : undefined;
}

/**
 * Blends the occasion ranking with the member's model scores (each by rank, half and half); the first
 * `keep` of the blend (all by default), scored as in the whole blend. The blend key (list rank + model
 * rank) is a small integer, so the blend is a counting sort, ties in list order (as a stable sort).
 */
export function personalised(items: PageItem[], scores: ArrayLike<number>, keep = items.length): PageItem[] {
  const n = items.length;
  // NaN (never seen by the model) ranks last; ties keep the list's order
  const key = new Float64Array(n);
  for (let k = 0; k < n; k++) key[k] = Number.isNaN(scores[k]) ? -Infinity : scores[k];
  const byScore = Array.from({ length: n }, (_, k) => k).sort((a, b) => key[b] - key[a] || a - b);
  const blend = new Int32Array(n);
  byScore.forEach((k, r) => { blend[k] = k + r; });
  // counting sort by blend key (0 … 2n − 2), stable in k
  const start = new Int32Array(2 * n);
  for (let k = 0; k < n; k++) start[blend[k] + 1]++;
  for (let b = 1; b < start.length; b++) start[b] += start[b - 1];
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[start[blend[k]]++] = k;
  const out: PageItem[] = [];
  for (let r = 0; r < Math.min(keep, n); r++) out.push({ ...items[order[r]], score: 1 - r / n });
  return out;
}

/** Servable items members rent for `occasion`, most rented first. */
export async function occasionCandidates(ctx: PageContext, occasion: string, n: number, models: ModelPicker): Promise<PageItem[]> {
  const learnt = rankedFromShared(ctx.signals.top(`occasion:${occasion}`).ids, ctx.allowed, n, reasons.rentedFor(occasion));
  if (learnt.length > 0) return learnt;
  // a popularity model trained per occasion knows it too
  for (const handle of models.available(OCCASION_POPULARITY)) {
    const segmented = asSegmentedPopularity(handle.model);
    const label = segmented?.segments.find((s) => normaliseOccasion(s) === occasion);
    if (!segmented || label === undefined) continue;
    const scored = checkScoredItems(await segmented.bySegment(label, n, filterOptions(ctx.allowed)), (id) => !!ctx.catalogue.get(id), handle.version);
    return rankedItems(scored.map((s) => s.itemId), ctx.allowed, n, reasons.rentedFor(occasion));
  }
  return [];
}

export const forOccasionRow: RowSource = {
  kind: 'for-occasion',
  fallbacks: 'bound',
  cache: 'live',
  // candidates first (online counts, else these), then the primary model re-ranks them
  modelOrder: (primary) => [...OCCASION_POPULARITY, primary],
  plan(ctx, row, ordinal, size) {
    const found = memberOccasion(ctx.member, ctx.now);
    if (!found || ordinal > 0) return undefined;
    const title = row.title ?? (found.date !== undefined ? titles.upcomingOccasion(found.occasion, found.date) : titles.usualOccasion(found.occasion));
    return { rowId: rowIdOf('for-occasion', found.occasion), kind: 'for-occasion', title, size, ordinal, seed: found.occasion };
  },
  async fill(ctx, plan, models) {
    const occasion = plan.seed ?? '';
    const candidates = await occasionCandidates(ctx, occasion, candidatesFor(ctx, plan.size) * 2, models);
    const primary = models.find();
    if (!primary || candidates.length < 2) return { items: candidates.slice(0, plan.size) };
    const ids = candidates.map((c) => c.itemId);
    const scores = await askAsMember(ctx, primary, (query) => scoreChecked(primary, query, ids, ctx));
    return { items: scores ? personalised(candidates, scores, plan.size) : candidates.slice(0, plan.size), explanation: `What members rent for ${occasionPlural(occasion)}` };
  },
};
