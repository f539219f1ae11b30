/**
 * The simulated days. Each day, as the generator's day loop (src/sim/world/histories.ts): yesterday's
 * late returns go back on the shelf, the shelf moves to the day, due rentals come back in the early
 * hours with fit feedback, new members are onboarded, then the members who visit today — each at a
 * time drawn from their own (seed, member, day) stream, taken in time order — get their page from the
 * real serving code, respond to it, and their events are posted back before the next member's page,
 * so online state, trending and stock move as in production. The simulation plays the warehouse too:
 * every rent and return is followed by a PATCH of the item's free units.
 */
import { DAY_MS } from '../../core/time.ts';
import { closeRental, type DraftEvent } from '../world/history-state.ts';
import { Rng } from '../world/rng.ts';
import { SIZE_CHART, SIZE_COUNT } from '../world/size-chart.ts';
import { respondToPage } from './member-visit.ts';
import type { ServingHarness } from './serving-harness.ts';
import type { SimState } from './sim-state.ts';
import type { Tallies } from './tallies.ts';

export interface LoopOptions {
  seed: number;
  /** query string of every page request, e.g. "rows=8&size=12" (plus "page=…" for a template) */
  pageQuery: string;
  onDay?: (day: number, stats: { visits: number; seconds: number }) => void;
}

/** Members' visits happen between 07:00 and 23:00; returns are stamped 01:00–06:00, before anyone visits. */
const VISIT_FROM_MS = 7 * 3_600_000;
const VISIT_SPAN_MS = 16 * 3_600_000;
const RETURNS_FROM_MS = 3_600_000;
const RETURNS_SPAN_MS = 5 * 3_600_000;

export class ClosedLoop {
  private nextId = 0;
  private readonly itemIndex: Map<string, number>;

  constructor(private readonly s: SimState, private readonly serving: ServingHarness, private readonly tallies: Tallies,
    private readonly setClock: (ms: number) => void, private readonly o: LoopOptions) {
    this.itemIndex = new Map(s.cat.records.map((r, i) => [r.id, i]));
  }

  /** The warehouse's view at day 0: every item whose free units differ from what it owns. */
  async publishStock(): Promise<void> {
    for (let i = 0; i < this.s.cat.count; i++) {
      let differs = false;
      for (let z = 0; z < SIZE_COUNT; z++) if (this.s.shelf.units[i * SIZE_COUNT + z] !== this.s.cat.stock[i * SIZE_COUNT + z]) differs = true;
      if (differs) await this.publishItem(i);
    }
  }

  /** Runs world day `day`. */
  async runDay(day: number): Promise<void> {
    const started = performance.now();
    const { s } = this;
    const dayStart = s.startMs + day * DAY_MS;
    this.setClock(dayStart);
    for (const rental of s.restockTomorrow) s.shelf.restock(rental.item, rental.size);
    s.restockTomorrow.length = 0;
    s.shelf.startDay(day);
    await this.returnDue(day, dayStart);
    await this.onboard(day, dayStart);

    const visitors: Array<{ m: number; t: number; rng: Rng }> = [];
    for (let m = 0; m < s.members.count; m++) {
      if (s.members.joinDay[m] > day || s.churnDay[m] >= 0 || this.tallies.variantOf[m] < 0) continue;
      const rng = new Rng(this.o.seed, `sim:${m}:${day}`);
      if (s.members.joinDay[m] !== day && !rng.chance(1 - Math.exp(-s.members.activity[m]))) continue;
      visitors.push({ m, t: dayStart + VISIT_FROM_MS + rng.int(VISIT_SPAN_MS), rng });
    }
    visitors.sort((a, b) => a.t - b.t || a.m - b.m);
    for (const v of visitors) await this.visit(v.m, day, v.t, v.rng);
    this.o.onDay?.(day, { visits: visitors.length, seconds: (performance.now() - started) / 1000 });
  }

  private async visit(m: number, day: number, t0: number, rng: Rng): Promise<void> {
    const { s } = this;
    this.setClock(t0);
    const page = await this.serving.page(s.members.records[m].id, this.o.pageQuery);
    let t = t0;
    const next = (): number => (t += 5_000 + rng.int(40_000));
    const outcome = respondToPage(s, m, day, page, this.itemIndex, rng, t0, next);
    this.tallies.visit(m, page, outcome);
    if (outcome.churned) s.churnDay[m] = day;
    await this.flush(t);
    for (const i of outcome.touched) await this.publishItem(i);
  }

  private async returnDue(day: number, dayStart: number): Promise<void> {
    const { s } = this;
    const rng = new Rng(this.o.seed, `sim:returns:${day}`);
    const touched = new Set<number>();
    let last = dayStart;
    for (const rental of s.dueByDay[day]) {
      if (rental.closed) continue;
      const ms = dayStart + RETURNS_FROM_MS + rng.int(RETURNS_SPAN_MS);
      last = Math.max(last, ms);
      closeRental(s, rental, ms, rng, true);
      touched.add(rental.item);
    }
    s.dueByDay[day] = [];
    await this.flush(last);
    for (const i of [...touched].sort((a, b) => a - b)) await this.publishItem(i);
  }

  private async onboard(day: number, dayStart: number): Promise<void> {
    const { members } = this.s;
    this.setClock(dayStart + VISIT_FROM_MS);
    for (let m = 0; m < members.count; m++) {
      if (members.joinDay[m] === day && this.tallies.variantOf[m] >= 0) await this.serving.putUser(members.records[m]);
    }
  }

  /** Stamps today's drafted events (ids, ISO times; in time order), posts them, and moves the clock to the last. */
  private async flush(untilMs: number): Promise<void> {
    const drafts: DraftEvent[] = this.s.out.splice(0);
    if (drafts.length === 0) return;
    drafts.sort((a, b) => a.ms - b.ms);
    for (const d of drafts) {
      d.event.id = `sim${this.o.seed}-${++this.nextId}`;
      d.event.ts = new Date(d.ms).toISOString();
    }
    this.setClock(Math.max(untilMs, drafts[drafts.length - 1].ms));
    await this.serving.events(drafts.map((d) => d.event));
  }

  private async publishItem(i: number): Promise<void> {
    const sizes: Record<string, number> = {};
    for (let z = 0; z < SIZE_COUNT; z++) {
      if (this.s.cat.stock[i * SIZE_COUNT + z] > 0) sizes[SIZE_CHART[z]] = this.s.shelf.units[i * SIZE_COUNT + z];
    }
    await this.serving.availability(this.s.cat.records[i].id, sizes);
  }
}
