/**
 * bench/results/cluster-node.md: `bench:cluster`'s first section, one node on PostgreSQL + Redis
 * against the embedded server (cluster-node.ts), with the issue's targets.
 */
import type { CpuFigures, NodeComparison } from './cluster-node.ts';

export interface NodeRunInfo {
  date: string;
  cpus: number;
  cpu?: string;
  node: string;
  command: string;
  uptimeBefore: string;
  uptimeAfter: string;
}

export const NODE_TARGETS = { p99PlusMs: 5, throughputShare: 0.8, ingestEventsPerSecond: 20_000, redisBytesPerMember: 1600, rebuildP99Ms: 200 };

export function nodeMarkdown(info: NodeRunInfo, r: NodeComparison): string {
  const { embedded: e, node: n, options: o } = r;
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  const cpu = (c: CpuFigures) => `${c.msPerRequest.toFixed(3)} (server ${c.seconds.server.toFixed(1)} s${c.seconds.redis + c.seconds.postgres > 0 ? `, Redis ${c.seconds.redis.toFixed(1)} s, PostgreSQL ${c.seconds.postgres.toFixed(1)} s` : ''})`;
  const calls = (x: Record<string, number>) => Object.entries(x).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  const targets: string[] = [];
  const details: string[] = [];
  if (e.saturation && n.saturation) {
    const share = n.saturation.perSecond / Math.max(1, e.saturation.perSecond);
    targets.push(`| pages/s at saturation (closed loop, ${o.seconds} s) | ${e.saturation.perSecond} | ${n.saturation.perSecond} (${(100 * share).toFixed(0)}%) | node ≥ 80% of embedded | ${met(share >= NODE_TARGETS.throughputShare)} |`);
    details.push(`| CPU ms per page at saturation (all processes) | ${cpu(e.saturation.cpu)} | ${cpu(n.saturation.cpu)} |`,
      `| saturation p50 / p99, ms; non-2xx / errors | ${f(e.saturation.latencyMs.p50)} / ${f(e.saturation.latencyMs.p99)}; ${e.saturation.non2xx} / ${e.saturation.errors} | ${f(n.saturation.latencyMs.p50)} / ${f(n.saturation.latencyMs.p99)}; ${n.saturation.non2xx} / ${n.saturation.errors} |`,
      `| Redis calls per page at saturation (commands run inside scripts included) | – | ${calls(n.saturation.redisCallsPerPage)} |`,
      `| PostgreSQL transactions per page at saturation | – | ${n.saturation.pgTransactionsPerPage.toFixed(3)} |`,
      `| pages whose Redis read failed or passed its 50 ms timeout (served cold-start, named), saturation | – | ${n.saturation.stateReadFailures} of ${n.saturation.requests} |`);
  }
  if (e.rated && n.rated) {
    const rated = (x: NonNullable<typeof e.rated>) => `${x.perSecond}, ${f(x.latencyMs.p50)} / ${f(x.latencyMs.p90)} / ${f(x.latencyMs.p99)} / ${f(x.latencyMs.max)}; ${x.non2xx} / ${x.errors}; ${f(x.clientLoopDelayMs.p99)}`;
    targets.push(`| page p99 at ${o.rate} pages/s offered (open loop, from when due), ms | ${f(e.rated.latencyMs.p99)} | ${f(n.rated.latencyMs.p99)} | node ≤ embedded + ${NODE_TARGETS.p99PlusMs} | ${met(n.rated.latencyMs.p99 <= e.rated.latencyMs.p99 + NODE_TARGETS.p99PlusMs)} |`);
    details.push(`| CPU ms per page at ${o.rate}/s offered | ${cpu(e.rated.cpu)} | ${cpu(n.rated.cpu)} |`,
      `| at ${o.rate}/s offered: answered/s, p50 / p90 / p99 / max ms; non-2xx / errors; client loop delay p99 ms | ${rated(e.rated)} | ${rated(n.rated)} |`,
      `| pages whose Redis read failed or passed its timeout (served cold-start), at ${o.rate}/s offered | – | ${n.rated.stateReadFailures} of ${n.rated.requests} |`);
  }
  if (e.warmup && n.warmup) {
    details.push(`| warm-up (every member's first page, closed loop): pages/s, p99 ms, CPU ms per page | ${e.warmup.perSecond}, ${f(e.warmup.latencyMs.p99)}, ${e.warmup.cpu.msPerRequest.toFixed(3)} | ${n.warmup.perSecond}, ${f(n.warmup.latencyMs.p99)}, ${n.warmup.cpu.msPerRequest.toFixed(3)} (each a rebuild into Redis) |`);
  }
  if (e.ingest && n.ingest) {
    targets.push(`| durable ingest through HTTP, events/s (batches of ${o.batchSize}, ${o.ingestClients} connections, every one a 200) | ${e.ingest.eventsPerSecond} | ${n.ingest.eventsPerSecond} | node ≥ 20,000 | ${met(n.ingest.eventsPerSecond >= NODE_TARGETS.ingestEventsPerSecond)} |`);
    details.push(`| CPU ms per event, ingest | ${cpu(e.ingest.cpu)} | ${cpu(n.ingest.cpu)} |`,
      `| ingest: batch 200 p50 / p99 ms; Redis calls per batch | ${f(e.ingest.batchP50)} / ${f(e.ingest.batchP99)} | ${f(n.ingest.batchP50)} / ${f(n.ingest.batchP99)}; ${calls(n.ingest.redisCallsPerBatch)} |`);
  }
  if (r.redisBytes) {
    targets.push(`| Redis bytes per member (INFO used_memory growth / members in Redis after the warm-up) | – | ${r.redisBytes.bytesPerMember} B (${r.redisBytes.members} members) | ≤ 1,600 B at 100k members | ${met(r.redisBytes.bytesPerMember <= NODE_TARGETS.redisBytesPerMember)} (this world's members; 100k synthetic members with 27.8 events each: bench/results/redis-member-memory.md) |`);
  }
  const rb = r.rebuild;
  if (rb) {
    targets.push(`| first-touch rebuild p99 (after FLUSHALL, ${rb.asked} members once each at ${o.rebuildRate}/s, from when due), ms | – | ${f(rb.p99)} (p50 ${f(rb.p50)}, max ${f(rb.max)}) | ≤ 200, none without state | ${met(rb.p99 <= NODE_TARGETS.rebuildP99Ms && rb.coldStart === 0 && rb.failed === 0)} |`);
    details.push(`| first touch: pages served without the member's state (fallback named) / failed | – | ${rb.coldStart} / ${rb.failed} |`);
  }
  return `# One node on PostgreSQL + Redis against the embedded server (issue 23)

${info.date}, ${info.cpus} × ${info.cpu}, Node ${info.node}.
Machine load (\`uptime\`) before: \`${info.uptimeBefore}\`; after: \`${info.uptimeAfter}\` (the machine is shared: read
the figures as a comparison of the two sides under the same load, not as this machine's capacity).
Command: \`${info.command}\`

The same generated world (\`vitrine generate --users ${o.users} --items ${o.items} --days ${o.days} --seed ${o.seed} --impressions 1\`:
${r.world.members} members, ${r.world.items} items), imported and trained (\`--algorithms ${o.algorithms.join(',')}\`) by the CLI into
each store: the **embedded** server (\`vitrine serve\`, SQLite, in-process member state) and **one node**
(\`vitrine serve --store postgres://… --state redis://…\`, a throwaway database on the machine's PostgreSQL and a
private redis-server), both with \`--page-workers ${o.pageWorkers}\` and the shipped configuration otherwise. Both run at
once and each load alternates between them. Pages are \`GET /v1/users/:id/page?rows=8&size=20\` of every member in a
seeded random order; ${o.connections} keep-alive connections. CPU is that of every process a request costs: the server, and for
the node also redis-server and the PostgreSQL backends of its database (they share the same ${info.cpus} cores).

| measure | embedded | node | target | |
|---|---|---|---|---|
${targets.join('\n')}

| detail | embedded | node |
|---|---|---|
${details.join('\n')}

Set-up, seconds: ${Object.entries(r.setupSeconds).map(([k, v]) => `${k} ${v}`).join(', ')}.
`;
}
