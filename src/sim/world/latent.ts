/**
 * The latent truth of a generated world, as records for `latent/*.jsonl` and `world.json`: what the
 * closed-loop simulator (and any known-answer test) needs and a recommender must never see.
 */
import type { EventType } from '../../core/types.ts';
import { ARCHETYPE_NAMES, LATENT_DIM, OCCASIONS } from './archetypes.ts';
import { FIT_TOLERANCE, MAX_HELD } from './behaviour.ts';
import { EMBEDDING_DIM } from './catalogue.ts';
import type { World } from './generate.ts';
import { SIZE_CHART } from './size-chart.ts';
import { roundTo } from './style-space.ts';
import { DAY_MS } from '../../core/time.ts';

/** One line of latent/members.jsonl. */
export interface LatentMember {
  id: string;
  archetype: string;
  /** unit vector over ARCHETYPE_NAMES */
  taste: number[];
  /** continuous, on the size chart's numeric scale */
  trueSize: number;
  /** expected visits per day */
  activity: number;
  /** base probability of cancelling at the end of a visit */
  hazard: number;
  /** weights over OCCASIONS */
  occasionWeights: number[];
  /** epoch ms */
  joinedAt: number;
  /** epoch ms; absent for members who never cancelled */
  churnedAt?: number;
}

/** One line of latent/items.jsonl. */
export interface LatentItem {
  id: string;
  archetype: string;
  /** unit vector over ARCHETYPE_NAMES */
  style: number[];
  /** chart steps; + runs large */
  sizeOffset: number;
  /** log-odds of global attractiveness */
  appeal: number;
  seasonPeakDay: number;
  seasonAmplitude: number;
}

/** world.json: how the world was made and what it holds. */
export interface WorldMeta {
  format: 'vitrine-world/1';
  /** `profile` only for a world not told as rental (profiles.ts) */
  args: { users: number; items: number; days: number; seed: number; start: string; impressionsPerVisit: number; profile?: string };
  counts: { items: number; users: number; events: number; churned: number; byType: Record<EventType, number> };
  dateRange: { start: string; end: string };
  archetypes: readonly string[];
  occasions: readonly string[];
  sizeChart: readonly string[];
  latentDim: number;
  embeddingDim: number;
  maxHeld: number;
  fitTolerance: number;
}

const vector = (v: Float32Array, row: number, dim: number): number[] =>
  Array.from(v.subarray(row * dim, (row + 1) * dim), (x) => roundTo(x, 4));

/** Latent member records; `churnedAt` is known once the history has run. */
export function latentMembers(world: World): LatentMember[] {
  const { members, history, options } = world;
  return members.records.map((r, m) => {
    const rec: LatentMember = {
      id: r.id,
      archetype: ARCHETYPE_NAMES[members.primaryArchetype[m]],
      taste: vector(members.taste, m, LATENT_DIM),
      trueSize: roundTo(members.trueSize[m], 3),
      activity: roundTo(members.activity[m], 4),
      hazard: roundTo(members.hazard[m], 5),
      occasionWeights: vector(members.occasionWeights, m, OCCASIONS.length),
      joinedAt: options.startMs + members.joinDay[m] * DAY_MS,
    };
    if (!Number.isNaN(history.churnedAt[m])) rec.churnedAt = history.churnedAt[m];
    return rec;
  });
}

/** Latent item records. */
export function latentItems(world: World): LatentItem[] {
  const cat = world.catalogue;
  return cat.records.map((r, i) => ({
    id: r.id,
    archetype: ARCHETYPE_NAMES[cat.primaryArchetype[i]],
    style: vector(cat.style, i, LATENT_DIM),
    sizeOffset: roundTo(cat.sizeOffset[i], 3),
    appeal: roundTo(cat.appeal[i], 3),
    seasonPeakDay: cat.seasonPeakDay[i],
    seasonAmplitude: roundTo(cat.seasonAmplitude[i], 3),
  }));
}

/** The world's summary for world.json (no timings, so that it is byte-stable). */
export function worldMeta(world: World): WorldMeta {
  const o = world.options;
  const byType = { ...world.history.counts };
  const events = Object.values(byType).reduce((a, b) => a + b, 0);
  let churned = 0;
  for (const t of world.history.churnedAt) if (!Number.isNaN(t)) churned++;
  return {
    format: 'vitrine-world/1',
    args: {
      users: o.users, items: o.items, days: o.days, seed: o.seed,
      start: new Date(o.startMs).toISOString().slice(0, 10), impressionsPerVisit: o.impressionsPerVisit,
    },
    counts: { items: o.items, users: o.users, events, churned, byType },
    dateRange: { start: new Date(o.startMs).toISOString(), end: new Date(o.startMs + o.days * DAY_MS).toISOString() },
    archetypes: ARCHETYPE_NAMES,
    occasions: OCCASIONS,
    sizeChart: SIZE_CHART,
    latentDim: LATENT_DIM,
    embeddingDim: EMBEDDING_DIM,
    maxHeld: MAX_HELD,
    fitTolerance: FIT_TOLERANCE,
  };
}
