/**
 * Cross-node freshness (issue 23): a `rent` acknowledged by node A (its own port), then a page for that
 * member from node B (its own port) must not show the item. Each probe first asks B for the member's
 * page and rents an item on it, so the item's absence afterwards is the rent's doing. Node pairs
 * rotate over the cluster; members rotate over `members`.
 */
import type { LoadMember } from './cluster-world.ts';

export interface FreshnessResult {
  probes: number;
  /** probes whose page from B still showed the rented item */
  present: string[];
  /** probes whose page from B was served without the member's state (fallback cold-start) */
  coldStart: number;
  /** probes skipped because B's first page was empty */
  skipped: number;
  /** from the rent's 200 on A to B's page received, ms */
  ackToPageMs: number[];
}

interface PageBody {
  fallbacks?: Array<{ kind?: string }>;
  rows?: Array<{ items?: Array<{ itemId: string }> }>;
}

async function pageFrom(node: string, member: string): Promise<{ items: string[]; coldStart: boolean }> {
  const res = await fetch(`${node}/v1/users/${member}/page?rows=6&size=10`);
  const body = await res.json() as PageBody;
  if (res.status !== 200) throw new Error(`page of ${member} from ${node}: ${res.status} ${JSON.stringify(body)}`);
  return {
    items: (body.rows ?? []).flatMap((r) => (r.items ?? []).map((i) => i.itemId)),
    coldStart: (body.fallbacks ?? []).some((f) => f.kind === 'member-state'),
  };
}

export async function freshnessProbes(nodeUrls: readonly string[], members: readonly LoadMember[], count: number, runId: string): Promise<FreshnessResult> {
  if (nodeUrls.length < 2) throw new Error('freshness probes need two nodes');
  const out: FreshnessResult = { probes: 0, present: [], coldStart: 0, skipped: 0, ackToPageMs: [] };
  for (let k = 0; k < count; k++) {
    const member = members[k % members.length];
    const a = nodeUrls[k % nodeUrls.length];
    const b = nodeUrls[(k + 1) % nodeUrls.length];
    const before = await pageFrom(b, member.id);
    const item = before.items[k % Math.max(1, before.items.length)];
    if (item === undefined) {
      out.skipped++;
      continue;
    }
    const res = await fetch(`${a}/v1/events`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events: [{ id: `probe-${runId}-${k}`, type: 'rent', userId: member.id, itemId: item, size: member.sizes[0], ts: Date.now() }] }),
    });
    const ack = await res.json() as { accepted?: number };
    if (res.status !== 200 || ack.accepted !== 1) throw new Error(`probe ${k}: the rent through ${a} answered ${res.status} ${JSON.stringify(ack)}`);
    const acked = performance.now();
    const after = await pageFrom(b, member.id);
    out.ackToPageMs.push(performance.now() - acked);
    out.probes++;
    if (after.coldStart) out.coldStart++;
    if (after.items.includes(item)) out.present.push(`probe ${k}: ${member.id} rented ${item} through ${a}; ${b}'s next page shows it`);
  }
  return out;
}
