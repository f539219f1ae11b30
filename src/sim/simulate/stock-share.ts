/**
 * Each variant runs as its own small copy of the business (one app per variant, see
 * run-simulation.ts), so the units on the shelf are dealt out between the variants: unit j of item i
 * in size z goes to variant (i + z + j) mod k. Round-robin keeps every variant's share within one unit
 * of 1/k of each size, and alternates the odd unit across items and sizes. Units out on rental come
 * back to the world of the member who holds them.
 */
import { SIZE_COUNT } from '../world/size-chart.ts';
import type { Rental } from '../world/history-state.ts';

/** Variant `v`'s free units (of `k`) from all free units. */
export function shareOfUnits(free: Int16Array, v: number, k: number): Int16Array {
  const out = new Int16Array(free.length);
  for (let cell = 0; cell < free.length; cell++) {
    const i = Math.floor(cell / SIZE_COUNT);
    const z = cell % SIZE_COUNT;
    let n = 0;
    for (let j = 0; j < free[cell]; j++) if ((i + z + j) % k === v) n++;
    out[cell] = n;
  }
  return out;
}

/** Units this world owns: its share of the free units plus those its members hold. */
export function ownedUnits(share: Int16Array, held: readonly Rental[]): Int16Array {
  const out = Int16Array.from(share);
  for (const r of held) out[r.item * SIZE_COUNT + r.size]++;
  return out;
}
