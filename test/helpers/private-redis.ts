/**
 * Private Redis servers for tests, never the machine's 6379: one `redis-server` on a free port with
 * no persistence, or a 3-node Redis Cluster made with `redis-cli --cluster create`. Without
 * redis-server on the PATH, `skip` holds the message to skip with — unless CI=true, where loading
 * this module fails (docs/development.md § Services).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { waitFor } from './wait-for.ts';

const run = promisify(execFile);

const found = await run('redis-server', ['--version']).then(() => true, () => false);
if (!found && process.env.CI === 'true') throw new Error('redis-server is not on the PATH and CI=true');

/** false when redis-server can be started; else why the tests skip. */
export const skip: false | string = found ? false : 'redis-server is not on the PATH (docs/development.md § Services): skipped';

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export class PrivateRedis {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number, private readonly dir: string, private readonly extra: readonly string[]) {}

  /** Starts a server on a free port (no RDB, no AOF) and waits until it answers. */
  static async start(extra: readonly string[] = []): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), mkdtempSync(join(tmpdir(), 'vitrine-redis-')), extra);
    await redis.launch();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** kill -9: whatever it held is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts again on the same port, empty. */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A plain client (for what a test inspects directly). */
  client(): Redis {
    return new Redis({ host: '127.0.0.1', port: this.port, lazyConnect: false, maxRetriesPerRequest: 1 });
  }

  private async launch(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--dir', this.dir, ...this.extra], { stdio: 'ignore' });
    await waitFor(async () => ping(this.port), `redis-server on port ${this.port}`, 10_000);
  }
}

/** Three masters, no replicas, every slot covered; `url` is the redis+cluster:// form. */
export class PrivateRedisCluster {
  private constructor(readonly nodes: PrivateRedis[]) {}

  static async start(size = 3): Promise<PrivateRedisCluster> {
    const nodes: PrivateRedis[] = [];
    for (let i = 0; i < size; i++) {
      nodes.push(await PrivateRedis.start(['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${i}.conf`, '--cluster-node-timeout', '2000']));
    }
    const cluster = new PrivateRedisCluster(nodes);
    await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes']);
    await waitFor(async () => (await Promise.all(nodes.map((n) => clusterOk(n.port)))).every(Boolean), 'cluster_state:ok on every node', 20_000);
    return cluster;
  }

  get url(): string {
    return `redis+cluster://${this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`;
  }

  /** Every node emptied (FLUSHALL): what a cluster that lost its data looks like to Vitrine. */
  async flushAll(): Promise<void> {
    await Promise.all(this.nodes.map(async (n) => {
      const c = n.client();
      try { await c.flushall(); } finally { c.disconnect(); }
    }));
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
  }
}

async function ping(port: number): Promise<boolean> {
  return run('redis-cli', ['-p', String(port), 'ping']).then(({ stdout }) => stdout.trim() === 'PONG', () => false);
}

async function clusterOk(port: number): Promise<boolean> {
  return run('redis-cli', ['-p', String(port), 'cluster', 'info']).then(({ stdout }) => stdout.includes('cluster_state:ok'), () => false);
}
