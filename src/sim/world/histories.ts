/**
 * The day-by-day simulation of every member's history. Each day: yesterday's late returns go back on
 * the shelf, arrivals are shelved, rentals that are due come back in the early hours, then members who
 * have joined and not left may visit. The day's events are sorted by time, given ids and yielded, so
 * that a caller can stream them to disk without ever holding the whole history.
 */
import { DAY_MS } from '../../core/time.ts';
import { EVENT_TYPES, type EventType } from '../../core/types.ts';
import type { Catalogue } from './catalogue.ts';
import { closeRental, type HistoryState, type Rental, type WorldEvent } from './history-state.ts';
import type { Members } from './members.ts';
import { Rng } from './rng.ts';
import { Shelf } from './shelf.ts';
import { simulateVisit } from './visit.ts';

export interface HistoryOptions {
  seed: number;
  startMs: number;
  days: number;
  impressionsPerVisit: number;
  /** see HistoryState.loanDays */
  loanDays?: number;
}

/** Returns of due rentals are stamped between 01:00 and 06:00, before anyone visits. */
const RETURN_WINDOW_START_MS = 3_600_000;
const RETURN_WINDOW_MS = 5 * 3_600_000;

/** A world's history, simulated lazily one day at a time by `days()`. */
export class WorldHistory {
  /** epoch ms each member cancelled, NaN for members who stay */
  readonly churnedAt: Float64Array;
  /** events emitted so far, per type */
  readonly counts: Record<EventType, number>;
  private readonly state: HistoryState;
  private readonly memberRngs: Rng[];
  private readonly dayRng: Rng;
  private readonly idPrefix: string;
  private nextId = 0;
  private started = false;

  constructor(cat: Catalogue, members: Members, private readonly opts: HistoryOptions) {
    this.churnedAt = new Float64Array(members.count).fill(Number.NaN);
    this.counts = Object.fromEntries(EVENT_TYPES.map((t) => [t, 0])) as Record<EventType, number>;
    this.state = {
      cat, members, shelf: new Shelf(cat, opts.startMs), startMs: opts.startMs, days: opts.days,
      impressionsPerVisit: opts.impressionsPerVisit, loanDays: opts.loanDays,
      held: Array.from({ length: members.count }, () => []),
      dueByDay: Array.from({ length: opts.days }, () => []),
      restockTomorrow: [], frustration: new Float32Array(members.count), churnedAt: this.churnedAt, out: [],
    };
    // one stream per member: a member's draws do not shift when another member changes
    this.memberRngs = Array.from({ length: members.count }, (_, m) => new Rng(opts.seed, `history:${m}`));
    this.dayRng = new Rng(opts.seed, 'returns');
    this.idPrefix = `e${opts.seed >>> 0}-`;
  }

  /** Simulates the days in order, yielding each day's events sorted by time. Iterate once. */
  *days(): Generator<WorldEvent[], void, undefined> {
    if (this.started) throw new Error('a WorldHistory can be iterated only once');
    this.started = true;
    for (let day = 0; day < this.opts.days; day++) yield this.simulateDay(day);
  }

  /** Rentals members still hold (after the days have run). */
  heldRentals(): Rental[] {
    return this.state.held.flat();
  }

  private simulateDay(day: number): WorldEvent[] {
    const s = this.state;
    const { members } = s;
    for (const rental of s.restockTomorrow) s.shelf.restock(rental.item, rental.size);
    s.restockTomorrow.length = 0;
    s.shelf.startDay(day);
    const dayStart = s.startMs + day * DAY_MS;

    for (const rental of s.dueByDay[day]) {
      if (rental.closed) continue;
      const ms = dayStart + RETURN_WINDOW_START_MS + this.dayRng.int(RETURN_WINDOW_MS);
      closeRental(s, rental, ms, this.memberRngs[rental.member], true);
    }
    s.dueByDay[day] = [];

    for (let m = 0; m < members.count; m++) {
      if (members.joinDay[m] > day || !Number.isNaN(this.churnedAt[m])) continue;
      const rng = this.memberRngs[m];
      // every member visits on the day they join (onboarding); after that at their own rate
      if (members.joinDay[m] !== day && !rng.chance(1 - Math.exp(-members.activity[m]))) continue;
      simulateVisit(s, m, day, rng);
    }
    return this.finishDay();
  }

  /** Sorts today's drafts by time (stable: ties keep the order they happened in), stamps ids and ts. */
  private finishDay(): WorldEvent[] {
    const drafts = this.state.out;
    drafts.sort((a, b) => a.ms - b.ms);
    const events = new Array<WorldEvent>(drafts.length);
    let lastMs = Number.NaN;
    let lastIso = '';
    for (let k = 0; k < drafts.length; k++) {
      const { ms, event } = drafts[k];
      if (ms !== lastMs) {
        lastMs = ms;
        lastIso = new Date(ms).toISOString();
      }
      event.id = this.idPrefix + String(++this.nextId);
      event.ts = lastIso;
      this.counts[event.type]++;
      events[k] = event;
    }
    drafts.length = 0;
    return events;
  }
}
