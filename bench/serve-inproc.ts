/**
 * The page path in one process, for profiling (`node --cpu-prof`): the serving benchmark's world
 * (bench:serve builds and caches it) opened with buildApp, pages requested through `inject()` over a
 * member pool, one at a time. Prints CPU per page. No network, no load generator: what it measures is
 * the server's own work per page, which is what the throughput targets divide.
 *   node --import tsx bench/serve-inproc.ts [--pages 4000] [--pool 5000] [--data DIR] [--cold]
 *   node --import tsx bench/serve-inproc.ts --profile /tmp/page.cpuprofile   (the timed pages only)
 * --cold: every page for a member not seen before (the row cache never hits); --no-row-cache: serving.rowCacheMembers = 0;
 * --population: members drawn from every member of the store in a seeded order (as bench:serve's traffic and
 *   serve-fresh-cpu.ts draw them: some outside the models' training data), not only those the ALS model knows.
 * --after-event: each page right after a click by its member (state moved: what freshness costs; the click is counted too).
 * --positive-first: before the timed pages each pool member sends one click, newer than the models' data,
 *   and gets one page (both untimed): the timed pages then meet members folded in from their live
 *   positives instead of looked up by id (member-query.ts), as every member who acted since training is
 *   (what a soak's regulars cost once they have sent a session; RELIABILITY.md).
 * --live-ttl 1: serving.rowCacheLiveTtlMs = 1 ms, so every page is past its TTL (what an expiry costs: live rows
 *   afresh, the member's stable rows from the row cache).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/core/config.ts';
import type { AlsModel } from '../src/ml/als/als-model.ts';
import { alsTrainer } from '../src/ml/als/als-trainer.ts';
import { buildApp } from '../src/serving/app.ts';
import { openStore } from '../src/storage/open-store.ts';
import { SERVE_WORLD_CACHE, storeMembersShuffled } from './serve-world.ts';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '4000' }, pool: { type: 'string', default: '5000' },
    data: { type: 'string', default: join(SERVE_WORLD_CACHE, 'u200000-i20000-d90-s11-imp1', 'data') },
    cold: { type: 'boolean', default: false },
    'no-row-cache': { type: 'boolean', default: false },
    'after-event': { type: 'boolean', default: false },
    'positive-first': { type: 'boolean', default: false },
    'live-ttl': { type: 'string' },
    profile: { type: 'string' },
    population: { type: 'boolean', default: false },
  },
});
const config = loadConfig({
  dataDir: values.data, serving: { impressionItemEvents: false, ...(values['live-ttl'] ? { rowCacheLiveTtlMs: Number(values['live-ttl']) } : {}), ...(values['no-row-cache'] ? { rowCacheMembers: 0 } : {}) },
}, {});
const store = await openStore(`sqlite:${join(values.data, 'vitrine.db')}`);
const { app, context } = await buildApp({ config, store, logger: false });
const engine = context.serving.localReplica()!.engine; // no page workers: pages are composed on this thread
await app.ready();
await engine.signalsSeeded(); // the start-up scan of the event log would be measured with the pages otherwise
// known members: those the trained ALS model has vectors for, as bench:serve picks them
const alsDir = readdirSync(join(values.data, 'models')).filter((d) => d.startsWith('als-')).sort().at(-1);
if (!alsDir) throw new Error(`no ALS artifact under ${values.data}/models`);
const members = values.population ? storeMembersShuffled(join(values.data, 'vitrine.db'), 7) : ((await alsTrainer.load(join(values.data, 'models', alsDir))) as AlsModel).userIds;
const poolSize = Number(values.pool), pages = Number(values.pages);
const pool = values.population ? members.slice(0, poolSize)
  : Array.from({ length: Math.min(poolSize, members.length) }, (_, j) => members[Math.floor((j * members.length) / Math.min(poolSize, members.length))]);
const path = (id: string) => `/v1/users/${encodeURIComponent(id)}/page?rows=8&size=20`;


let clicks = 0;
async function run(ids: readonly string[], afterEvent = false): Promise<number> {
  const cpu = process.cpuUsage();
  for (const id of ids) {
    if (afterEvent) {
      const event = { id: `inproc-click-${process.pid}-${++clicks}`, type: 'click', userId: id, itemId: 'i00001', ts: Date.now() };
      const ack = await app.inject({ method: 'POST', url: '/v1/events', payload: { events: [event] } });
      if (ack.statusCode !== 200) throw new Error(`event: ${ack.statusCode} ${ack.body.slice(0, 200)}`);
    }
    const res = await app.inject({ method: 'GET', url: path(id) });
    if (res.statusCode !== 200) throw new Error(`page ${id}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000 / ids.length;
}

console.log(`warming ${pool.length} members…`);
console.log(`  warm pass: ${(await run(pool)).toFixed(3)} ms CPU/page`);
if (values['positive-first']) console.log(`  one click each, then a page: ${(await run(pool, true)).toFixed(3)} ms CPU/page (with the click)`);
const ids = values.cold
  ? members.filter((id) => !pool.includes(id)).slice(0, pages)
  : Array.from({ length: pages }, (_, j) => pool[(j * 7919) % pool.length]);
const session = values.profile ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const what = `${values.population ? 'population, ' : ''}${values.cold ? 'members not seen before' : 'warmed pool'}${values['positive-first'] ? ' with a live positive' : ''}${values['after-event'] ? ', each right after a click' : ''}`;
console.log(`${ids.length} pages (${what}): ${(await run(ids, values['after-event'])).toFixed(3)} ms CPU/page`);
if (session && values.profile) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(values.profile, JSON.stringify(profile));
  console.log(`profile of the timed pages: ${values.profile}`);
}
console.log('page cache:', JSON.stringify(engine.pageCache?.stats() ?? 'off'), 'row cache:', JSON.stringify(engine.rowCache?.stats() ?? 'off'), 'shared rows:', JSON.stringify(engine.sharedRows?.stats() ?? 'off'));
await app.close();
await store.close();
