/**
 * A 200 from POST /v1/events means the accepted events survive `kill -9` (API.md § Events).
 * The real server runs as a child process; a second process streams 20,000 events at it and reports
 * every acknowledged batch; the server is SIGKILLed mid-stream (after a seeded number of acks),
 * restarted on the same data dir, and every acknowledged event must be there exactly once.
 * Re-sending the rest must then complete the set without storing anything twice.
 * VITRINE_CRASH_SEED=<n> replays another kill point.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { seededUniform } from '../src/ml/common/rng.ts';
import { startServer, type ServerProcess } from './helpers/server-process.ts';
import { expectedUserStats, type SyntheticEventOptions, syntheticEvents } from './helpers/synthetic-events.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLIENT = fileURLToPath(new URL('./helpers/crash-client.ts', import.meta.url));
const SEED = Number(process.env.VITRINE_CRASH_SEED ?? 20261128);
const TOTAL = 20_000;
const BATCH = 100;
// the kill lands after 8,000–12,000 acknowledged events, chosen by the seed
const KILL_AFTER = 8000 + Math.floor(seededUniform(SEED)() * 4001);
const STREAM: SyntheticEventOptions = {
  runId: `crash${SEED}`, count: TOTAL, users: 300, items: 500, seed: SEED, startTs: Date.UTC(2026, 0, 1),
};

describe(`durability: kill -9 mid-stream (seed ${SEED}, kill after ${KILL_AFTER} acks)`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-crash-'));
  const events = syntheticEvents(STREAM);
  const acked = new Set<string>();
  const servers: ServerProcess[] = [];
  let client: ChildProcess | undefined;
  let readOnly: Database.Database | undefined;
  let storedAfterCrash = 0;

  after(async () => {
    readOnly?.close();
    client?.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.kill9()));
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (server: ServerProcess, batch: readonly object[]) => {
    const res = await fetch(`${server.url}/v1/events`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events: batch }),
    });
    assert.equal(res.status, 200);
    return await res.json() as { accepted: number; duplicates: number; rejected: unknown[] };
  };

  it('a client in another process streams events until the server is SIGKILLed', async (t) => {
    const first = await startServer({ dataDir: dir });
    servers.push(first);
    client = spawn(process.execPath, ['--import', 'tsx', CLIENT, '--url', first.url, '--run', STREAM.runId,
      '--count', String(TOTAL), '--users', String(STREAM.users), '--items', String(STREAM.items), '--seed', String(SEED),
      '--start-ts', String(STREAM.startTs), '--batch', String(BATCH), '--inflight', '4'],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    let killed: Promise<number | string> | undefined;
    let done: { sent: number; failures: number } | undefined;
    const lines = createInterface({ input: client.stdout! });
    // both set up before any output: the pipe may close before or after the process exits
    const finished = Promise.all([once(client, 'exit'), once(lines, 'close')]);
    lines.on('line', (line) => {
      const msg = JSON.parse(line) as { acked?: string[]; done?: boolean; sent: number; failures: number };
      if (msg.done) done = msg;
      for (const id of msg.acked ?? []) acked.add(id);
      // kill on the condition, not after a guessed delay
      if (!killed && acked.size >= KILL_AFTER) killed = first.kill9();
    });
    const [[code]] = await finished;
    assert.equal(code, 0, 'the client exits cleanly after the server dies');
    assert.ok(killed, `the kill point was reached (${acked.size} acks)`);
    assert.equal(await killed, 'SIGKILL');
    assert.ok(done && done.failures > 0, 'the client saw the server die');
    assert.ok(acked.size >= KILL_AFTER && acked.size < TOTAL, `killed mid-stream: ${acked.size} of ${TOTAL} acknowledged`);
    t.diagnostic(`${acked.size} events acknowledged before the kill (${done.sent} sent)`);
  });

  it('after a restart on the same data dir every acknowledged event is stored exactly once', async (t) => {
    servers.push(await startServer({ dataDir: dir }));
    readOnly = new Database(join(dir, 'vitrine.db'), { readonly: true, fileMustExist: true });
    const stored = readOnly.prepare('SELECT id FROM events').pluck().all() as string[];
    const storedSet = new Set(stored);
    assert.equal(storedSet.size, stored.length, 'no event id is stored twice');
    const missing = [...acked].filter((id) => !storedSet.has(id));
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} acknowledged events were lost`);
    const known = new Set(events.map((e) => e.id));
    assert.ok(stored.every((id) => known.has(id)), 'nothing but our events is stored');
    // at most the batches in flight at the kill (4 × 100) may be stored without an ack
    assert.ok(stored.length - acked.size <= 4 * BATCH, `${stored.length - acked.size} stored events were never acknowledged`);
    storedAfterCrash = stored.length;
    t.diagnostic(`${stored.length} stored after the crash, ${stored.length - acked.size} of them never acknowledged`);
  });

  it('re-sending the unacknowledged rest completes exactly 20,000 events; stored ones count as duplicates', async () => {
    const server = servers[1];
    const rest = events.filter((e) => !acked.has(e.id));
    let accepted = 0;
    let duplicates = 0;
    for (let i = 0; i < rest.length; i += BATCH) {
      const body = await post(server, rest.slice(i, i + BATCH));
      assert.deepEqual(body.rejected, []);
      accepted += body.accepted;
      duplicates += body.duplicates;
    }
    assert.equal(duplicates, storedAfterCrash - acked.size, 'events committed before the kill but never acknowledged');
    assert.equal(accepted, TOTAL - storedAfterCrash);
    const again = await post(server, events.slice(0, BATCH));
    assert.deepEqual(again, { accepted: 0, duplicates: BATCH, rejected: [] });
    const counts = readOnly!.prepare('SELECT count(*) AS n, count(DISTINCT id) AS distinctIds FROM events').get();
    assert.deepEqual(counts, { n: TOTAL, distinctIds: TOTAL });
  });

  it('every member\'s stats (events, rents, hearts, last event) match the stream', async () => {
    const expected = expectedUserStats(events);
    assert.ok(expected.size > 200, 'the stream spreads over many members');
    await Promise.all([...expected].map(async ([userId, want]) => {
      const res = await fetch(`${servers[1].url}/v1/users/${userId}`);
      assert.equal(res.status, 200);
      assert.deepEqual((await res.json() as { stats: unknown }).stats, want, `stats of ${userId}`);
    }));
  });
});
