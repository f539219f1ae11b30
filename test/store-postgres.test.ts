/**
 * The store contract on PostgreSQL, plus what only PostgreSQL has (migrations under an advisory lock,
 * duplicates counted by the database, the pool's error handler), in throwaway databases
 * (helpers/throwaway-postgres.ts). Without a reachable server the tests skip, unless CI=true.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../src/core/config.ts';
import { VitrineError } from '../src/core/errors.ts';
import type { VitrineEvent } from '../src/core/types.ts';
import { openStore } from '../src/storage/open-store.ts';
import { migrate, MIGRATION_LOCK_KEY, POSTGRES_MIGRATIONS } from '../src/storage/postgres/migrations.ts';
import { PostgresStore } from '../src/storage/postgres/postgres-store.ts';
import { withClient } from '../src/storage/postgres/transaction.ts';
import type { Store } from '../src/storage/store.ts';
import { pageWorkersWanted } from '../src/serving/page-workers/attach-page-workers.ts';
import { admin, MISSING_DATABASE, databaseUrl, skip, throwawayDatabase } from './helpers/throwaway-postgres.ts';
import { storeContract } from './store-contract.ts';
import { HANG_GUARD_MS, waitFor } from './helpers/wait-for.ts';

const T0 = Date.UTC(2026, 0, 1);
const ev = (id: string, userId: string, itemId: string, ts = T0): VitrineEvent => ({ id, type: 'view', userId, itemId, ts });

describe('PostgreSQL store', { skip }, () => {
  // one database for the contract: each test starts on emptied tables (a fresh database per test
  // would cost ~0.5 s each); the first open applies the migrations, every later one finds them applied
  let contractUrl = '';
  before(async () => { contractUrl = await throwawayDatabase('contract'); });
  storeContract('postgres', async () => {
    const store = await openStore(contractUrl, { postgres: { poolSize: 4 } }) as PostgresStore;
    const { rows } = await store.pool.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_version'`);
    // DELETE rather than TRUNCATE: on tables this small it skips creating and syncing new files
    await store.pool.query(rows.map((r) => `DELETE FROM ${r.t};`).join(' '));
    return store;
  });

  describe('PostgresStore specifics', () => {
    // one more database, new for the first test (two nodes migrating it at once), then shared
    let url = '';
    let store: PostgresStore;
    before(async () => { url = await throwawayDatabase('specifics'); });
    after(async () => { await store?.close(); });

    it('two nodes opening a new database at once: the migrations run once, both stores work', async () => {
      const [a, b] = await Promise.all([PostgresStore.open(url), PostgresStore.open(url)]);
      const { rows } = await a.pool.query<{ version: number }>('SELECT version FROM schema_version ORDER BY version');
      assert.deepEqual(rows.map((r) => r.version), POSTGRES_MIGRATIONS.map((_, i) => i + 1));
      await a.appendEvents([ev('e1', 'm1', 'd1')]);
      assert.equal(await b.countEvents(), 1);
      await Promise.all([a.close(), b.close()]);
      // re-opening applies nothing again and keeps the data
      store = await PostgresStore.open(url, { poolSize: 4 });
      assert.equal((await store.pool.query('SELECT count(*) AS n FROM schema_version')).rows[0].n, POSTGRES_MIGRATIONS.length);
      assert.equal(await store.countEvents(), 1);
    });

    it('a node opening while another migrates waits for it, however long, past store.busyTimeoutMs', async () => {
      const holder = await store.pool.connect();
      try {
        await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
        const opening = PostgresStore.open(url, { poolSize: 1, lockTimeoutMs: 50 }).then((s) => s, (e: unknown) => e);
        // until the opener has waited on the lock for 4× its lock timeout
        await waitFor(async () => {
          const { rows } = await holder.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event = 'advisory' AND now() - query_start > interval '200 ms'`);
          return rows[0].n > 0;
        }, 'the opener waiting on the migration lock for 200 ms');
        await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
        const opened = await opening;
        assert.ok(opened instanceof PostgresStore, `the open failed: ${String(opened)}`);
        await opened.close();
      } finally {
        holder.release();
      }
    });

    it('a write waiting on a row lock past store.busyTimeoutMs is VITRINE_STORE_BUSY', async () => {
      await store.upsertUser('locked', { sizes: ['8'] }, T0);
      const impatient = await PostgresStore.open(url, { poolSize: 1, lockTimeoutMs: 100 });
      const holder = await store.pool.connect();
      try {
        await holder.query(`BEGIN; SELECT 1 FROM users WHERE id = 'locked' FOR UPDATE`);
        await assert.rejects(impatient.upsertUser('locked', { sizes: ['10'] }, T0 + 1),
          (e: unknown) => e instanceof VitrineError && e.code === 'VITRINE_STORE_BUSY');
      } finally {
        await holder.query('ROLLBACK').finally(() => holder.release());
        await impatient.close();
      }
      assert.deepEqual((await store.getUser('locked'))?.sizes, ['8'], 'nothing of the refused write');
    });

    it('a database written by a newer Vitrine is refused', async () => {
      const client = await store.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('INSERT INTO schema_version (version) VALUES ($1)', [POSTGRES_MIGRATIONS.length + 1]);
        // visible to the open below only if committed: commit, check, then remove it again
        await client.query('COMMIT');
        await assert.rejects(PostgresStore.open(url), (e: unknown) => e instanceof VitrineError && e.code === 'VITRINE_STORE_SCHEMA_TOO_NEW');
      } finally {
        await client.query('DELETE FROM schema_version WHERE version > $1', [POSTGRES_MIGRATIONS.length]).finally(() => client.release());
      }
    });

    it('a failing migration rolls back whole and is a typed error', async () => {
      const client = await store.pool.connect();
      try {
        // in a schema of its own, so that this database's tables are not in the way
        await client.query('CREATE SCHEMA badmig; SET search_path TO badmig');
        await assert.rejects(migrate(client, ['CREATE TABLE t1 (x int)', 'CREATE TABLE nonsense (']),
          (e: unknown) => e instanceof VitrineError && e.code === 'VITRINE_STORE_MIGRATION_FAILED' && /migration 2/.test(e.message));
        const { rows } = await client.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'badmig'`);
        assert.equal(rows[0].n, 0, 'nothing of the migrations is left');
        // a role that may not create tables here: a typed error too, not a bare SQL one
        await client.query(`CREATE ROLE vitrine_test_reader_${process.pid}; GRANT USAGE ON SCHEMA badmig TO vitrine_test_reader_${process.pid};
          SET ROLE vitrine_test_reader_${process.pid}`);
        await assert.rejects(migrate(client, ['CREATE TABLE t1 (x int)']),
          (e: unknown) => e instanceof VitrineError && e.code === 'VITRINE_STORE_MIGRATION_FAILED' && /permission denied/.test(e.message));
      } finally {
        // the schema holds the role's privilege: it goes first, and the connection is released whatever fails
        await client.query(`RESET ROLE; RESET search_path; DROP SCHEMA IF EXISTS badmig CASCADE; DROP ROLE IF EXISTS vitrine_test_reader_${process.pid}`)
          .finally(() => client.release());
      }
    });

    it('duplicates within one batch are counted by the database: the first of each id is the one stored', async () => {
      const batch = [ev('a', 'm1', 'd1', T0), ev('b', 'm1', 'd2', T0), ev('a', 'm1', 'd9', T0 + 5), ev('c', 'm2', 'd3'), ev('b', 'm1', 'd2')];
      assert.deepEqual(await store.appendEvents(batch), { accepted: 3, duplicates: [2, 4] });
      const stored = await store.scanEvents({ afterSeq: 0, limit: 10 });
      assert.deepEqual(stored.map((e) => [e.id, e.itemId]), [['e1', 'd1'], ['a', 'd1'], ['b', 'd2'], ['c', 'd3']], 'arrival order, first copy kept');
      assert.equal(await store.getItem('d9'), null, 'a duplicate creates no placeholder item');
    });

    it('two batches with the same ids committed at once on two connections: each id stored exactly once', async () => {
      const ids = Array.from({ length: 200 }, (_, i) => `race-${i}`);
      const [x, y] = await Promise.all([
        store.appendEvents(ids.map((id) => ev(id, 'racer', 'd1'))),
        store.appendEvents(ids.map((id) => ev(id, 'racer', 'd1'))),
      ]);
      assert.equal(x.accepted + y.accepted, 200);
      assert.equal(x.duplicates.length + y.duplicates.length, 200);
      assert.equal((await store.userEvents('racer', { limit: 1000 })).length, 200);
    });

    it('runs its sessions with synchronous_commit on, whatever the server default', async () => {
      await admin.query(`ALTER DATABASE ${new URL(url).pathname.slice(1)} SET synchronous_commit = off`);
      const fresh = await PostgresStore.open(url, { poolSize: 1 });
      const { rows } = await fresh.pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
      await fresh.close();
      assert.equal(rows[0].synchronous_commit, 'on');
      // session options given in the URL are kept, and do not undo it
      const withOptions = new URL(url);
      withOptions.searchParams.set('options', '-c synchronous_commit=off -c statement_timeout=4321');
      const optioned = await PostgresStore.open(withOptions.toString(), { poolSize: 1, lockTimeoutMs: 1234 });
      const shown = await optioned.pool.query<{ s: string; t: string; l: string }>(`SELECT current_setting('synchronous_commit') AS s,
        current_setting('statement_timeout') AS t, current_setting('lock_timeout') AS l`);
      await optioned.close();
      assert.deepEqual(shown.rows[0], { s: 'on', t: '4321ms', l: '1234ms' });
    });

    it('an idle connection killed by the server is reported to onPoolError, and the next query gets a new one', async () => {
      const reported: Error[] = [];
      const victim = await PostgresStore.open(url, { poolSize: 1, onPoolError: (err) => reported.push(err) });
      const pid = (await victim.pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      // the idle client learns of it asynchronously: wait for the report
      await waitFor(() => reported.length > 0, 'the pool error report');
      assert.equal(reported.length, 1);
      await victim.ping();
      await victim.close();
    });

    it('a connection that breaks inside a transaction: a typed error, no uncaught exception, the pool goes on', { timeout: HANG_GUARD_MS }, async () => {
      await assert.rejects(withClient(store.pool, async (client) => {
        await client.query('INSERT INTO users (id, created_at, updated_at) VALUES ($1, 0, 0)', ['never-committed']);
        const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        const ended = new Promise((resolve) => client.once('end', resolve));
        // killed between two queries: the client emits 'error' with no query to hand it to
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        await ended;
        await client.query('SELECT 1');
      }), (e: unknown) => e instanceof VitrineError && e.code === 'VITRINE_STORE_UNAVAILABLE');
      assert.equal(await store.getUser('never-committed'), null);
      await store.ping();
    });

    it('every pooled connection busy past the connect timeout: VITRINE_STORE_BUSY, and work resumes once one is free', async () => {
      const small = await PostgresStore.open(url, { poolSize: 1, connectTimeoutMs: 100 });
      const held = await small.pool.connect();
      await assert.rejects(small.ping(), (e: unknown) => e instanceof VitrineError && e.code === 'VITRINE_STORE_BUSY');
      held.release();
      await small.ping();
      await small.close();
    });

    it('size cap: page records are refused first, events only at the cap itself', async () => {
      const size = (await store.pool.query<{ s: number }>('SELECT pg_database_size(current_database()) AS s')).rows[0].s;
      // the database now sits between the page records' share (90%) and the cap
      const capped = await PostgresStore.open(url, { maxSizeBytes: Math.ceil(size / 0.95), sizeRefreshMs: 0 });
      await assert.rejects(capped.putImpression({ pageId: 'p', userId: 'm', ts: T0, rows: [] }),
        (e: unknown) => e instanceof VitrineError && e.code === 'VITRINE_STORE_FULL');
      assert.deepEqual(await capped.appendEvents([ev('under-cap', 'm', 'd')]), { accepted: 1, duplicates: [] });
      await capped.close();
      const full = await PostgresStore.open(url, { maxSizeBytes: size - 1, sizeRefreshMs: 0 });
      await assert.rejects(full.appendEvents([ev('over-cap', 'm', 'd')]), (e: unknown) => e instanceof VitrineError && e.code === 'VITRINE_STORE_FULL');
      await full.close();
      assert.equal(await store.getImpression('p'), null);
      assert.deepEqual((await store.userEvents('m')).map((e) => e.id), ['under-cap']);
    });

    it('an unreachable server is VITRINE_STORE_UNAVAILABLE, for postgres: and postgresql: alike', async () => {
      for (const scheme of ['postgres', 'postgresql']) {
        await assert.rejects(openStore(`${scheme}://postgres@127.0.0.1:1/x`),
          (e: unknown) => e instanceof VitrineError && e.code === 'VITRINE_STORE_UNAVAILABLE');
      }
      await assert.rejects(openStore(databaseUrl(MISSING_DATABASE)), (e: unknown) => e instanceof VitrineError && e.code === 'VITRINE_STORE_UNAVAILABLE');
    });
  });
});

describe('serving on a PostgreSQL store', () => {
  it('page workers open the store again by URL: wanted on PostgreSQL, not on sqlite::memory:', () => {
    const warnings: string[] = [];
    const config = (url: string) => resolveConfig({ store: { url }, serving: { pageWorkers: 2 } });
    assert.equal(pageWorkersWanted(config('postgres://db.internal/vitrine'), { kind: 'postgres' } as Store, (m) => warnings.push(m)), true);
    assert.equal(pageWorkersWanted(config('sqlite::memory:'), { kind: 'sqlite' } as Store, (m) => warnings.push(m)), false);
    assert.equal(warnings.length, 1);
  });
});
