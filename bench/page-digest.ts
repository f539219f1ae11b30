/**
 * Pages for a fixed world, clock, seed and request order, reduced to one digest: the check that a
 * restructuring of the read path changed no page (issue 22, "behaviour unchanged"). The world is
 * generated, imported and trained once with the CLI (cached under the OS temp dir with a pristine copy
 * of its store); every run serves from a fresh copy of that store, on the HTTP thread, with the app's
 * clock fixed and the row-order bandit seeded. Each member's page is asked for once, then a
 * recommendations list; what is hashed is each row's kind, title and items in order (page ids and
 * timestamps are left out: they are new on every run by design).
 *   node --import tsx bench/page-digest.ts [--members 300] [--users 3000] [--items 800] [--days 45]  [--seed 7] [--ann] [--dump FILE]
 * --dump: the hashed lines written to FILE too (to diff two runs).
 * --ann: for-you retrieves through the ANN index (serving.annMinItems 100; the default world is below 10,000 items).
 * Prints the digest and how many pages and items went into it; run it before and after a change.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { resolveConfig } from '../src/core/config.ts';
import { buildApp } from '../src/serving/app.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';

const BIN = fileURLToPath(new URL('../bin/vitrine.js', import.meta.url));
const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '300' }, users: { type: 'string', default: '3000' },
    items: { type: 'string', default: '800' }, days: { type: 'string', default: '45' }, seed: { type: 'string', default: '7' },
    ann: { type: 'boolean', default: false },
    dump: { type: 'string' },
  },
});
const key = `u${values.users}-i${values.items}-d${values.days}-s${values.seed}`;
const root = join(tmpdir(), 'vitrine-page-digest', key);
const pristine = join(root, 'pristine.db');
const modelsDir = join(root, 'data');

if (!existsSync(pristine)) {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(modelsDir, { recursive: true });
  const world = join(root, 'world');
  run(['generate', '--users', values.users, '--items', values.items, '--days', values.days, '--seed', values.seed, '--impressions', '2', '--out', world]);
  run(['import', 'world', world, '--data', modelsDir]);
  run(['train', '--data', modelsDir]);
  const db = new Database(join(modelsDir, 'vitrine.db'));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  copyFileSync(join(modelsDir, 'vitrine.db'), pristine);
}

// a fresh copy of the store beside the trained models (the registry names artifact paths under dataDir)
const runDir = mkdtempSync(join(tmpdir(), 'vitrine-page-digest-run-'));
const dbPath = join(runDir, 'vitrine.db');
copyFileSync(pristine, dbPath);
const store = new SqliteStore(dbPath);
const config = resolveConfig({ dataDir: modelsDir }, { serving: {
  // budgets far above any page's time: a row cut short by a busy machine would change the digest
  pageWorkers: 0, budgetMs: 10_000, rowBudgetMs: 10_000, ...(values.ann ? { annMinItems: 100 } : {}) } });
const members = memberIds(dbPath, Number(values.members));
// the world's last event + one hour: every page is composed "now" for the same now
const now = lastEventTs(dbPath) + 3_600_000;
let state = 0x9e3779b9;
const random = () => {
  // mulberry32: a fixed sequence for the row-order bandit
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const { app, context } = await buildApp({ config, store, logger: false, clock: () => now, random });
await app.ready();
// trending and occasion counts are seeded from the event log in the background: pages wait for it
await signalsSeeded(context.serving);

const hash = createHash('sha256');
const lines: string[] = [];
const add = (line: string) => {
  hash.update(line);
  if (values.dump) lines.push(line);
};
let pages = 0, items = 0;
for (const id of members) {
  const res = await app.inject({ method: 'GET', url: `/v1/users/${encodeURIComponent(id)}/page?rows=8&size=20` });
  if (res.statusCode !== 200) throw new Error(`page ${id}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  const page = res.json() as { rows: Array<{ kind: string; title?: string; items: Array<{ itemId: string }> }> };
  add(`${id}\n`);
  for (const row of page.rows) {
    add(`${row.kind}|${row.title ?? ''}|${row.items.map((i) => i.itemId).join(',')}\n`);
    items += row.items.length;
  }
  pages++;
  const list = await app.inject({ method: 'GET', url: `/v1/users/${encodeURIComponent(id)}/recommendations?n=10` });
  if (list.statusCode !== 200) throw new Error(`list ${id}: ${list.statusCode} ${list.body.slice(0, 200)}`);
  add(`list|${(list.json() as { items: Array<{ itemId: string }> }).items.map((i) => i.itemId).join(',')}\n`);
}
// events reach the pages: a click on a row's first item, then the page again (state, signals and bandit moved)
let clicked = 0;
for (const id of members.slice(0, 40)) {
  const first = await app.inject({ method: 'GET', url: `/v1/users/${encodeURIComponent(id)}/page?rows=8&size=20` });
  const page = first.json() as { pageId: string; rows: Array<{ rowId: string; items: Array<{ itemId: string }> }> };
  const row = page.rows.find((r) => r.items.length > 0);
  if (!row) continue;
  const event = { id: `digest-click-${++clicked}`, type: 'click', userId: id, itemId: row.items[0].itemId, ts: now, context: { pageId: page.pageId, rowId: row.rowId } };
  const ack = await app.inject({ method: 'POST', url: '/v1/events', payload: { events: [event] } });
  if (ack.statusCode !== 200) throw new Error(`event: ${ack.statusCode} ${ack.body.slice(0, 200)}`);
  const after = await app.inject({ method: 'GET', url: `/v1/users/${encodeURIComponent(id)}/page?rows=8&size=20` });
  add(`after-click ${id}\n`);
  for (const r of (after.json() as { rows: Array<{ kind: string; items: Array<{ itemId: string }> }> }).rows) add(`${r.kind}|${r.items.map((i) => i.itemId).join(',')}\n`);
}
await app.close();
if (values.dump) writeFileSync(values.dump, lines.join(''));
await store.close();
rmSync(runDir, { recursive: true, force: true });
console.log(`world ${key}${values.ann ? ', ANN on' : ''}, ${pages} pages (${items} items) + ${pages} lists + ${clicked} pages after a click, clock ${new Date(now).toISOString()}`);
console.log(`digest ${hash.digest('hex')}`);

/** The HTTP thread's seeding of engagement signals, found loosely so the script runs before and after a restructuring. */
async function signalsSeeded(serving: unknown): Promise<void> {
  type Engine = { signalsSeeded(): Promise<void> };
  const s = serving as { localReplica?(): { engine?: Engine } | undefined; signalsSeeded?(): Promise<void> };
  if (s.signalsSeeded) return s.signalsSeeded();
  const engine = s.localReplica?.()?.engine;
  if (!engine) throw new Error('no engine on the HTTP thread to wait for');
  await engine.signalsSeeded();
}

function run(args: string[]): void {
  console.log(`$ vitrine ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`vitrine ${args[0]} failed (${result.status ?? result.signal})`);
}

/** `n` members spread over the stored ones in id order, plus two cold-start ids. */
function memberIds(path: string, n: number): string[] {
  const db = new Database(path, { readonly: true });
  const ids = (db.prepare('SELECT id FROM users ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id);
  db.close();
  const step = Math.max(1, Math.floor(ids.length / n));
  return [...ids.filter((_, k) => k % step === 0).slice(0, n), 'digest-cold-a', 'digest-cold-b'];
}

function lastEventTs(path: string): number {
  const db = new Database(path, { readonly: true });
  const row = db.prepare('SELECT MAX(ts) AS ts FROM events').get() as { ts: number };
  db.close();
  return row.ts;
}
