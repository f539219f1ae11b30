/**
 * CPU per event of applying ingest batches to member state in Redis (issue 23): one APPLY_EVENTS
 * call per member (the former RedisMemberState.apply) against one APPLY_MEMBERS call per batch (the
 * current one), interleaved round by round on a private redis-server, members installed. CPU, not
 * wall time (the machine is shared): this process's (the node's side: argument building, ioredis,
 * replies) and redis-server's (INFO cpu).
 *   node --import tsx bench/redis-apply-calls.ts [--members 2000] [--batches 20] [--rounds 4] [--out bench/results/redis-apply-calls.md]
 */
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import type { EventType, VitrineEvent } from '../src/core/types.ts';
import { APPLY_EVENTS } from '../src/serving/online/redis/member-scripts.ts';
import { REDIS_STATE_DEFAULTS, RedisMemberState } from '../src/serving/online/redis/redis-member-state.ts';
import { eventArgs, scriptHeader } from '../src/serving/online/redis/script-args.ts';
import { keyList, MEMBER_KEY_COUNT, memberKeys } from '../src/storage/redis/member-keys.ts';
import { openStore } from '../src/storage/open-store.ts';
import { PrivateRedis } from '../test/helpers/private-redis.ts';

const { values } = parseArgs({ options: {
  members: { type: 'string', default: '2000' }, batches: { type: 'string', default: '20' },
  rounds: { type: 'string', default: '4' }, out: { type: 'string', default: 'bench/results/redis-apply-calls.md' },
} });
const MEMBERS = Number(values.members), BATCHES = Number(values.batches), ROUNDS = Number(values.rounds), BATCH = 500;
const LIMITS = { ...REDIS_STATE_DEFAULTS, recentLimit: 200, hydrateEvents: 1000, foldInCacheSize: 10, readTimeoutMs: 5000 };
const TYPES: EventType[] = ['rent', 'return', 'heart', 'click', 'view', 'impression', 'dismiss'];

let seed = 23;
const rand = (n: number): number => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return (seed >>> 8) % n; };
let next = 0;
const batch = (): VitrineEvent[] => Array.from({ length: BATCH }, () => {
  const i = next++;
  return { id: `e${i}`, userId: `u${rand(MEMBERS)}`, type: TYPES[rand(TYPES.length)], itemId: `i${rand(2000)}`, ts: 1_780_000_000_000 + i, ...(rand(3) === 0 ? { size: '8' } : {}) };
});

const uptime = (): string => execSync('uptime').toString().trim();
const redisCpuS = async (c: Redis): Promise<number> => {
  const info = await c.info('cpu');
  const f = (k: string): number => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return f('used_cpu_user') + f('used_cpu_sys');
};

const redis = await PrivateRedis.start();
const store = await openStore('sqlite::memory:');
const state = await RedisMemberState.open(redis.url, store, LIMITS);
const raw = redis.client() as Redis & { applyOne(...a: Array<string | number>): Promise<number> };
raw.defineCommand('applyOne', { numberOfKeys: MEMBER_KEY_COUNT, lua: APPLY_EVENTS });
const loadBefore = uptime();
try {
  for (let m = 0; m < MEMBERS; m++) await state.get(`u${m}`);
  const perMember = async (events: VitrineEvent[]): Promise<void> => {
    const by = new Map<string, VitrineEvent[]>();
    for (const e of events) by.set(e.userId, [...(by.get(e.userId) ?? []), e]);
    await Promise.all([...by].map(([u, l]) => raw.applyOne(...keyList(memberKeys(u)), ...scriptHeader(LIMITS, ''), ...l.flatMap(eventArgs))));
  };
  const sides = { 'one call per member': perMember, 'one call per batch': (e: VitrineEvent[]) => state.apply(e) };
  const totals = new Map<string, { node: number; redis: number; events: number }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, apply] of Object.entries(sides)) {
      const batches = Array.from({ length: BATCHES }, batch);
      const r0 = await redisCpuS(raw), c0 = process.cpuUsage();
      for (const b of batches) await apply(b);
      const c = process.cpuUsage(c0), r = await redisCpuS(raw) - r0;
      const t = totals.get(name) ?? { node: 0, redis: 0, events: 0 };
      totals.set(name, { node: t.node + (c.user + c.system) / 1000, redis: t.redis + r * 1000, events: t.events + BATCHES * BATCH });
    }
  }
  const rows = [...totals].map(([name, t]) =>
    `| ${name} | ${(t.node / t.events).toFixed(4)} | ${(t.redis / t.events).toFixed(4)} | ${((t.node + t.redis) / t.events).toFixed(4)} |`);
  const md = [
    '# Applying ingest batches to member state in Redis: CPU per event (issue 23)', '',
    `${new Date().toISOString()}, Node ${process.version}. Load before: \`${loadBefore}\`; after: \`${uptime()}\`.`,
    `Command: \`node --import tsx bench/redis-apply-calls.ts --members ${MEMBERS} --batches ${BATCHES} --rounds ${ROUNDS}\``,
    `${MEMBERS} members installed in a private redis-server; batches of ${BATCH} generated events (~${Math.round(MEMBERS * (1 - (1 - 1 / MEMBERS) ** BATCH))} members each),`,
    `${ROUNDS} rounds × ${BATCHES} batches per side, the sides interleaved. CPU ms per event; "node" is this process (the serving node's share).`, '',
    '| apply | node CPU ms/event | redis-server CPU ms/event | total |', '|---|---|---|---|', ...rows, '',
  ].join('\n');
  writeFileSync(values.out, md);
  console.log(md);
} finally {
  raw.disconnect();
  await state.close();
  await store.close();
  await redis.stop();
}
