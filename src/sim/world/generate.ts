/**
 * The synthetic fashion world, as a library: validate options, build the catalogue and the members,
 * then stream the simulated history day by day into a sink. `vitrine generate` writes the sink to
 * JSONL files; the demo and tests use it in-process. Same options → the same world, byte for byte.
 */
import { VitrineError } from '../../core/errors.ts';
import { DAY_MS, toEpochMs } from '../../core/time.ts';
import { EVENT_TYPES, type EventType } from '../../core/types.ts';
import { generateCatalogue, type Catalogue, type WorldItem } from './catalogue.ts';
import type { WorldEvent } from './history-state.ts';
import { WorldHistory } from './histories.ts';
import { latentItems, latentMembers, worldMeta, type LatentItem, type LatentMember, type WorldMeta } from './latent.ts';
import { generateMembers, type Members, type WorldUser } from './members.ts';
import { profileActivity, profileEvents, profileLoanDays, profileItem, WORLD_PROFILES, type WorldProfile } from './profiles.ts';

export interface WorldOptions {
  users: number;
  items: number;
  days: number;
  seed: number;
  /** first day, `YYYY-MM-DD` (or any ISO-8601 / epoch ms, floored to its UTC day); default 2024-01-01 */
  start?: string | number;
  /** items on the page of one visit; default 8 */
  impressionsPerVisit?: number;
  /** the business the world is told as (profiles.ts); default 'rental' */
  profile?: WorldProfile;
}

export interface ResolvedWorldOptions {
  users: number;
  items: number;
  days: number;
  seed: number;
  /** epoch ms, a UTC midnight */
  startMs: number;
  impressionsPerVisit: number;
  profile: WorldProfile;
}

/** A world ready to run: its catalogue and members exist; its history runs when iterated. */
export interface World {
  options: ResolvedWorldOptions;
  catalogue: Catalogue;
  members: Members;
  history: WorldHistory;
}

/** Where a generated world goes. Every method may be async; the generator waits (backpressure). */
export interface WorldSink {
  catalogue?(items: WorldItem[]): void | Promise<void>;
  members?(users: WorldUser[]): void | Promise<void>;
  /** one day's events, sorted by ts */
  events?(batch: WorldEvent[]): void | Promise<void>;
  latent?(members: LatentMember[], items: LatentItem[]): void | Promise<void>;
  finish?(meta: WorldMeta): void | Promise<void>;
}

export const DEFAULT_START = '2024-01-01';
const LIMITS = { users: 10_000_000, items: 1_000_000, days: 3650, impressionsPerVisit: 20 } as const;

/** Checks and completes world options; throws VITRINE_SIM_BAD_OPTIONS naming the bad one. */
export function resolveWorldOptions(opts: WorldOptions): ResolvedWorldOptions {
  const count = (name: keyof typeof LIMITS, value: number | undefined, fallback?: number): number => {
    const v = value ?? fallback;
    if (v === undefined || !Number.isInteger(v) || v < 1 || v > LIMITS[name]) {
      throw new VitrineError('VITRINE_SIM_BAD_OPTIONS', `${name} must be an integer from 1 to ${LIMITS[name]}, got ${value}`);
    }
    return v;
  };
  if (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > 0xffffffff) {
    throw new VitrineError('VITRINE_SIM_BAD_OPTIONS', `seed must be an integer from 0 to ${0xffffffff}, got ${opts.seed}`);
  }
  const profile = opts.profile ?? 'rental';
  if (!(WORLD_PROFILES as readonly string[]).includes(profile)) {
    throw new VitrineError('VITRINE_SIM_BAD_OPTIONS', `profile must be one of ${WORLD_PROFILES.join(', ')}, got ${opts.profile}`);
  }
  const start = toEpochMs(opts.start ?? DEFAULT_START);
  if (start === undefined) {
    throw new VitrineError('VITRINE_SIM_BAD_OPTIONS', `start must be a date such as ${DEFAULT_START}, got ${opts.start}`);
  }
  return {
    users: count('users', opts.users),
    items: count('items', opts.items),
    days: count('days', opts.days),
    seed: opts.seed,
    startMs: Math.floor(start / DAY_MS) * DAY_MS,
    impressionsPerVisit: count('impressionsPerVisit', opts.impressionsPerVisit, 8),
    profile,
  };
}

/** Builds a world's catalogue and members; its history is simulated as `world.history.days()` is iterated. */
export function createWorld(opts: WorldOptions): World {
  const o = resolveWorldOptions(opts);
  const catalogue = generateCatalogue(o.items, o.seed, o.startMs, o.days);
  const members = generateMembers(o.users, o.seed, o.startMs, o.days);
  members.activity.forEach((a, m) => (members.activity[m] = profileActivity(o.profile, a)));
  const history = new WorldHistory(catalogue, members, {
    seed: o.seed, startMs: o.startMs, days: o.days, impressionsPerVisit: o.impressionsPerVisit, loanDays: profileLoanDays(o.profile),
  });
  return { options: o, catalogue, members, history };
}

/** Generates a world into a sink: catalogue, members, each day's events, latent truth, then the summary. */
export async function generateWorld(opts: WorldOptions, sink: WorldSink): Promise<WorldMeta> {
  const world = createWorld(opts);
  const { profile } = world.options;
  await sink.catalogue?.(world.catalogue.records.map((item) => profileItem(profile, item)));
  await sink.members?.(world.members.records);
  const byType = Object.fromEntries(EVENT_TYPES.map((t) => [t, 0])) as Record<EventType, number>;
  for (const day of world.history.days()) {
    const batch = profileEvents(profile, day);
    for (const e of batch) byType[e.type]++;
    await sink.events?.(batch);
  }
  await sink.latent?.(latentMembers(world), latentItems(world));
  const meta = worldMeta(world);
  if (profile !== 'rental') {
    // the events written, not those of the rental world they were told from
    meta.args.profile = profile;
    meta.counts.byType = byType;
    meta.counts.events = Object.values(byType).reduce((a, b) => a + b, 0);
  }
  await sink.finish?.(meta);
  return meta;
}

/** A small world entirely in memory (for tests and the demo; large worlds should stream). */
export async function collectWorld(opts: WorldOptions): Promise<{
  items: WorldItem[]; users: WorldUser[]; events: WorldEvent[];
  latentMembers: LatentMember[]; latentItems: LatentItem[]; meta: WorldMeta;
}> {
  const events: WorldEvent[] = [];
  const out = { items: [] as WorldItem[], users: [] as WorldUser[], latentMembers: [] as LatentMember[], latentItems: [] as LatentItem[] };
  const meta = await generateWorld(opts, {
    catalogue: (items) => void (out.items = items),
    members: (users) => void (out.users = users),
    events: (batch) => {
      for (const e of batch) events.push(e);
    },
    latent: (members, items) => void ((out.latentMembers = members), (out.latentItems = items)),
  });
  return { ...out, events, meta };
}
