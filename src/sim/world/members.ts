/**
 * The synthetic members: a latent taste (a mixture of archetypes), a true size on the chart scale and
 * the one or two sizes they list, body attributes, how often they visit, a base churn hazard, the
 * occasions they dress for, and the day they join.
 */
import type { AttributeValue } from '../../core/types.ts';
import { DAY_MS } from '../../core/time.ts';
import { ARCHETYPE_NAMES, LATENT_DIM, OCCASIONS, STYLE_ARCHETYPES } from './archetypes.ts';
import { Rng } from './rng.ts';
import { nearestSizeIndex, SIZE_CHART, SIZE_COUNT, SIZE_STEP, SIZE_VALUES } from './size-chart.ts';
import { ARCHETYPE_SHARES, mixtureVector } from './style-space.ts';

/** Share of members who are already members on day 0; the rest join over the period. */
const FOUNDING_SHARE = 0.4;
const BODY_TYPES = ['hourglass', 'athletic', 'pear', 'petite', 'full bust', 'straight & narrow', 'apple'];
const BODY_TYPE_WEIGHTS = [0.32, 0.25, 0.13, 0.13, 0.09, 0.09, 0.03];
const CUPS = ['a', 'b', 'c', 'd', 'dd'];
const CUP_WEIGHTS = [0.15, 0.3, 0.3, 0.17, 0.08];
/** Occasions a member may name as upcoming (dressing *for* something). */
const EVENTFUL = new Set(['wedding', 'party', 'formal affair', 'vacation', 'date']);

/** One line of users.jsonl: the `PUT /v1/users` body plus its id. */
export interface WorldUser {
  id: string;
  sizes: string[];
  attributes: Record<string, AttributeValue>;
  preferences: { styles: string[]; occasions: string[] };
  /** date: epoch ms */
  upcoming?: { occasion: string; date: number }[];
}

/** The members with their latent truth in typed arrays (row m = member m). */
export interface Members {
  count: number;
  records: WorldUser[];
  /** count × LATENT_DIM unit vectors */
  taste: Float32Array;
  primaryArchetype: Uint8Array;
  /** continuous, on the chart's numeric scale */
  trueSize: Float32Array;
  /** count × 2 chart indexes of the listed sizes, -1 when only one is listed */
  listedSizes: Int8Array;
  /** expected visits per day */
  activity: Float32Array;
  /** base probability of cancelling at the end of a visit */
  hazard: Float32Array;
  joinDay: Int32Array;
  /** count × OCCASIONS.length, each row sums to 1 */
  occasionWeights: Float32Array;
  /** occasion index of the member's upcoming occasion, -1 when none */
  upcomingOccasion: Int8Array;
  upcomingDay: Int32Array;
}

