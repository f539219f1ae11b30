/**
 * Writes a generated world to a directory:
 *   items.jsonl, users.jsonl, events.jsonl (sorted by ts), latent/members.jsonl, latent/items.jsonl,
 *   world.json.
 * Events stream to disk one day at a time through a buffered writer with backpressure.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateWorld, type WorldOptions } from './generate.ts';
import { JsonlWriter } from './jsonl-writer.ts';
import type { WorldMeta } from './latent.ts';

/** The files of a world directory, relative to it. */
export const WORLD_FILES = {
  items: 'items.jsonl',
  users: 'users.jsonl',
  events: 'events.jsonl',
  latentMembers: 'latent/members.jsonl',
  latentItems: 'latent/items.jsonl',
  meta: 'world.json',
} as const;

/** Generates the world for `opts` into directory `dir` (created if missing; its world files replaced). */
export async function writeWorld(opts: WorldOptions, dir: string): Promise<WorldMeta> {
  await mkdir(join(dir, 'latent'), { recursive: true });
  const events = new JsonlWriter(join(dir, WORLD_FILES.events));
  try {
    return await generateWorld(opts, {
      catalogue: (items) => writeJsonl(join(dir, WORLD_FILES.items), items),
      members: (users) => writeJsonl(join(dir, WORLD_FILES.users), users),
      events: (batch) => events.writeAll(batch),
      latent: async (members, items) => {
        await events.close();
        await writeJsonl(join(dir, WORLD_FILES.latentMembers), members);
        await writeJsonl(join(dir, WORLD_FILES.latentItems), items);
      },
      finish: (meta) => writeFile(join(dir, WORLD_FILES.meta), `${JSON.stringify(meta, null, 2)}\n`),
    });
  } finally {
    await events.close().catch(() => undefined);
  }
}

async function writeJsonl(path: string, records: readonly unknown[]): Promise<void> {
  const writer = new JsonlWriter(path);
  await writer.writeAll(records);
  await writer.close();
}
