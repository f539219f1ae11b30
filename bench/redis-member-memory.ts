/**
 * Redis bytes per member (issue 23: ≤ 1.6 KB at 100k members). Seeded synthetic members
 * (bench/synthetic-members.ts, the same as bench/online-state.bench.ts) are installed in a private
 * redis-server through the rebuild script, then live events are applied through the event script;
 * bytes per member = growth of INFO used_memory / members, with MEMORY USAGE per key kind on a sample.
 * Writes bench/results/redis-member-memory.{json,md}.
 *   node --import tsx bench/redis-member-memory.ts [--members 100000] [--items 20000] [--seed 1]
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { VitrineEvent } from '../src/core/types.ts';
import { APPLY_EVENTS, INSTALL_MEMBER } from '../src/serving/online/redis/member-scripts.ts';
import { REDIS_STATE_DEFAULTS } from '../src/serving/online/redis/redis-member-state.ts';
import { eventArgs, installArgs, scriptHeader, type ScriptLimits } from '../src/serving/online/redis/script-args.ts';
import { EPOCH_KEY, keyList, MEMBER_KEY_COUNT, memberKeys } from '../src/storage/redis/member-keys.ts';
import { PrivateRedis } from '../test/helpers/private-redis.ts';
import { syntheticMembers } from './synthetic-members.ts';

const TARGET_BYTES = 1600;
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const { values } = parseArgs({
  options: { members: { type: 'string', default: '100000' }, items: { type: 'string', default: '20000' }, seed: { type: 'string', default: '1' } },
});
const members = Number(values.members);
const items = Number(values.items);
const command = `node --import tsx bench/redis-member-memory.ts --members ${members} --items ${items} --seed ${values.seed}`;
const { random, pick, itemId, memberHistory, SIZES, T0, DAY } = syntheticMembers({ seed: Number(values.seed), items });
const limits: ScriptLimits = { ttlMs: REDIS_STATE_DEFAULTS.ttlMs, recentLimit: 200, seenWindow: REDIS_STATE_DEFAULTS.seenWindow };

const redis = await PrivateRedis.start();
const client = redis.client();
type Scripted = typeof client & { install(...a: Array<string | number>): Promise<number>; applyEvents(...a: Array<string | number>): Promise<number> };
client.defineCommand('install', { numberOfKeys: MEMBER_KEY_COUNT, lua: INSTALL_MEMBER });
client.defineCommand('applyEvents', { numberOfKeys: MEMBER_KEY_COUNT, lua: APPLY_EVENTS });
const c = client as Scripted;
const usedMemory = async (): Promise<number> => Number(/used_memory:(\d+)/.exec(await c.info('memory'))?.[1]);

try {
  await c.set(EPOCH_KEY, 'bench');
  const baseline = await usedMemory();
  let events = 0;
  const t0 = performance.now();
  for (let from = 0; from < members; from += 250) {
    const pipe = c.pipeline() as ReturnType<typeof c.pipeline> & { install(...a: Array<string | number>): unknown };
    for (let m = from; m < Math.min(members, from + 250); m++) {
      const userId = `member-${m}`;
      const history = memberHistory(userId);
      events += history.events.length;
      pipe.set(memberKeys(userId).building, '1', 'PX', 60_000);
      pipe.install(...keyList(memberKeys(userId)), ...installArgs(history, limits, 'bench'));
    }
    for (const [err] of (await pipe.exec()) ?? []) if (err) throw err;
  }
  const installSeconds = (performance.now() - t0) / 1000;
  // live events, as ingest applies them (one script call per member)
  const live = 100_000;
  const t1 = performance.now();
  for (let from = 0; from < live; from += 500) {
    const pipe = c.pipeline() as ReturnType<typeof c.pipeline> & { applyEvents(...a: Array<string | number>): unknown };
    for (let k = from; k < from + 500; k++) {
      const e: VitrineEvent = {
        id: `live-${k}`, type: pick(['click', 'heart', 'rent', 'return', 'view'] as const), userId: `member-${Math.floor(random() * members)}`,
        itemId: itemId(), ts: T0 + 400 * DAY + k, size: pick(SIZES),
      };
      pipe.applyEvents(...keyList(memberKeys(e.userId)), ...scriptHeader(limits, ''), ...eventArgs(e));
    }
    for (const [err] of (await pipe.exec()) ?? []) if (err) throw err;
  }
  const applyUs = ((performance.now() - t1) * 1000) / live;
  const used = await usedMemory();
  const keys = await c.dbsize();
  // MEMORY USAGE per key kind, on a sample
  const kinds = ['state', 'recent', 'profile'] as const;
  const perKind = new Map<string, { bytes: number; present: number }>(kinds.map((k) => [k, { bytes: 0, present: 0 }]));
  const sample = Math.min(2000, members);
  for (let s = 0; s < sample; s++) {
    const k = memberKeys(`member-${Math.floor((s * members) / sample)}`);
    for (const kind of kinds) {
      const bytes = await c.memory('USAGE', k[kind], 'SAMPLES', 0);
      const entry = perKind.get(kind);
      if (entry && bytes !== null) { entry.bytes += Number(bytes); entry.present++; }
    }
  }
  const encodings = Object.fromEntries(await Promise.all(kinds.map(async (kind) => [kind, await c.object('ENCODING', memberKeys('member-1')[kind])])));
  const bytesPerMember = Math.round((used - baseline) / members);
  const result = {
    date: new Date().toISOString(), command, redis: (/redis_version:(\S+)/.exec(await c.info('server')))?.[1], cores: cpus().length,
    loadAverage1m: loadavg()[0], members, items, eventsInstalled: events, eventsPerMember: events / members, liveEvents: live,
    usedMemoryBaseline: baseline, usedMemory: used, keys, keysPerMember: keys / members, bytesPerMember,
    memoryUsagePerKind: Object.fromEntries([...perKind].map(([k, v]) => [k, { meanBytes: v.present ? Math.round(v.bytes / v.present) : 0, shareOfMembers: v.present / sample }])),
    encodings, installSeconds, applyUsPerEvent: applyUs, limits,
    target: { bytesPerMember: TARGET_BYTES, met: bytesPerMember <= TARGET_BYTES },
  };
  await writeFile(`${RESULTS}redis-member-memory.json`, `${JSON.stringify(result, null, 2)}\n`);
  const kindRows = [...perKind].map(([k, v]) => `| ${k} | ${v.present ? Math.round(v.bytes / v.present) : 0} B | ${Math.round((100 * v.present) / sample)}% | ${encodings[k] ?? '—'} |`).join('\n');
  const md = `# Redis bytes per member

${result.date} · ${result.cores} cores · Redis ${result.redis} · load average ${result.loadAverage1m.toFixed(2)}.
Reproduce: \`${command}\`.

${members.toLocaleString('en')} seeded synthetic members (bench/synthetic-members.ts: 80% with a profile,
${result.eventsPerMember.toFixed(1)} events each on average) installed through the rebuild script, then
${live.toLocaleString('en')} live events through the event script. Limits: ${limits.recentLimit} recent positives,
${limits.seenWindow} counting-event ids, TTL ${limits.ttlMs / 86_400_000} days (ADR 0022).

| measure | value | target | |
|---|---|---|---|
| bytes per member (INFO used_memory growth / members) | ${bytesPerMember} B | ≤ ${TARGET_BYTES} B | ${result.target.met ? 'met' : 'missed'} |
| keys per member | ${result.keysPerMember.toFixed(2)} | | |
| install (rebuild script), all members | ${installSeconds.toFixed(1)} s | | |
| live event applied (event script, pipelined) | ${applyUs.toFixed(1)} µs | | |

MEMORY USAGE per key kind (sample of ${sample.toLocaleString('en')} members; encoding of one):

| key | mean | members with it | encoding |
|---|---|---|---|
${kindRows}
`;
  await writeFile(`${RESULTS}redis-member-memory.md`, md);
  console.log(md);
} finally {
  client.disconnect();
  await redis.stop();
}