/** Generates `count` members for a world starting at `startMs` and lasting `days` days. */
export function generateMembers(count: number, seed: number, startMs: number, days: number): Members {
  const rng = new Rng(seed, 'members');
  const nOcc = OCCASIONS.length;
  const ms: Members = {
    count, records: [], taste: new Float32Array(count * LATENT_DIM), primaryArchetype: new Uint8Array(count),
    trueSize: new Float32Array(count), listedSizes: new Int8Array(count * 2), activity: new Float32Array(count),
    hazard: new Float32Array(count), joinDay: new Int32Array(count), occasionWeights: new Float32Array(count * nOcc),
    upcomingOccasion: new Int8Array(count).fill(-1), upcomingDay: new Int32Array(count),
  };
  const width = Math.max(6, String(count).length);
  for (let m = 0; m < count; m++) {
    const primary = rng.weightedIndex(ARCHETYPE_SHARES);
    const taste = mixtureVector(rng, primary, 0.5, 0.25);
    ms.taste.set(taste, m * LATENT_DIM);
    ms.primaryArchetype[m] = primary;

    const trueSize = Math.max(-0.9, Math.min(22.9, rng.normal(9, 4.5)));
    ms.trueSize[m] = trueSize;
    const first = nearestSizeIndex(trueSize);
    const toward = trueSize > SIZE_VALUES[first] ? first + 1 : first - 1;
    const second = rng.chance(0.45) && toward >= 0 && toward < SIZE_COUNT ? toward : -1;
    ms.listedSizes[m * 2] = first;
    ms.listedSizes[m * 2 + 1] = second;

    ms.activity[m] = Math.min(1.5, Math.max(0.01, rng.gamma(1.5, 0.12)));
    ms.hazard[m] = Math.min(0.2, rng.gamma(2, 0.006));
    ms.joinDay[m] = days > 1 && !rng.chance(FOUNDING_SHARE) ? 1 + rng.int(days - 1) : 0;

    const occ = occasionWeightsFor(taste, rng);
    ms.occasionWeights.set(occ, m * nOcc);
    const record: WorldUser = {
      id: `u${String(m + 1).padStart(width, '0')}`,
      sizes: second < 0 ? [SIZE_CHART[first]] : [SIZE_CHART[Math.min(first, second)], SIZE_CHART[Math.max(first, second)]],
      attributes: bodyAttributes(rng, trueSize, startMs + ms.joinDay[m] * DAY_MS),
      preferences: {
        styles: rng.chance(0.8) ? topIndexes(taste, 2, 0.3).map((k) => ARCHETYPE_NAMES[k]) : [],
        occasions: rng.chance(0.7) ? topIndexes(occ, 2, 0.15).map((k) => OCCASIONS[k]) : [],
      },
    };
    if (rng.chance(0.3)) {
      const eventful = Float64Array.from(occ, (w, k) => (EVENTFUL.has(OCCASIONS[k]) ? w : 0));
      const o = rng.weightedIndex(eventful);
      const day = ms.joinDay[m] + 7 + rng.int(54);
      ms.upcomingOccasion[m] = o;
      ms.upcomingDay[m] = day;
      record.upcoming = [{ occasion: OCCASIONS[o], date: startMs + day * DAY_MS }];
    }
    ms.records.push(record);
  }
  return ms;
}

/** Occasion weights implied by a taste (its archetypes' occasion tables), with personal noise. */
function occasionWeightsFor(taste: Float32Array, rng: Rng): Float32Array {
  const w = new Float32Array(OCCASIONS.length);
  for (let k = 0; k < LATENT_DIM; k++) {
    const table = STYLE_ARCHETYPES[k].occasions as Record<string, number>;
    let total = 0;
    for (const o in table) total += table[o];
    for (let j = 0; j < OCCASIONS.length; j++) w[j] += taste[k] * taste[k] * ((table[OCCASIONS[j]] ?? 0) / total);
  }
  let sum = 0;
  for (let j = 0; j < w.length; j++) sum += w[j] = (w[j] + 0.02) * rng.gamma(3, 1 / 3);
  for (let j = 0; j < w.length; j++) w[j] /= sum;
  return w;
}

function bodyAttributes(rng: Rng, trueSize: number, joinedMs: number): Record<string, AttributeValue> {
  const bodyType = BODY_TYPES[rng.weightedIndex(BODY_TYPE_WEIGHTS)];
  const height = bodyType === 'petite' ? rng.normal(62, 1.5) : rng.normal(65.5, 2.6);
  const band = 32 + SIZE_STEP * Math.max(-1, Math.min(4, Math.round((trueSize - 6) / 6 + rng.normal(0, 0.7))));
  return {
    bodyType,
    heightIn: Math.round(height),
    age: Math.min(70, Math.round(20 + rng.gamma(2.5, 5.5))),
    bustSize: `${band}${CUPS[rng.weightedIndex(CUP_WEIGHTS)]}`,
    joined: new Date(joinedMs).toISOString().slice(0, 10),
  };
}

/** Indexes of the `n` largest weights that are at least `min`, largest first. */
function topIndexes(weights: Float32Array, n: number, min: number): number[] {
  return Array.from(weights.keys())
    .filter((k) => weights[k] >= min)
    .sort((a, b) => weights[b] - weights[a] || a - b)
    .slice(0, n);
}
