/**
 * The simulation's day 0: a generated world whose first `warmupDays` are history made by the world's
 * own generator (members browsing its shelf, src/sim/world/visit.ts), written as a world directory and
 * loaded through the real `world` importer. What the closed loop then needs is taken from the world:
 * the latent truth, who left during the warm-up, what members still hold, and the free units per size.
 * The world spans warm-up + simulated days, so members keep joining and items keep arriving while the
 * variants serve.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { importWorld } from '../../pipeline/import/index.ts';
import type { ImportSummary } from '../../pipeline/import/import-types.ts';
import type { Store } from '../../storage/store.ts';
import { createWorld, type World } from '../world/generate.ts';
import type { Rental } from '../world/history-state.ts';
import { JsonlWriter } from '../world/jsonl-writer.ts';
import { SIZE_COUNT, sizeIndexOf } from '../world/size-chart.ts';
import { WORLD_FILES } from '../world/write-world.ts';

export interface WarmUpOptions {
  members: number;
  items: number;
  warmupDays: number;
  days: number;
  seed: number;
  start?: string;
  impressionsPerVisit?: number;
}

export interface WarmUp {
  world: World;
  /** rentals members hold at the end of the warm-up */
  held: Rental[];
  /** free units per item × chart size at the end of the warm-up (owned − out on rental − bought) */
  units: Int16Array;
  /** members who cancelled during the warm-up (they are not simulated) */
  churnedBefore: Uint8Array;
  imported: ImportSummary;
  /** items each member rented or bought during the warm-up (what the models were trained on) */
  positives: Array<Set<string>>;
  /** events imported from the warm-up history (its impressions are not) */
  events: number;
}

/** Generates the world, writes its warm-up into `dir` and imports it into `store`. */
export async function warmUp(store: Store, dir: string, o: WarmUpOptions): Promise<WarmUp> {
  const world = createWorld({
    users: o.members, items: o.items, days: o.warmupDays + o.days, seed: o.seed,
    ...(o.start ? { start: o.start } : {}), ...(o.impressionsPerVisit ? { impressionsPerVisit: o.impressionsPerVisit } : {}),
  });
  await mkdir(dir, { recursive: true });
  const { catalogue: cat, members } = world;
  await writeAll(join(dir, WORLD_FILES.items), cat.records);
  // members who join later are onboarded by the simulation on their join day (PUT /v1/users)
  await writeAll(join(dir, WORLD_FILES.users), members.records.filter((_, m) => members.joinDay[m] < o.warmupDays));

  const units = Int16Array.from(cat.stock);
  const itemIndex = new Map(cat.records.map((r, i) => [r.id, i]));
  const memberIndex = new Map(members.records.map((r, m) => [r.id, m]));
  const positives = Array.from({ length: members.count }, () => new Set<string>());
  const events = new JsonlWriter(join(dir, WORLD_FILES.events));
  let count = 0;
  const days = world.history.days();
  for (let day = 0; day < o.warmupDays; day++) {
    const batch = days.next().value;
    if (!batch) break;
    for (const e of batch) {
      if (e.itemId === undefined) continue;
      if (e.type === 'rent' || e.type === 'purchase') positives[memberIndex.get(e.userId) as number].add(e.itemId);
      if (e.size === undefined) continue;
      const k = (itemIndex.get(e.itemId) as number) * SIZE_COUNT + sizeIndexOf(e.size);
      if (e.type === 'rent') units[k]--;
      else if (e.type === 'return') units[k]++;
    }
    // the generator's own impressions name its shelf, not served pages, and nothing reads them (online
    // state and trending treat impressions as passive): leaving them out cuts the import by ~70%
    const kept = batch.filter((e) => e.type !== 'impression');
    count += kept.length;
    await events.writeAll(kept);
  }
  await events.close();
  const imported = await importWorld(store, dir);
  const churnedBefore = Uint8Array.from(world.history.churnedAt, (t) => (Number.isNaN(t) ? 0 : 1));
  return { world, held: world.history.heldRentals(), units, churnedBefore, positives, imported, events: count };
}

async function writeAll(path: string, records: readonly unknown[]): Promise<void> {
  const w = new JsonlWriter(path);
  await w.writeAll(records);
  await w.close();
}
