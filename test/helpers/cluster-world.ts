/**
 * The world a cluster test or benchmark runs on: a small generated fashion world imported into the
 * cluster's PostgreSQL database and a popularity model trained from it, as `vitrine import world … --store`
 * and `vitrine train --store` would on a machine of their own. Returns what the load needs to check
 * known answers: each member's declared sizes and each item's units by size (from the world's files).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importWorld } from '../../src/pipeline/import/world.ts';
import { trainModels } from '../../src/pipeline/model-training.ts';
import { writeWorld } from '../../src/sim/world/write-world.ts';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.ts';
import { waitFor } from './wait-for.ts';

export interface LoadMember {
  id: string;
  sizes: readonly string[];
}

export interface ClusterWorld {
  /** members with declared sizes (their pages show only items with units in one of them) */
  members: LoadMember[];
  /** units by size, per item; an item without sizes fits everyone */
  itemSizes: Map<string, Readonly<Record<string, number>>>;
  itemIds: string[];
}

export interface WorldSize {
  users: number;
  items: number;
  days: number;
  seed: number;
}

/** Generates the world into `dir`/world, imports it, trains popularity, and waits until every node serves it. */
export async function loadClusterWorld(databaseUrl: string, dir: string, size: WorldSize, nodeUrls: readonly string[]): Promise<ClusterWorld> {
  const worldDir = join(dir, 'world');
  await writeWorld({ users: size.users, items: size.items, days: size.days, seed: size.seed }, worldDir);
  const store = await PostgresStore.open(databaseUrl, { poolSize: 2 });
  try {
    await importWorld(store, worldDir);
    await trainModels(store, join(dir, 'trainer'), { algorithms: ['popularity'], gate: false });
  } finally {
    await store.close();
  }
  for (const node of nodeUrls) {
    await waitFor(async () => {
      const models = await fetch(`${node}/v1/models`).then((r) => r.json() as Promise<{ serving?: Record<string, { current?: string }> }>, () => undefined);
      return models?.serving?.popularity?.current !== undefined;
    }, `${node} serving the trained popularity model`);
  }
  const itemSizes = new Map<string, Readonly<Record<string, number>>>();
  for (const item of jsonLines<{ id: string; sizes?: Record<string, number> }>(join(worldDir, 'items.jsonl'))) itemSizes.set(item.id, item.sizes ?? {});
  const members = jsonLines<{ id: string; sizes?: string[] }>(join(worldDir, 'users.jsonl'))
    .filter((u) => (u.sizes?.length ?? 0) > 0).map((u) => ({ id: u.id, sizes: u.sizes ?? [] }));
  return { members, itemSizes, itemIds: [...itemSizes.keys()] };
}

/** True when the item may be on the member's page by size: no sizes, or units in one of theirs. */
export function fitsSizes(itemSizes: ReadonlyMap<string, Readonly<Record<string, number>>>, itemId: string, sizes: readonly string[]): boolean {
  const units = itemSizes.get(itemId);
  if (units === undefined) return false; // not in the world: nothing else is in the catalogue
  if (Object.keys(units).length === 0) return true;
  return sizes.some((s) => Object.hasOwn(units, s) && units[s] > 0);
}

function jsonLines<T>(path: string): T[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);
}
