/**
 * What `bench:cluster`'s single-node section reads around each load, beside the HTTP figures: the CPU
 * time of every process a page costs (the server; on the node also redis-server and the PostgreSQL
 * backends serving its database, which share the same 2 cores), Redis's command counts, PostgreSQL's
 * commits, and Redis's memory.
 */
import { readFile } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import type pg from 'pg';

/** CPU seconds (user + system) of each pid so far; a pid gone is left out. */
export async function cpuOf(pids: Iterable<number>): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const fields = stat.split(') ')[1]?.split(' ');
    if (fields) out.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
  }
  return out;
}

/**
 * CPU seconds spent between two readings, summed over the pids of the later one: a process started
 * meanwhile counts whole; one gone meanwhile (a pooled connection closed) is lost, an undercount.
 */
export function cpuSpent(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const [pid, s] of after) total += s - (before.get(pid) ?? 0);
  return total;
}

/** The PostgreSQL backends connected to `database` (the node's pools and its LISTEN connection). */
export async function backendPids(admin: pg.Client, database: string): Promise<number[]> {
  const rows = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
  return rows.rows.map((r) => r.pid);
}

/** Commits and rollbacks of `database` so far (pg_stat_database). */
export async function transactions(admin: pg.Client, database: string): Promise<number> {
  // the statistics collector publishes at most every 500 ms: a fresh snapshot, not the cached one
  await admin.query('SELECT pg_stat_clear_snapshot()');
  const rows = await admin.query<{ n: string }>('SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = $1', [database]);
  return Number(rows.rows[0]?.n ?? NaN);
}

/** Redis's calls by command so far (INFO commandstats), e.g. { hgetall: 12, evalsha: 3 }. */
export async function redisCalls(redis: Redis): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const m of (await redis.info('commandstats')).matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)) out.set(m[1], Number(m[2]));
  return out;
}

/** Calls per `per` between two readings, by command, the largest first. */
export function callsPer(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>, per: number): Record<string, number> {
  const rows = [...after].map(([cmd, n]) => [cmd, (n - (before.get(cmd) ?? 0)) / per] as const).filter(([, x]) => x > 0);
  return Object.fromEntries(rows.sort((a, b) => b[1] - a[1]).map(([cmd, x]) => [cmd, Math.round(x * 1000) / 1000]));
}

export async function redisPid(redis: Redis): Promise<number> {
  return Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);
}

export async function redisUsedMemory(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
}

/** Members with a state hash in Redis (their keys are `{m:<id>}`; SCAN, so the server is not blocked). */
export async function redisMembers(redis: Redis): Promise<number> {
  let n = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', '{m:*}', 'COUNT', 1000);
    cursor = next;
    for (const k of keys) if (k.endsWith('}')) n++;
  } while (cursor !== '0');
  return n;
}
