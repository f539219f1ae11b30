/**
 * Two nodes on one store sharing member state in a private Redis (state.url, ADR 0022): an event
 * acknowledged by one node is in the other's next read; /readyz and /metrics reflect Redis; pages
 * keep being served while Redis is down. Skipped without redis-server unless CI=true.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../src/core/config.ts';
import { buildApp, type VitrineApp } from '../src/serving/app.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { localReplica } from './helpers/app.ts';
import { PrivateRedis, skip } from './helpers/private-redis.ts';
import { waitFor } from './helpers/wait-for.ts';

const T0 = Date.UTC(2026, 5, 1);

describe('serving with member state in Redis', { skip }, () => {
  let redis: PrivateRedis;
  let dir = '';
  const stores: SqliteStore[] = [];
  let a: VitrineApp;
  let b: VitrineApp;

  before(async () => {
    redis = await PrivateRedis.start();
    dir = mkdtempSync(join(tmpdir(), 'vitrine-redis-state-'));
    const node = async (): Promise<VitrineApp> => {
      const store = new SqliteStore(join(dir, 'vitrine.db'));
      stores.push(store);
      const config = resolveConfig({ dataDir: dir, state: { url: redis.url, readTimeoutMs: 1000 } });
      return buildApp({ config, store, logger: false, clock: () => T0 + 60_000 });
    };
    a = await node();
    b = await node();
  });
  after(async () => {
    await a?.app.close();
    await b?.app.close();
    for (const s of stores) await s.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an event acknowledged by one node is in the other node\'s next read', async () => {
    const onB = localReplica(b).online;
    assert.equal((await onB.get('ann')).known, false);
    const res = await a.app.inject({ method: 'POST', url: '/v1/events', payload: { events: [{ id: 'e1', type: 'rent', userId: 'ann', itemId: 'dress-1', ts: T0, size: '8' }] } });
    assert.equal(res.statusCode, 200);
    const seen = await onB.get('ann');
    assert.deepEqual([...seen.held], ['dress-1']);
    assert.deepEqual(seen.sizes, ['8']);
  });

  it('/readyz names Redis, and is 503 with its code while Redis is down; pages are served meanwhile', async () => {
    assert.deepEqual((await a.app.inject({ url: '/readyz' })).json(), { status: 'ready', store: 'sqlite', state: 'redis' });
    // ann was first read (so rebuilt) on node B; node A wrote her event
    assert.match((await b.app.inject({ url: '/metrics' })).body, /\nvitrine_state_redis_rebuilds 1\n/);
    assert.match((await a.app.inject({ url: '/metrics' })).body, /\nvitrine_state_redis_write_failures 0\n/);
    await redis.kill();
    // /readyz answers from its latest check and refreshes it in the background (readiness.ts)
    await waitFor(async () => (await a.app.inject({ url: '/readyz' })).statusCode === 503, '/readyz to report Redis down', 10_000);
    const down = await a.app.inject({ url: '/readyz' });
    assert.equal(down.statusCode, 503);
    assert.equal(down.json().error.code, 'VITRINE_STATE_UNAVAILABLE');
    const page = await a.app.inject({ url: '/v1/users/ann/page' });
    assert.equal(page.statusCode, 200, 'the member read falls back to a cold start');
    await redis.restart();
    await waitFor(async () => (await a.app.inject({ url: '/readyz' })).statusCode === 200, '/readyz to recover', 10_000);
  });
});
