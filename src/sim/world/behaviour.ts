/**
 * How a synthetic member responds: the probability of viewing, hearting, renting, dismissing and
 * buying an item, the fit they report, the rating they give, and how disappointment raises their churn
 * hazard. Pure functions of the latent truth, shared by the world generator and the closed-loop
 * simulator so that both worlds obey the same member model.
 */
import type { Fit } from '../../core/types.ts';
import type { Rng } from './rng.ts';
import { SIZE_STEP, SIZE_VALUES } from './size-chart.ts';

/** Most items a member holds at once. */
export const MAX_HELD = 3;
/** A visit where nothing shown reaches this affinity is a visit with "nothing I like". */
export const LIKE_THRESHOLD = 0.55;
/** |worn size − true size| (chart units, noise included) beyond which the member reports small/large. */
export const FIT_TOLERANCE = 2;
/** Spread of the member's fit perception (chart units). */
export const FIT_NOISE_SD = 1.2;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Seasonal log-popularity of an item on a day of the year (0 = 1 January). */
export function seasonLogit(peakDay: number, amplitude: number, dayOfYear: number): number {
  return amplitude * Math.cos((2 * Math.PI * (dayOfYear - peakDay)) / 365);
}

/** P(view | impression): rises with affinity, the item's appeal, its season and its newness. */
export function viewProbability(affinity: number, appeal: number, season: number, isNew: boolean): number {
  return sigmoid(-2.4 + 5 * (affinity - 0.45) + appeal + season + (isNew ? 0.3 : 0));
}

/** P(heart | view). */
export function heartProbability(affinity: number, appeal: number): number {
  return sigmoid(-2.2 + 4 * (affinity - 0.6) + 0.5 * appeal);
}

/**
 * P(rent | view), before size availability; `season` as in viewProbability (nobody rents a wool coat
 * for July however much they like it); `occasionBoost` is > 0 when it suits an upcoming occasion.
 */
export function rentProbability(affinity: number, appeal: number, season: number, occasionBoost: number): number {
  return sigmoid(-1.8 + 5 * (affinity - 0.6) + appeal + season + occasionBoost);
}

/** P(dismiss | impression not viewed): members wave away what is far from their taste. */
export function dismissProbability(affinity: number): number {
  return 0.08 * (1 - affinity);
}

/**
 * Fit the member reports for an item worn in chart size `sizeIndex`: the garment's effective size
 * (label + offset) against the member's true size, through perception noise.
 */
export function fitFeedback(trueSize: number, sizeIndex: number, sizeOffset: number, rng: Rng): Fit {
  const diff = SIZE_VALUES[sizeIndex] + SIZE_STEP * sizeOffset - trueSize + rng.normal(0, FIT_NOISE_SD);
  if (diff < -FIT_TOLERANCE) return 'small';
  if (diff > FIT_TOLERANCE) return 'large';
  return 'fit';
}

/** Rating 2–10 in steps of 2 (RTR's scale): taste and appeal raise it, a bad fit costs. */
export function ratingFor(affinity: number, appeal: number, fit: Fit, rng: Rng): number {
  const score = 3.8 + 6.5 * affinity + 0.5 * appeal + rng.normal(0, 1.2) - (fit === 'fit' ? 0 : 2.5);
  return Math.max(2, Math.min(10, 2 * Math.round(score / 2)));
}

/** P(buy at the end of a rental instead of returning it). */
export function purchaseProbability(affinity: number, fit: Fit): number {
  return fit === 'fit' ? 0.02 + 0.2 * Math.max(0, affinity - 0.5) : 0.005;
}

/** Days a rental is held before it goes back. */
export function rentalDays(rng: Rng): number {
  return 4 + rng.poisson(3);
}

/** Disappointment after a visit: an exponential average of "nothing I like" visits, in [0, 1]. */
export function nextFrustration(previous: number, likedSomething: boolean): number {
  return 0.6 * previous + (likedSomething ? 0 : 0.4);
}

/** P(cancel at the end of a visit): the base hazard, raised up to 6× by disappointment. */
export function churnProbability(baseHazard: number, frustration: number): number {
  return Math.min(1, baseHazard * (1 + 5 * frustration));
}
