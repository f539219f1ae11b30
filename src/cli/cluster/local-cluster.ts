/**
 * `npm run cluster:local -- --nodes 3`: a whole cluster on this machine, for trying the scale-out
 * set-up and for tests — a throwaway PostgreSQL database, a private redis-server, N `vitrine serve`
 * nodes on free ports against them, and HAProxy in front with the documented configuration
 * (haproxy-config.ts). stop() ends every process it started (by pid) and drops the database.
 * Every node keeps its members' online state in that Redis (`--state`, ADR 0022), so any node serves
 * any member and HAProxy's hashing is for cache locality only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { haproxyConfig } from './haproxy-config.ts';

const BIN = fileURLToPath(new URL('../../../bin/vitrine.js', import.meta.url));
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
  /** the node processes, in order (tests kill and restart them) */
  nodes: ChildProcess[];
  stop(): Promise<void>;
}

export async function startLocalCluster(opts: LocalClusterOptions): Promise<LocalCluster> {
  const log = opts.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-cluster-'));
  const children: ChildProcess[] = [];
  const database = `vitrine_cluster_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: opts.adminUrl, connectionTimeoutMillis: 5000 });
  let created = false;
  const stop = async () => {
    // the nodes first (they hold connections), then HAProxy and Redis; each by its own pid
    for (const child of [...children].reverse()) await stopChild(child);
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
    const redis = spawn(opts.redisBin ?? 'redis-server', ['--bind', HOST, '--port', String(redisPort), '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(redis);
    const redisUrl = `redis://${HOST}:${redisPort}`;
    await waitListening(redisPort, redis); // a node opens its state at start-up

    const nodePorts: number[] = [];
    const nodeUrls: string[] = [];
    // one node first: it applies the migrations; the others then find the schema current
    for (let k = 0; k < opts.nodes; k++) {
      const port = await freePort();
      const dataDir = join(dir, `node${k + 1}`);
      mkdirSync(dataDir);
      const env: NodeJS.ProcessEnv = {};
      for (const [key, v] of Object.entries(process.env)) if (!key.startsWith('VITRINE_')) env[key] = v;
      if (opts.changePollMs !== undefined) env.VITRINE_CONFIG = writeConfig(dataDir, opts.changePollMs);
      const child = spawn(process.execPath, [BIN, 'serve', '--host', HOST, '--port', String(port), '--data', dataDir, '--store', databaseUrl, '--state', redisUrl],
        { cwd: dataDir, env, stdio: ['ignore', 'ignore', 'inherit'] });
      children.push(child);
      const url = `http://${HOST}:${port}`;
      await waitReady(`${url}/readyz`, child);
      log(`node${k + 1} ready at ${url}`);
      nodePorts.push(port);
      nodeUrls.push(url);
    }

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
    return { url, nodeUrls, statsUrl: `http://${HOST}:${statsPort}/`, databaseUrl, redisUrl, dir, nodes: children.slice(1, 1 + opts.nodes), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function writeConfig(dataDir: string, changePollMs: number): string {
  const file = join(dataDir, 'vitrine.toml');
  writeFileSync(file, `[store]\nchangePollMs = ${changePollMs}\n`);
  return file;
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
