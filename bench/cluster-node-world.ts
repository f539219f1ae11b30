/**
 * The two servers `bench:cluster`'s first section compares, on one generated world: the embedded
 * server (`vitrine serve`, SQLite, in-process member state) and one node (`vitrine serve --store
 * postgres://… --state redis://…`) on a throwaway PostgreSQL database and a private redis-server. The
 * world is written once (`vitrine generate`), then imported and trained by the CLI into each store
 * exactly as an operator would. Both servers run at once (an idle one costs next to nothing), so the
 * loads can alternate between them and a change in the machine's load hits both alike.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PrivateRedis } from '../test/helpers/private-redis.ts';
import { type ServerProcess, startServer } from '../test/helpers/server-process.ts';

const BIN = fileURLToPath(new URL('../bin/vitrine.js', import.meta.url));
// loading models and opening the store took minutes on a machine at load 40 (serve.bench.ts)
const START_TIMEOUT_MS = 600_000;

export interface NodeWorldOptions {
  users: number;
  items: number;
  days: number;
  seed: number;
  /** what `vitrine train --algorithms` trains on both sides */
  algorithms: string[];
  /** a database on the PostgreSQL server with CREATE DATABASE rights */
  adminUrl: string;
  pageWorkers: number;
  /** a directory for `node --cpu-prof` profiles of both servers (absent: no profiling) */
  profileDir?: string;
}

export interface NodeWorld {
  memberIds: string[];
  itemIds: string[];
  embedded: ServerProcess;
  node: ServerProcess;
  databaseUrl: string;
  database: string;
  redis: PrivateRedis;
  /** seconds each set-up step took */
  setupSeconds: Record<string, number>;
  /** stops both servers (SIGTERM: profiles are written), Redis, and drops the database */
  stop(): Promise<void>;
}

export async function startNodeWorld(opts: NodeWorldOptions): Promise<NodeWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-cluster-node-'));
  const worldDir = join(dir, 'world');
  const embeddedDir = join(dir, 'embedded');
  const nodeDir = join(dir, 'node');
  for (const d of [embeddedDir, nodeDir]) mkdirSync(d);
  const database = `vitrine_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: opts.adminUrl, connectionTimeoutMillis: 5000 });
  const started: Array<{ stop(): Promise<unknown> }> = [];
  let created = false;
  const stop = async () => {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    if (created) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const setupSeconds: Record<string, number> = {};
    setupSeconds.generate = vitrine(['generate', '--users', String(opts.users), '--items', String(opts.items), '--days', String(opts.days),
      '--seed', String(opts.seed), '--impressions', '1', '--out', worldDir]);
    const memberIds = idsOf(join(worldDir, 'users.jsonl'));
    const itemIds = idsOf(join(worldDir, 'items.jsonl'));

    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    created = true;
    const url = new URL(opts.adminUrl);
    url.pathname = `/${database}`;
    const databaseUrl = url.toString();
    const redis = await PrivateRedis.start();
    started.push(redis);

    const algorithms = ['--algorithms', opts.algorithms.join(',')];
    setupSeconds.importSqlite = vitrine(['import', 'world', worldDir, '--data', embeddedDir]);
    setupSeconds.trainSqlite = vitrine(['train', '--data', embeddedDir, ...algorithms]);
    setupSeconds.importPostgres = vitrine(['import', 'world', worldDir, '--data', nodeDir, '--store', databaseUrl]);
    setupSeconds.trainPostgres = vitrine(['train', '--data', nodeDir, '--store', databaseUrl, ...algorithms]);
    rmSync(worldDir, { recursive: true, force: true }); // both stores have it all

    const serve = async (dataDir: string, name: string, extra: string[]) => {
      const nodeArgs = opts.profileDir ? ['--cpu-prof', '--cpu-prof-dir', join(opts.profileDir, name)] : [];
      const server = await startServer({ dataDir, nodeArgs, startTimeoutMs: START_TIMEOUT_MS, serveArgs: ['--page-workers', String(opts.pageWorkers), ...extra] });
      started.push(server);
      return server;
    };
    const embedded = await serve(embeddedDir, 'embedded', []);
    const node = await serve(nodeDir, 'node', ['--store', databaseUrl, '--state', redis.url]);
    return { memberIds, itemIds, embedded, node, databaseUrl, database, redis, setupSeconds, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Runs `vitrine ARGS` in the foreground; seconds taken. */
function vitrine(args: string[]): number {
  const began = performance.now();
  console.log(`$ vitrine ${args.join(' ')}`);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITRINE_')) env[k] = v;
  const result = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (result.status !== 0) throw new Error(`vitrine ${args[0]} failed (${result.status ?? result.signal})`);
  return Math.round((performance.now() - began) / 100) / 10;
}

function idsOf(jsonl: string): string[] {
  return readFileSync(jsonl, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => (JSON.parse(l) as { id: string }).id);
}
