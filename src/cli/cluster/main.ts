/**
 * `npm run cluster:local -- [--nodes 3] [--port 0]`: starts local-cluster.ts, prints the URLs, and on
 * Ctrl-C (or SIGTERM) stops every process it started and drops the database. The PostgreSQL server is
 * VITRINE_CLUSTER_PG (default postgres://postgres@127.0.0.1:5432/postgres, the dev machine's).
 */
import { parseArgs } from 'node:util';
import { startLocalCluster } from './local-cluster.ts';

const { values } = parseArgs({ options: { nodes: { type: 'string', default: '3' }, port: { type: 'string', default: '0' } } });
const nodes = Number(values.nodes);
const port = Number(values.port);
if (!Number.isInteger(nodes) || nodes < 1 || nodes > 32 || !Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('usage: npm run cluster:local -- [--nodes N (1–32)] [--port P]');
  process.exit(2);
}
const cluster = await startLocalCluster({
  nodes, port, adminUrl: process.env.VITRINE_CLUSTER_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres', log: (l) => console.log(l),
});
console.log(`
Vitrine cluster: ${nodes} node(s) behind HAProxy
  API (HAProxy)  ${cluster.url}
  HAProxy stats  ${cluster.statsUrl}
  nodes          ${cluster.nodeUrls.join('  ')}
  PostgreSQL     ${cluster.databaseUrl}
  Redis          ${cluster.redisUrl} (the nodes' member state)
  files          ${cluster.dir} (haproxy.cfg, node data directories)
Load a world:  npm run vitrine -- import world DIR --store ${cluster.databaseUrl}
Train:         npm run vitrine -- train --data ${cluster.dir}/trainer --store ${cluster.databaseUrl}
Ctrl-C stops everything and drops the database.`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('stopping the cluster…');
  await cluster.stop();
  console.log('stopped; database dropped');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
