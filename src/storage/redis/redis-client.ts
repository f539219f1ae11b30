/**
 * Redis connections from a state URL: `redis://[user:pass@]host:port[/db]` (or `rediss://`) for one
 * server, `redis+cluster://[user:pass@]h1:p1,h2:p2,…` for a Redis Cluster (ioredis Cluster, seeded
 * from the nodes listed). Two connections per process: a page connection that fails fast (a short
 * command timeout, no offline queue, one retry) so a slow or absent Redis drops the page to the
 * fallback chain within its budget, and a write connection with a longer timeout for event scripts
 * and rebuilds (docs/scale-out.md § Member state in Redis).
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { VitrineError } from '../../core/errors.ts';

export type RedisConnection = Redis | Cluster;

export interface RedisClientOptions {
  /** page reads: a command not answered within this fails (the page falls back) */
  readTimeoutMs: number;
  /** event scripts and rebuilds */
  writeTimeoutMs: number;
  /** waiting for the first connection at start */
  connectTimeoutMs: number;
}

export interface RedisTarget {
  cluster: boolean;
  nodes: Array<{ host: string; port: number }>;
  username?: string;
  password?: string;
  db?: number;
  tls: boolean;
}

/** Parses a state URL; VITRINE_STATE_UNKNOWN_SCHEME for anything but the Redis forms. */
export function parseRedisUrl(raw: string): RedisTarget {
  const m = /^(redis|rediss|redis\+cluster):\/\/(?:([^@/]*)@)?([^/?#]+)(?:\/(\d+))?\/?$/i.exec(raw.trim());
  if (!m) {
    throw new VitrineError('VITRINE_STATE_UNKNOWN_SCHEME',
      `unknown state URL "${raw}": expected memory, redis://host:port or redis+cluster://h1:p1,h2:p2,…`);
  }
  const [, scheme, auth, hosts, db] = m;
  const cluster = scheme.toLowerCase() === 'redis+cluster';
  const nodes = hosts.split(',').map((hp) => {
    const at = hp.lastIndexOf(':');
    const host = at > 0 ? hp.slice(0, at) : hp;
    const port = at > 0 ? Number(hp.slice(at + 1)) : 6379;
    if (!host || !Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new VitrineError('VITRINE_STATE_UNKNOWN_SCHEME', `bad host:port "${hp}" in state URL "${raw}"`);
    }
    return { host: host.replace(/^\[|\]$/g, ''), port };
  });
  if (!cluster && nodes.length > 1) {
    throw new VitrineError('VITRINE_STATE_UNKNOWN_SCHEME', `"${raw}" names several servers: use redis+cluster://… for a cluster`);
  }
  const target: RedisTarget = { cluster, nodes, tls: scheme.toLowerCase() === 'rediss' };
  if (auth) {
    const colon = auth.indexOf(':');
    const user = decodeURIComponent(colon < 0 ? auth : auth.slice(0, colon));
    if (user) target.username = user;
    if (colon >= 0) target.password = decodeURIComponent(auth.slice(colon + 1));
  }
  if (db !== undefined) target.db = Number(db);
  return target;
}

/** One connection to the target with the given command timeout; resolves once it is ready. */
export async function connectRedis(target: RedisTarget, commandTimeoutMs: number, connectTimeoutMs: number): Promise<RedisConnection> {
  const base: RedisOptions = {
    lazyConnect: true,
    commandTimeout: commandTimeoutMs,
    connectTimeout: connectTimeoutMs,
    // fail at once while disconnected rather than queue: a page must fall back, an event must be marked for repair
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(50 * times, 1000),
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    ...(target.tls ? { tls: {} } : {}),
  };
  const client: RedisConnection = target.cluster
    ? new Cluster(target.nodes, { redisOptions: base, enableOfflineQueue: false, lazyConnect: true, clusterRetryStrategy: (times) => Math.min(100 * times, 1000) })
    : new Redis({ ...base, host: target.nodes[0].host, port: target.nodes[0].port, ...(target.db !== undefined ? { db: target.db } : {}) });
  // errors surface on the commands that fail; the client reconnects by itself
  client.on('error', () => undefined);
  try {
    await withTimeout(client.connect(), connectTimeoutMs);
    if (target.cluster) await waitClusterReady(client as Cluster, connectTimeoutMs);
  } catch (err) {
    client.disconnect();
    throw new VitrineError('VITRINE_STATE_UNAVAILABLE', `cannot reach Redis at ${describe(target)}: ${(err as Error).message}`, undefined, { cause: err });
  }
  return client;
}

export function describe(target: RedisTarget): string {
  return `${target.cluster ? 'cluster ' : ''}${target.nodes.map((n) => `${n.host}:${n.port}`).join(',')}`;
}

async function waitClusterReady(cluster: Cluster, timeoutMs: number): Promise<void> {
  if (cluster.status === 'ready') return;
  await withTimeout(new Promise<void>((resolve) => cluster.once('ready', () => resolve())), timeoutMs);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
