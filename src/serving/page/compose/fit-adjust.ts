/**
 * Fit: the fit model's P(small / fit / large) of the member in each item in their size filters out
 * what will not fit, re-weights the rest (a true-to-size item moves up) and gives the reason
 * "Runs true to size for you" or a warning. Predictions are made only for items about to be shown,
 * once per item per request; a model that fails or answers nonsense leaves the item as it was.
 */
import type { FitPredictionCache, FitProbabilities as Probabilities } from './fit-prediction-table.ts';
import type { FitPredictor, MemberAttributes } from '../../../ml/model-abilities.ts';
import type { RequestScope, ScopeDeps } from './request-scope.ts';
import { reasons } from './reasons.ts';
import type { PageItem } from '../types.ts';

export interface FitOptions {
  /** drop items with P(fit) below this (0 = never) */
  filterBelow: number;
  /** score + boost × (P(fit) − 0.5) × |score| */
  boost: number;
  /** predictions kept across requests for this member, model and size (row-cache.ts); default: this request's */
  cache?: FitPredictionCache;
  /** the member's profile, for a model that never saw them (profileForFit) */
  attributes?: MemberAttributes;
}

/**
 * The member's profile attributes when the fit model never saw them, so their body speaks for them
 * (a trained member's body is in the model); read from the store under a tenth of the budget. One
 * read per page of such members only: the online state keeps no bodies (a unique profile per member
 * would cost ~200 bytes each at a million members).
 */
export async function profileForFit(scope: RequestScope, fit: FitPredictor | undefined, read: ScopeDeps['memberAttributes']): Promise<MemberAttributes | undefined> {
  const { member } = scope;
  if (!fit || !read || !member.known || fit.knows?.(member.userId) !== false) return undefined;
  return scope.attempt('member-profile', () => read(member.userId), 0.1, () => undefined, 'fit-without-profile');
}

const TRUE_TO_SIZE = 0.6;
const WARN = 0.45;

/**
 * An admit function for one member and size: the item re-scored (and, with `fitReasons`, re-reasoned),
 * or undefined when it will not fit.
 */
export interface FitAdmitter {
  (item: PageItem, fitReasons: boolean): PageItem | undefined;
  /** Predicts these items in one batch when the model can (the likely-shown items of a page), so admitting them is a lookup. */
  warm(itemIds: Iterable<string>): void;
  /** Items admitted so far with a sound prediction, and without one (the model threw or answered nonsense). */
  tally(): { predicted: number; failed: number };
}

const finite = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);
// checked field by field: an array of the three per answer was ~130 arrays of garbage a page
const sound = (answer: unknown): Probabilities | null => {
  const q = answer as Partial<Probabilities> | undefined;
  return q && finite(q.small) && finite(q.fit) && finite(q.large) ? (q as Probabilities) : null;
};

export function fitAdmitter(fit: FitPredictor, userId: string, size: string, opts: FitOptions): FitAdmitter {
  const cache: FitPredictionCache = opts.cache ?? new Map<string, Probabilities | null>();
  const predict = (itemId: string): Probabilities | null => {
    let p = cache.get(itemId);
    if (p === undefined) {
      try {
        p = sound(opts.attributes ? fit.predict(userId, itemId, size, opts.attributes) : fit.predict(userId, itemId, size));
      } catch {
        p = null;
      }
      cache.set(itemId, p);
    }
    return p;
  };
  let predicted = 0;
  let failed = 0;
  const admit = (item: PageItem, fitReasons: boolean): PageItem | undefined => {
    const p = predict(item.itemId);
    if (!p) {
      failed++;
      return item;
    }
    predicted++;
    if (p.fit < opts.filterBelow) return undefined;
    const adjusted: PageItem = { ...item, score: item.score + opts.boost * (p.fit - 0.5) * Math.abs(item.score) };
    if (fitReasons) {
      const reason = p.fit >= TRUE_TO_SIZE ? reasons.runsTrueToSize : p.small >= WARN ? reasons.mayRunSmall : p.large >= WARN ? reasons.mayRunLarge : undefined;
      if (reason) adjusted.reason = reason;
    }
    return adjusted;
  };
  const warm = (itemIds: Iterable<string>): void => {
    if (!fit.predictMany) return;
    const missing = [...new Set(itemIds)].filter((id) => !cache.has(id));
    if (missing.length === 0) return;
    try {
      const answers: unknown = opts.attributes ? fit.predictMany(userId, missing, size, opts.attributes) : fit.predictMany(userId, missing, size);
      // a batch of the wrong length or shape is ignored: admitting falls back to one predict per item
      if (Array.isArray(answers) && answers.length === missing.length) missing.forEach((id, k) => cache.set(id, sound(answers[k])));
    } catch {
      // the per-item path decides, item by item
    }
  };
  return Object.assign(admit, { warm, tally: () => ({ predicted, failed }) });
}

/** Items by score, best first; ties keep their order (positions sorted: no wrapper object per item). */
export function byScore(items: PageItem[]): PageItem[] {
  return Array.from(items.keys()).sort((a, b) => items[b].score - items[a].score || a - b).map((k) => items[k]);
}
