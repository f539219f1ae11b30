/**
 * `npm run cluster:local -- --nodes 3`: a whole cluster on this machine, for trying the scale-out
 * set-up and for tests — a throwaway PostgreSQL database, a private redis-server, N `vitrine serve`
 * nodes on free ports against them, and HAProxy in front with the documented configuration
 * (haproxy-config.ts). stop() ends every process it started (by pid) and drops the database.
 * Every node keeps its members' online state in that Redis (`--state`, ADR 0022), so any node serves
 * any member and HAProxy's hashing is for cache locality only. Tests and benchmarks kill -9 a node and
 * start it again on the same port (killNode, restartNode), and restart Redis empty (restartRedisEmpty).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { VITRINE_ENTRY } from '../vitrine-entry.ts';
import { haproxyConfig } from './haproxy-config.ts';

const HOST = '127.0.0.1';

export interface LocalClusterOptions {
  nodes: number;
  /** a database on the server the throwaway one is created from (CREATE DATABASE rights) */
  adminUrl: string;
  /** HAProxy's port (0: any free one) */
  port?: number;
  haproxyBin?: string;
  redisBin?: string;
  /** each node's store.changePollMs */
  changePollMs?: number;
  /** more TOML for every node's vitrine.toml (e.g. a `[serving]` table); no `[store]` table when changePollMs is set */
  nodeConfig?: string;
  log?: (line: string) => void;
}

export interface LocalCluster {
  /** HAProxy: the URL clients use */
  url: string;
  nodeUrls: string[];
  statsUrl: string;
  databaseUrl: string;
  redisUrl: string;
  dir: string;
  /** the node processes, in order; a restarted node's new process replaces its entry */
  nodes: ChildProcess[];
  /** kill -9 node k (0-based); resolves once it has exited */
  killNode(k: number): Promise<void>;
  /** starts node k again on its port and data directory; resolves once its /readyz answers 200 */
  restartNode(k: number): Promise<void>;
  /** kill -9 the Redis server, then starts it again empty on the same port; resolves once it listens */
  restartRedisEmpty(): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalCluster(opts: LocalClusterOptions): Promise<LocalCluster> {
  const log = opts.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-cluster-'));
  const children: ChildProcess[] = [];
  const nodes: ChildProcess[] = [];
  const database = `vitrine_cluster_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: opts.adminUrl, connectionTimeoutMillis: 5000 });
  let created = false;
  const stop = async () => {
    // the nodes first (they hold connections), then HAProxy and Redis; each by its own pid
    for (const child of [...children].sort((x, y) => Number(nodes.includes(y)) - Number(nodes.includes(x)))) await stopChild(child);
    if (created) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch((e: Error) => log(`could not drop ${database}: ${e.message}`));
    await admin.end().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    created = true;
    const dbUrl = new URL(opts.adminUrl);
    dbUrl.pathname = `/${database}`;
    const databaseUrl = dbUrl.toString();

    const redisPort = await freePort();
    const startRedis = async (): Promise<ChildProcess> => {
      const child = spawn(opts.redisBin ?? 'redis-server', ['--bind', HOST, '--port', String(redisPort), '--save', '', '--appendonly', 'no', '--dir', dir],
        { stdio: ['ignore', 'ignore', 'inherit'] });
      children.push(child);
      await waitListening(redisPort, child); // a node opens its state at start-up
      return child;
    };
    let redis = await startRedis();
    const redisUrl = `redis://${HOST}:${redisPort}`;

    const nodePorts: number[] = [];
    const nodeUrls: string[] = [];
    const startNode = async (k: number): Promise<ChildProcess> => {
      const dataDir = join(dir, `node${k + 1}`);
      mkdirSync(dataDir, { recursive: true });
      const env: NodeJS.ProcessEnv = {};
      for (const [key, v] of Object.entries(process.env)) if (!key.startsWith('VITRINE_')) env[key] = v;
      if (opts.changePollMs !== undefined || opts.nodeConfig) env.VITRINE_CONFIG = writeConfig(dataDir, opts.changePollMs, opts.nodeConfig);
      const port = nodePorts[k];
      const child = spawn(process.execPath, [VITRINE_ENTRY, 'serve', '--host', HOST, '--port', String(port), '--data', dataDir, '--store', databaseUrl, '--state', redisUrl],
        { cwd: dataDir, env, stdio: ['ignore', 'ignore', 'inherit'] });
      children.push(child);
      await waitReady(`http://${HOST}:${port}/readyz`, child);
      log(`node${k + 1} ready at http://${HOST}:${port}`);
      return child;
    };
    // one node first: it applies the migrations; the others then find the schema current
    for (let k = 0; k < opts.nodes; k++) {
      nodePorts.push(await freePort());
      nodeUrls.push(`http://${HOST}:${nodePorts[k]}`);
      nodes.push(await startNode(k));
    }
    const killNode = async (k: number) => {
      await kill9(nodes[k]);
      forget(children, nodes[k]);
    };
    const restartNode = async (k: number) => {
      await killNode(k);
      nodes[k] = await startNode(k);
    };
    const restartRedisEmpty = async () => {
      await kill9(redis);
      forget(children, redis);
      redis = await startRedis();
    };

    const port = opts.port || await freePort();
    const statsPort = await freePort();
    const configFile = join(dir, 'haproxy.cfg');
    writeFileSync(configFile, haproxyConfig({
      bind: { host: HOST, port }, stats: { host: HOST, port: statsPort },
      nodes: nodePorts.map((p, k) => ({ name: `node${k + 1}`, host: HOST, port: p })),
    }));
    const haproxy = spawn(opts.haproxyBin ?? '/usr/sbin/haproxy', ['-f', configFile, '-db'], { stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(haproxy);
    const url = `http://${HOST}:${port}`;
    await waitReady(`${url}/readyz`, haproxy);
    return { url, nodeUrls, statsUrl: `http://${HOST}:${statsPort}/`, databaseUrl, redisUrl, dir, nodes, killNode, restartNode, restartRedisEmpty, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function writeConfig(dataDir: string, changePollMs: number | undefined, extra = ''): string {
  const file = join(dataDir, 'vitrine.toml');
  writeFileSync(file, `${changePollMs === undefined ? '' : `[store]\nchangePollMs = ${changePollMs}\n`}${extra}\n`);
  return file;
}

/** SIGKILL (the crash: no handler runs); resolves once the process has exited. */
async function kill9(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** Drops an exited process from the list stop() ends. */
function forget(children: ChildProcess[], child: ChildProcess): void {
  const at = children.indexOf(child);
  if (at >= 0) children.splice(at, 1);
}

/** Polls `url` until it answers 200; fails at once if the process exits first. */
async function waitReady(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${child.spawnfile} exited (${child.exitCode ?? child.signalCode}) before ${url} answered`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then((r) => r.status === 200, () => false);
    if (ok) return;
    if (performance.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls until something accepts connections on `port`; fails at once if the process exits first. */
async function waitListening(port: number, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${child.spawnfile} exited (${child.exitCode ?? child.signalCode}) before port ${port} listened`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, HOST, () => { socket.destroy(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (performance.now() > deadline) throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** A port free on 127.0.0.1 right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, HOST);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}
