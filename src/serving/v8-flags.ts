/**
 * The V8 flags a serving process sets at start (`vitrine serve`, before the app loads). Flags are
 * process-wide: every thread, page workers included, runs with them.
 *
 * serving.heapGrowthPercent: V8's heap growing factor, 1 + percent / 100 over the live heap a full
 * collection leaves. V8's own factor goes up to 4 on a machine with much memory, and a serving heap
 * that allocates fast (every page for a member never seen reads their history) settles far above its
 * live data: RSS that is mostly garbage not yet collected. Read at each collection.
 * Trade: more frequent full collections (concurrent marking; measured in bench/results/serve*.md).
 *
 * serving.allocationSitePretenuring (default false, ADR 0015): V8 allocates objects from an
 * allocation site straight into the old generation once enough of them survived a young collection.
 * In a server the same sites make request-scoped objects and long-lived cache entries, so sites tip
 * over; a dead pretenured object then keeps every young object it points to alive through the next
 * young collection (scavenges treat old-to-young pointers as roots), those are promoted, and the
 * survival rate that tipped the site stays high. Measured on the HTTP thread of bench:serve:
 * 3.4 MB survived each scavenge and a full collection ran every 1.25 s; with pretenuring off,
 * 0.24 MB and one full collection in the run. Trade: objects that do live long are copied once or
 * twice through the young generation before promotion (cheap next to the loop it breaks).
 */
import { setFlagsFromString } from 'node:v8';

export interface ServingV8Settings {
  heapGrowthPercent: number;
  allocationSitePretenuring: boolean;
}

/** The V8 flags for these settings (none when every setting is V8's own default). */
export function servingV8Flags(settings: ServingV8Settings): string[] {
  const flags: string[] = [];
  if (settings.heapGrowthPercent > 0) flags.push(`--heap-growing-percent=${Math.round(settings.heapGrowthPercent)}`);
  if (!settings.allocationSitePretenuring) flags.push('--no-allocation-site-pretenuring');
  return flags;
}

/** Sets the serving V8 flags for this process; call before the app (and its workers) start. */
export function applyServingV8Flags(settings: ServingV8Settings, set: (flag: string) => void = setFlagsFromString): void {
  for (const flag of servingV8Flags(settings)) set(flag);
}
