/**
 * Issue 20 item 2: forget means forgotten. After DELETE /v1/users/{id}: no page record logged after
 * the delete brings them back (page-then-delete, 20 rounds), later reads do not recreate them, their
 * bytes are not in the database file or its WAL, models trained afterwards do not hold their id, and
 * old artifacts are removed beyond models.keepVersions.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { VitrineEvent } from '../src/core/types.ts';
import { collectArtifacts } from '../src/pipeline/artifact-gc.ts';
import { trainModels } from '../src/pipeline/model-training.ts';
import type { ModelRecord } from '../src/storage/store.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { buildApp } from '../src/serving/app.ts';
import { resolveConfig } from '../src/core/config.ts';
import { localReplica, testApp, type TestApp } from './helpers/app.ts';
import { looksWorld, NOW as LOOKS_NOW } from './helpers/looks-world.ts';
import { UNHURRIED_SERVING } from './helpers/unhurried.ts';

const NOW = Date.UTC(2026, 2, 1);
const ITEMS = Array.from({ length: 20 }, (_, k) => ({ id: `look-${k}`, title: `Look ${k}`, category: 'dress', sizes: { 8: 3 } }));

async function appWithLooks(opts: Parameters<typeof testApp>[0]): Promise<TestApp> {
  const t = await testApp(opts);
  assert.equal((await t.app.inject({ method: 'POST', url: '/v1/items/batch', payload: { items: ITEMS } })).statusCode, 200);
  return t;
}

/** Every trace of the member the store could hold. */
async function traces(t: TestApp, userId: string): Promise<{ user: boolean; events: number; pages: number }> {
  const pages = t.store.db.prepare('SELECT count(*) FROM impressions WHERE user_id = ?').pluck().get(userId) as number;
  return { user: (await t.store.getUser(userId)) !== null, events: (await t.store.userEvents(userId, { limit: 100_000 })).length, pages };
}

// pages logged at once (0) or held for 10 s (the record is waiting when the delete comes), and by page workers
for (const { impressionFlushMs, pageWorkers } of [{ impressionFlushMs: 0, pageWorkers: 0 }, { impressionFlushMs: 10_000, pageWorkers: 0 }, { impressionFlushMs: 10_000, pageWorkers: 2 }]) {
  describe(`forget after pages (impressionFlushMs ${impressionFlushMs}, ${pageWorkers} page workers)`, () => {
    it('page-then-delete, 20 rounds: nothing of the member is left; a later page recreates no member', async () => {
      const t = await appWithLooks({ now: NOW, config: { serving: { impressionFlushMs, pageWorkers, impressionItemEvents: true } } });
      try {
        for (let round = 0; round < 20; round++) {
          const id = `member-${round}`;
          assert.equal((await t.app.inject({ method: 'PUT', url: `/v1/users/${id}`, payload: { sizes: ['8'] } })).statusCode, 201);
          const rent = { id: `rent-${round}`, type: 'rent', userId: id, itemId: `look-${round}`, size: '8', ts: NOW - 1000 };
          assert.equal((await t.app.inject({ method: 'POST', url: '/v1/events', payload: { events: [rent] } })).json().accepted, 1);
          for (let k = 0; k < 2; k++) assert.equal((await t.app.inject({ url: `/v1/users/${id}/page?rows=3&size=4` })).statusCode, 200);
          const deleted = await t.app.inject({ method: 'DELETE', url: `/v1/users/${id}` });
          assert.deepEqual(deleted.json(), { id, forgotten: true });
        }
        await t.context.serving.apply({ kind: 'flush' });
        for (let round = 0; round < 20; round++) assert.deepEqual(await traces(t, `member-${round}`), { user: false, events: 0, pages: 0 }, `member-${round}`);

        // a later read is an anonymous visit: a page record, no member, no event
        assert.equal((await t.app.inject({ url: '/v1/users/member-0/page?rows=3&size=4' })).statusCode, 200);
        await t.context.serving.apply({ kind: 'flush' });
        assert.deepEqual(await traces(t, 'member-0'), { user: false, events: 0, pages: 1 });
        assert.equal(await t.store.countUsers(), 0);
      } finally {
        await t.close();
      }
    });
  });
}

