/**
 * How fast one node's writes reach another (ADR 0024; targets: an item in every node's pages within
 * 1 s, a newly activated version or a rollback served by every node within 10 s). Starts
 * `npm run cluster:local`'s cluster of 2 real `vitrine serve` processes on a throwaway database (polls
 * --poll-ms apart, so what arrives sooner came by LISTEN/NOTIFY), trains two versions from this
 * process as `vitrine train` would, then:
 * - item probes: PUT a new item through node A, then ask node B for a member's page every 2 ms until
 *   the item is in it (timed from the PUT's 200);
 * - model probes: activate the other item-knn version through node A, then ask node B's /v1/models
 *   every 2 ms until it serves it (timed from the activate's 200).
 * Writes bench/results/cluster-propagation.json and .md.
 *   npm run bench:cluster-propagation -- [--items 200] [--models 10] [--poll-ms 5000]
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startLocalCluster } from '../src/cli/cluster/local-cluster.ts';
import type { VitrineEvent } from '../src/core/types.ts';
import { trainModels } from '../src/pipeline/model-training.ts';
import { PostgresStore } from '../src/storage/postgres/postgres-store.ts';
import { quantile } from './ingest-http-load.ts';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '200' }, models: { type: 'string', default: '10' }, 'poll-ms': { type: 'string', default: '5000' },
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
const itemProbes = Number(values.items);
const modelProbes = Number(values.models);
const pollMs = Number(values['poll-ms']);
const command = `npm run bench:cluster-propagation -- --items ${itemProbes} --models ${modelProbes} --poll-ms ${pollMs}`;
const loadBefore = loadavg();

const cluster = await startLocalCluster({ nodes: 2, adminUrl: values.url, changePollMs: pollMs });
const [nodeA, nodeB] = cluster.nodeUrls;
const json = (url: string, init?: RequestInit) => fetch(url, init).then(async (r) => {
  if (!r.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${r.status} ${await r.text()}`);
  return r.json() as Promise<unknown>;
});
const send = (url: string, method: string, body: unknown) => json(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const pause = () => new Promise((resolve) => setTimeout(resolve, 2));

/** ms from now until `seen()` holds, asking every 2 ms. */
async function until(seen: () => Promise<boolean>, what: string): Promise<number> {
  const start = performance.now();
  while (!(await seen())) {
    if (performance.now() - start > 30_000) throw new Error(`gave up after 30 s waiting for ${what}`);
    await pause();
  }
  return performance.now() - start;
}

try {
  // a small world, written and trained from here as another machine would
  const trainer = await PostgresStore.open(cluster.databaseUrl, { poolSize: 2 });
  const now = Date.now();
  await trainer.upsertItems(Array.from({ length: 40 }, (_, k) => ({ id: `look-${k}`, title: `Look ${k}`, category: 'dress', sizes: { 8: 3 } })), now - 30 * 86_400_000);
  await trainer.upsertUser('ann', { sizes: ['8'] }, now);
  const events: VitrineEvent[] = [];
  for (let m = 0; m < 30; m++) for (let k = 0; k < 8; k++) events.push({ id: `r${m}-${k}`, type: 'rent', userId: `m${m}`, itemId: `look-${(m + k) % 40}`, ts: now - 86_400_000 });
  await trainer.appendEvents(events);
  for (let k = 0; k < 2; k++) await trainModels(trainer, join(cluster.dir, 'trainer'), { algorithms: ['item-knn', 'popularity'], gate: false });
  const itemKnn = async (node: string) => ((await json(`${node}/v1/models`)) as { serving: Record<string, { current?: string; previous?: string }> }).serving['item-knn'] ?? {};
  const trained = await until(async () => (await itemKnn(nodeB)).previous !== undefined, 'node B serving the trained versions');
  await trainer.close();

  const itemMs: number[] = [];
  for (let k = 0; k < itemProbes; k++) {
    const id = `fresh-${k}`;
    await send(`${nodeA}/v1/items/${id}`, 'PUT', { title: `Fresh ${k}`, category: 'dress', sizes: { 8: 1 } });
    itemMs.push(await until(async () => JSON.stringify(await json(`${nodeB}/v1/users/ann/page?rows=9&size=20`)).includes(`"${id}"`), `${id} in B's page`));
  }
  const modelMs: number[] = [];
  for (let k = 0; k < modelProbes; k++) {
    const { previous } = await itemKnn(nodeA);
    await send(`${nodeA}/v1/models/${previous}/activate`, 'POST', {});
    modelMs.push(await until(async () => (await itemKnn(nodeB)).current === previous, `B serving ${previous}`));
  }

  const stats = (xs: number[]) => {
    const sorted = [...xs].sort((x, y) => x - y);
    return { n: xs.length, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1] };
  };
  const result = {
    date: new Date().toISOString(), cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, command, pollMs,
    loadBefore, loadAfter: loadavg(), trainedToServedMs: trained, item: stats(itemMs), model: stats(modelMs),
  };
  await writeFile(join(RESULTS, 'cluster-propagation.json'), `${JSON.stringify(result, null, 2)}\n`);
  const f = (x: number) => x.toFixed(1);
  const md = `# Change propagation between nodes — one node's write in another node's answers

${result.date}, ${result.cpus} × ${result.cpu}, Node ${result.node}; 1-minute load average ${loadBefore[0].toFixed(2)} before, ${result.loadAfter[0].toFixed(2)} after (the machine is shared).
Command: \`${command}\`

Two real \`vitrine serve\` processes (\`npm run cluster:local\`'s set-up) on one throwaway PostgreSQL database, polling
${pollMs} ms apart: what arrives sooner came by LISTEN/NOTIFY (ADR 0024). Times run from the writing request's 200 on
node A to the first answer of node B that shows it (asked every 2 ms).

| probe | n | p50 ms | p99 ms | max ms | target |
|---|---|---|---|---|---|
| item PUT through A → in B's page | ${result.item.n} | ${f(result.item.p50)} | ${f(result.item.p99)} | ${f(result.item.max)} | ≤ 1,000 |
| version activated through A → served by B | ${result.model.n} | ${f(result.model.p50)} | ${f(result.model.p99)} | ${f(result.model.max)} | ≤ 10,000 |

Two versions trained by this process (as \`vitrine train --store postgres://…\` on another machine): node B served
them ${f(trained)} ms after the second run returned (artifacts fetched from PostgreSQL into its empty data directory).
`;
  await writeFile(join(RESULTS, 'cluster-propagation.md'), md);
  console.log(md);
} finally {
  await cluster.stop();
}
