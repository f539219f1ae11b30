/**
 * serving.heapGrowthPercent: V8's heap growing factor, 1 + percent / 100 over the live heap a full
 * collection leaves. V8's own factor goes up to 4 on a machine with much memory, and a serving heap
 * that allocates fast (every page for a member never seen reads their history) settles far above its
 * live data: RSS that is mostly garbage not yet collected. The flag is process-wide (every thread,
 * page workers included) and read at each collection, so setting it before the app starts covers all.
 * Trade: more frequent full collections (concurrent marking; measured in bench/results/serve*.md).
 */
import { setFlagsFromString } from 'node:v8';

export function applyHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${Math.round(percent)}`);
}