describe('forget leaves nothing in memory', () => {
  it("the member's cached page and rows go with them, and their online state", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-forget-cache-'));
    const store = new SqliteStore(join(dir, 'vitrine.db'));
    await looksWorld(store, ['ann', 'bea']);
    await trainModels(store, dir, { algorithms: ['item-knn', 'popularity'], gate: false });
    const config = resolveConfig({ dataDir: dir, serving: { primaryAlgorithm: 'item-knn', ...UNHURRIED_SERVING }, training: { inWorker: false } });
    const v = await buildApp({ config, store, logger: false, clock: () => LOOKS_NOW });
    try {
      const engine = localReplica(v).engine;
      for (const id of ['ann', 'bea']) assert.equal((await v.app.inject({ url: `/v1/users/${id}/page?rows=4&size=4` })).statusCode, 200);
      // each member has one row-cache entry (their own rows); rows shared by everyone in their sizes are
      // held across members (shared-rows.ts), keyed by sizes: nothing of a member to forget there
      const cached = () => [engine.pageCache?.stats().members ?? -1, engine.rowCache?.stats().members ?? -1];
      const [pages, rows] = cached();
      assert.equal(pages, 2, 'both members\' pages are cached');
      assert.equal((await v.app.inject({ method: 'DELETE', url: '/v1/users/ann' })).statusCode, 200);
      assert.equal(rows, 2);
      assert.ok((engine.sharedRows?.stats().rows ?? 0) > 0, 'the shared rows were made');
      assert.deepEqual(cached(), [pages - 1, rows - 1], 'ann\'s page and rows are gone, bea\'s are left');
      assert.equal(localReplica(v).online.has('ann'), false);
    } finally {
      await v.app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('forget leaves no bytes behind', () => {
  it("a unique marker in the member's id and profile is in the file before the delete, in neither file nor WAL after", async () => {
    const t = await appWithLooks({ now: NOW, config: { serving: { impressionFlushMs: 0, impressionItemEvents: true } } });
    try {
      const marker = `mrk${randomUUID().replaceAll('-', '')}`;
      const id = `${marker}-id`;
      assert.equal((await t.app.inject({ method: 'PUT', url: `/v1/users/${id}`, payload: { sizes: ['8'], attributes: { note: `${marker}-profile` } } })).statusCode, 201);
      const events = Array.from({ length: 30 }, (_, k) => ({ id: `${marker}-e${k}`, type: k % 2 ? 'heart' : 'view', userId: id, itemId: `look-${k % 20}`, ts: NOW - k }));
      assert.equal((await t.app.inject({ method: 'POST', url: '/v1/events', payload: { events } })).json().accepted, 30);
      assert.equal((await t.app.inject({ url: `/v1/users/${id}/page?rows=3&size=4` })).statusCode, 200);
      await t.context.serving.apply({ kind: 'flush' });

      const dbFile = join(t.dir, 'vitrine.db');
      const bytes = () => Buffer.concat([dbFile, `${dbFile}-wal`].filter(existsSync).map((f) => readFileSync(f)));
      t.store.db.pragma('wal_checkpoint(TRUNCATE)');
      assert.ok(bytes().includes(`${marker}-profile`) && bytes().includes(`${marker}-id`), 'the marker is in the file before the delete');

      assert.equal((await t.app.inject({ method: 'DELETE', url: `/v1/users/${id}` })).statusCode, 200);
      t.store.db.pragma('wal_checkpoint(TRUNCATE)');
      assert.equal(bytes().includes(marker), false, 'no byte of the marker left in vitrine.db or its WAL');
    } finally {
      await t.close();
    }
  });
});

describe('models after a forget', () => {
  const positives = (userId: string, looks: number[]): VitrineEvent[] =>
    looks.map((k) => ({ id: `${userId}-${k}`, type: 'rent', userId, itemId: `look-${k}`, ts: NOW - 1000 * k, size: '8' }));
  /** The member ids an artifact directory names (every file's text). */
  const holds = (dir: string, artifactPath: string | undefined, id: string): boolean =>
    readdirSync(join(dir, artifactPath ?? 'missing')).some((f) => readFileSync(join(dir, artifactPath ?? '', f)).includes(`"${id}"`));

  it("a model trained after the delete does not hold the member's id; one trained before did", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-forget-train-'));
    const store = new SqliteStore(join(dir, 'vitrine.db'));
    try {
      const members = ['ann', 'bea', 'cleo', 'dora', 'doomed'];
      await store.appendEvents(members.flatMap((m, i) => positives(m, [i, i + 1, i + 2, (i + 5) % 8])));
      const train = async () => (await trainModels(store, dir, { algorithms: ['als'], gate: false, params: { als: { factors: 4, iterations: 2 } } }))[0];
      const before = await train();
      assert.equal(before.status, 'active');
      assert.ok(holds(dir, before.artifactPath, 'doomed') && holds(dir, before.artifactPath, 'ann'), 'the artifact names its members');
      assert.equal(await store.forgetUser('doomed'), true);
      const afterForget = await train();
      assert.equal(holds(dir, afterForget.artifactPath, 'doomed'), false, 'trained after the delete: not in it');
      assert.ok(holds(dir, afterForget.artifactPath, 'ann'), 'the others still are');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('artifacts beyond keepVersions per algorithm are removed; active, previous and in-progress ones never', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-gc-'));
    const store = new SqliteStore(':memory:');
    try {
      const versions: Array<[string, string, ModelRecord['status']]> = [
        ['als-6', 'als', 'active'], ['als-5', 'als', 'retired'], ['als-4', 'als', 'rejected'], ['als-3', 'als', 'retired'],
        ['als-2', 'als', 'previous'], ['als-1', 'als', 'retired'], ['als-0', 'als', 'training'],
        ['ease-2', 'ease', 'active'], ['ease-1', 'ease', 'retired'],
      ];
      for (const [n, [version, algorithm, status]] of versions.entries()) {
        const artifactPath = join('models', version);
        mkdirSync(join(dir, artifactPath), { recursive: true });
        writeFileSync(join(dir, artifactPath, 'manifest.json'), '{}');
        await store.putModel({ version, algorithm, status, createdAt: NOW - n, metrics: {}, artifactPath });
      }
      // a row naming a directory outside models/ is never followed
      await store.putModel({ version: 'odd', algorithm: 'als', status: 'retired', createdAt: 0, metrics: {}, artifactPath: '..' });

      const removed = await collectArtifacts(store, dir, 2);
      assert.deepEqual(removed.sort(), ['als-1', 'als-3', 'als-4']);
      assert.deepEqual(readdirSync(join(dir, 'models')).sort(), ['als-0', 'als-2', 'als-5', 'als-6', 'ease-1', 'ease-2']);
      assert.equal((await store.getModel('als-3'))?.artifactPath, undefined, 'the registry row stays, without its artifact');
      assert.match((await store.getModel('als-3'))?.note ?? '', /artifact removed/);
      assert.equal((await store.getModel('als-2'))?.artifactPath, join('models', 'als-2'));
      assert.ok(existsSync(dir), 'the data directory itself is untouched');
      assert.deepEqual(await collectArtifacts(store, dir, 2), [], 'a second pass has nothing left to do');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
