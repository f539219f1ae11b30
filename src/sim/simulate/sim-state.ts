/**
 * The closed loop's world state, as the generator's own HistoryState (src/sim/world/history-state.ts):
 * the same shelf of free units, the same held-rental lists and due days, the same `emit` and
 * `closeRental`, so a return, a purchase and its fit feedback are made by the generator's code. What
 * differs is only where a visit's items come from: the served page instead of the generator's shelf.
 */
import type { World } from '../world/generate.ts';
import type { HistoryState, Rental } from '../world/history-state.ts';
import { rentalDays } from '../world/behaviour.ts';
import { Rng } from '../world/rng.ts';
import { Shelf } from '../world/shelf.ts';

export interface SimState extends HistoryState {
  /** world day index of the first simulated day */
  readonly firstDay: number;
  /** world day each member cancelled on, -1 while a member */
  readonly churnDay: Int32Array;
}

/**
 * The state at the start of simulated day 0. Frustration starts at 0 for everyone (the generator does
 * not expose it; both variants start level). A rental still held after the warm-up is due back within
 * a fresh rental period counted from day 0 (the generator forgot due days past its horizon).
 */
export function initialState(world: World, units: Int16Array, held: readonly Rental[], churnedBefore: Uint8Array,
  warmupDays: number, seed: number): SimState {
  const { catalogue: cat, members, options } = world;
  const shelf = new Shelf(cat, options.startMs);
  for (let k = 0; k < units.length; k++) shelf.units[k] = Math.max(0, units[k]);
  const churnDay = new Int32Array(members.count).fill(-1);
  for (let m = 0; m < members.count; m++) if (churnedBefore[m]) churnDay[m] = warmupDays - 1;
  const s: SimState = {
    cat, members, shelf, startMs: options.startMs, days: options.days, impressionsPerVisit: options.impressionsPerVisit,
    held: Array.from({ length: members.count }, () => []),
    dueByDay: Array.from({ length: options.days }, () => []),
    restockTomorrow: [], frustration: new Float32Array(members.count),
    churnedAt: Float64Array.from(world.history.churnedAt), out: [], firstDay: warmupDays, churnDay,
  };
  for (const r of held) {
    const rental: Rental = { ...r, closed: false };
    s.held[r.member].push(rental);
    const rng = new Rng(seed, `sim:carried:${r.member}:${r.item}`);
    const due = warmupDays + rng.int(rentalDays(rng) + 1);
    if (due < s.days) s.dueByDay[due].push(rental);
  }
  return s;
}
