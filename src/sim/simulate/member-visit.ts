/**
 * One simulated member on one served page. They look down the page the way people scan carousels —
 * the first row, swiping along it, then maybe the next row (a cascade; see EXAMINE_* below) — and for
 * each item they look at they respond with the generator's member model (src/sim/world/behaviour.ts:
 * view, heart, rent with the generator's size and occasion choices, dismiss), so the closed loop and
 * the generated history obey the same member. Then the visit's disappointment feeds their churn hazard.
 * A "view" of the generator is sent as a `click` on the tile: that is what the page's rows are scored
 * on (the experiment report's CTR, the row-order bandit) and it carries the page/row/position.
 */
import {
  churnProbability, dismissProbability, heartProbability, LIKE_THRESHOLD, MAX_HELD, nextFrustration,
  rentalDays, rentProbability, viewProbability,
} from '../world/behaviour.ts';
import { closeRental, emit, type Rental, type WorldEvent } from '../world/history-state.ts';
import type { Rng } from '../world/rng.ts';
import { SIZE_CHART } from '../world/size-chart.ts';
import { OCCASIONS } from '../world/archetypes.ts';
import { affinity } from '../world/style-space.ts';
import { chooseSize, OCCASION_BOOST, occasionIsNear, rentOccasion } from '../world/visit.ts';
import type { ServedPage } from './serving-harness.ts';
import type { SimState } from './sim-state.ts';

/**
 * Chance of swiping on to the next item of a row, and of scrolling down to the next row. With these
 * a member looks at ≈ 2.5 rows × 3.3 items ≈ 8 items, the generator's impressionsPerVisit, so the member
 * model keeps the calibration it was built with (how often a visit has "nothing I like").
 */
export const EXAMINE_NEXT_ITEM = 0.7;
export const EXAMINE_NEXT_ROW = 0.6;

/** What happened in one row of the page. */
export interface RowOutcome {
  kind: string;
  shown: number;
  examined: number;
  clicks: number;
  hearts: number;
  rents: number;
}

export interface VisitOutcome {
  rows: RowOutcome[];
  rents: number;
  /** item indexes rented in this visit */
  rented: number[];
  /** items shown that the member held at the time (serving must never do this) */
  heldShown: number;
  churned: boolean;
  /** items whose free units changed (rented, or returned on cancelling) */
  touched: Set<number>;
}

/**
 * Responds to `page` as member `m` on world day `day`; appends the events to `s.out` (via the
 * generator's `emit`): an `impression` for each item looked at (at `shownAt`), then the responses,
 * `next()` giving each one's time. Every event carries the page, row and position.
 */
export function respondToPage(s: SimState, m: number, day: number, page: ServedPage, itemIndex: ReadonlyMap<string, number>,
  rng: Rng, shownAt: number, next: () => number): VisitOutcome {
  const { cat, members, shelf } = s;
  const held = s.held[m];
  const out: VisitOutcome = { rows: [], rents: 0, rented: [], heldShown: 0, churned: false, touched: new Set() };
  const heldNow = new Set(held.map((r) => r.item));
  let bestAffinity = 0;
  let looking = true;
  for (const row of page.rows) {
    const r: RowOutcome = { kind: row.kind, shown: row.items.length, examined: 0, clicks: 0, hearts: 0, rents: 0 };
    out.rows.push(r);
    for (let pos = 0; pos < row.items.length; pos++) {
      const i = itemIndex.get(row.items[pos].itemId);
      if (i !== undefined && heldNow.has(i)) out.heldShown++;
      if (!looking || i === undefined) continue;
      r.examined++;
      const context = { pageId: page.pageId, rowId: row.rowId, position: pos };
      const mark = (e: WorldEvent): WorldEvent => ((e.context = context), e);
      // the client's viewability pixel: this tile was on screen (the server logs the page it served)
      mark(emit(s, shownAt, 'impression', m, i));
      const aff = affinity(members.taste, m, cat.style, i);
      bestAffinity = Math.max(bestAffinity, aff);
      if (!rng.chance(viewProbability(aff, cat.appeal[i], shelf.season[i], shelf.isNew(i)))) {
        if (rng.chance(dismissProbability(aff))) mark(emit(s, next(), 'dismiss', m, i));
      } else {
        r.clicks++;
        mark(emit(s, next(), 'click', m, i));
        if (rng.chance(heartProbability(aff, cat.appeal[i]))) {
          r.hearts++;
          mark(emit(s, next(), 'heart', m, i));
        }
        if (held.length < MAX_HELD && !heldNow.has(i) && rent(s, m, i, day, aff, rng, next, mark)) {
          r.rents++;
          out.rents++;
          out.rented.push(i);
          out.touched.add(i);
        }
      }
      if (!rng.chance(EXAMINE_NEXT_ITEM)) break;
    }
    if (looking && !rng.chance(EXAMINE_NEXT_ROW)) looking = false;
  }

  s.frustration[m] = nextFrustration(s.frustration[m], bestAffinity >= LIKE_THRESHOLD);
  if (rng.chance(churnProbability(members.hazard[m], s.frustration[m]))) {
    // cancelling: what the member holds goes back first (as in the generator)
    for (const rental of [...held]) {
      closeRental(s, rental, next(), rng, false);
      out.touched.add(rental.item);
    }
    out.churned = true;
  }
  return out;
}

/** The generator's rent decision for a viewed item; true when rented (a unit taken, the rental due back later). */
function rent(s: SimState, m: number, i: number, day: number, aff: number, rng: Rng, next: () => number,
  mark: (e: WorldEvent) => WorldEvent): boolean {
  const { cat, members, shelf } = s;
  const occasion = rentOccasion(s, m, i, day, rng);
  const boost = occasion === members.upcomingOccasion[m] && occasionIsNear(s, m, day) ? OCCASION_BOOST : 0;
  if (!rng.chance(rentProbability(aff, cat.appeal[i], shelf.season[i], boost))) return false;
  const size = chooseSize(s, m, i, rng);
  if (size < 0 || !shelf.take(i, size)) return false;
  const e = mark(emit(s, next(), 'rent', m, i));
  e.size = SIZE_CHART[size];
  e.value = Math.round(cat.price[i] * 0.12);
  e.occasion = OCCASIONS[occasion];
  const rental: Rental = { member: m, item: i, size, occasion, affinity: aff, closed: false };
  s.held[m].push(rental);
  const due = day + rentalDays(rng);
  if (due < s.days) s.dueByDay[due].push(rental);
  return true;
}
