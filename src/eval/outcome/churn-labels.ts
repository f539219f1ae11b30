/**
 * Churn labels from the data itself, for `evaluate --outcome churn --horizon H` (global-time only).
 *
 * Time line, one calendar for every member (C = the protocol's cutoff, E = the outcome start):
 *   train: t < C  │  outcome test window: C ≤ t < E  │  horizon: E ≤ t < E + H
 * - A member's outcome metrics score their lists (the same lists as the main report: the model only
 *   saw t < C) against their relevant items first rented in [C, E) — so the outcome never overlaps
 *   the events the metric was computed on (no leakage from "the member rented again" into "the
 *   member's recall"). Members with no relevant item in [C, E) are left out (counted).
 * - retained = at least one positive interaction (rental, purchase) with E ≤ t < E + H; churned = none.
 * - E defaults to the end of the observed data minus H (the observed data ends at the end of the UTC
 *   day of the last event), so the horizon is the last H of the data and observed for everyone.
 * - A horizon that ends after the data is not observed: instead of labelling as churned members who
 *   were simply not watched long enough, it is refused (VITRINE_EVAL_BAD_OUTCOME), as is user-time,
 *   whose test items are each member's last events, so nothing is ever observed after them.
 */
import { VitrineError } from '../../core/errors.ts';
import { DAY_MS } from '../../core/time.ts';
import type { InteractionData } from '../../ml/dataset.ts';
import { describeProtocol, formatDate, type EvalSplit } from '../splits.ts';

export interface ChurnWindow {
  /** C: start of the outcome test window (the cutoff), epoch ms */
  testFrom: number;
  /** E: end of the test window = start of the horizon */
  horizonFrom: number;
  /** E + H */
  horizonTo: number;
  /** end of the observed data (end of the UTC day of the last event) */
  observedUntil: number;
}

export interface ChurnLabels {
  window: ChurnWindow;
  /** indexes into split.users of the members with an outcome, in split order */
  members: Int32Array;
  /** 1 = retained, aligned with `members` */
  retained: Uint8Array;
  /** relevant items first rented in [C, E), aligned with `members` */
  relevant: Array<ReadonlySet<string>>;
  /** evaluated members left out because none of their relevant items falls in [C, E) */
  withoutWindowItems: number;
}

/** "60d", "8w" or a bare number of days → milliseconds; VITRINE_EVAL_BAD_OUTCOME otherwise. */
export function parseHorizon(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([dw]?)$/.exec(text.trim());
  const days = m ? Number(m[1]) * (m[2] === 'w' ? 7 : 1) : Number.NaN;
  if (!(days > 0)) throw badOutcome(`--horizon "${text}" is not a duration such as 60d or 8w`);
  return days * DAY_MS;
}

/** The outcome window for a split: E = `horizonFrom` or the observed end minus the horizon. */
export function churnWindow(split: Pick<EvalSplit, 'protocol' | 'dataEnd'>, horizonMs: number, horizonFrom?: number): ChurnWindow {
  if (split.protocol.name !== 'global-time') {
    throw badOutcome(`${describeProtocol(split.protocol)} holds out each member's last interactions, so no activity is ever `
      + 'observed after their test window: use --protocol global-time, or give the outcomes with --outcome-csv FILE');
  }
  const observedUntil = Math.floor(split.dataEnd / DAY_MS) * DAY_MS + DAY_MS;
  const from = horizonFrom ?? observedUntil - horizonMs;
  const cutoff = split.protocol.cutoff;
  if (from + horizonMs > observedUntil) {
    throw badOutcome(`the horizon ${formatDate(from)} + ${horizonMs / DAY_MS} days ends after the data (last event `
      + `${formatDate(split.dataEnd)}): retention is not observed; shorten --horizon or start it earlier (--outcome-from)`);
  }
  if (from <= cutoff) {
    throw badOutcome(`the horizon must start after the cutoff ${formatDate(cutoff)}, but starts ${formatDate(from)}: `
      + `with data to ${formatDate(split.dataEnd)}, a ${horizonMs / DAY_MS}-day horizon leaves no test window; shorten --horizon`);
  }
  return { testFrom: cutoff, horizonFrom: from, horizonTo: from + horizonMs, observedUntil };
}

/** Labels every evaluated member of `split` (built from `data`) as retained or churned over `window`. */
export function churnLabels(data: InteractionData, split: Pick<EvalSplit, 'users'>, window: ChurnWindow): ChurnLabels {
  const memberOf = new Map<string, number>();
  split.users.forEach((u, m) => memberOf.set(u.userId, m));
  const inWindow: Array<Set<string> | undefined> = new Array(split.users.length);
  const active = new Uint8Array(split.users.length);
  for (let k = 0; k < data.users.length; k++) {
    const m = memberOf.get(data.userIds[data.users[k]]);
    if (m === undefined) continue;
    const t = data.ts[k];
    if (t >= window.horizonFrom && t < window.horizonTo) active[m] = 1;
    else if (t >= window.testFrom && t < window.horizonFrom) {
      const item = data.itemIds[data.items[k]];
      if (split.users[m].relevant.has(item)) (inWindow[m] ??= new Set()).add(item);
    }
  }
  const members: number[] = [];
  const relevant: Array<ReadonlySet<string>> = [];
  for (let m = 0; m < split.users.length; m++) {
    const rel = inWindow[m];
    if (!rel) continue;
    members.push(m);
    relevant.push(rel);
  }
  if (members.length === 0) {
    throw badOutcome(`no evaluated member has a relevant item in the test window ${formatDate(window.testFrom)} … `
      + `${formatDate(window.horizonFrom)}: start the horizon later or shorten it`);
  }
  const idx = Int32Array.from(members);
  return {
    window, members: idx, retained: Uint8Array.from(idx, (m) => active[m]), relevant,
    withoutWindowItems: split.users.length - members.length,
  };
}

export function badOutcome(message: string): VitrineError {
  return new VitrineError('VITRINE_EVAL_BAD_OUTCOME', message);
}
