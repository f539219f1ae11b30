/**
 * Freshness under load: a member's page is fetched, one of its items is rented (POST /v1/events →
 * 200), and the member's next page is fetched at once; the trial passes when that page no longer
 * shows the item (a held item is never shown). The time measured runs from sending the event to
 * receiving the page that reflects it. `parallel` trial loops run (each one trial after another, on its
 * own keep-alive connection; members are never shared) while the load generator keeps the server busy.
 * With `trialsPerSecond`, trial t starts no earlier than t / trialsPerSecond seconds after the first
 * (an arrival rate, as rents arrive in production); without it the loops run trials back to back, so
 * they measure how fast the server can compose pages for members it has not seen, not an event's delay.
 */
import http from 'node:http';
import { quantile } from './ingest-http-load.ts';

export interface FreshnessResult {
  trials: number;
  /** pages that still showed the rented item */
  stale: number;
  /** event sent → reflecting page received, ms */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** of which the event's 200, ms */
  eventP99Ms: number;
  /** trials started per second (paced), or absent when back to back */
  trialsPerSecond?: number;
}

interface PageJson { rows: Array<{ items: Array<{ itemId: string }> }> }

/** Runs `trials` rent-then-page trials over `members` (each member once), `parallel` at a time. */
export async function runFreshness(
  baseUrl: string, members: readonly string[], trials: number, pageQuery: string, parallel = 10, trialsPerSecond?: number,
): Promise<FreshnessResult> {
  const total: number[] = [];
  const eventMs: number[] = [];
  let stale = 0;
  let next = 0;
  const count = Math.min(trials, members.length);
  const began = performance.now();
  const loop = async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      while (next < count) {
        const t = next++;
        const startAt = trialsPerSecond ? began + (t * 1000) / trialsPerSecond : 0;
        // pacing only: the trial's own timing starts after this wait
        if (startAt > performance.now()) await new Promise((resolve) => setTimeout(resolve, startAt - performance.now()));
        const userId = members[t];
        const path = `/v1/users/${encodeURIComponent(userId)}/page?${pageQuery}`;
        const before = JSON.parse((await request(agent, baseUrl, 'GET', path)).body) as PageJson;
        const itemId = before.rows.flatMap((r) => r.items)[0]?.itemId;
        if (!itemId) continue;
        const sent = performance.now();
        const event = JSON.stringify({ events: [{ id: `fresh-${process.pid}-${Date.now()}-${t}`, type: 'rent', userId, itemId }] });
        const ack = await request(agent, baseUrl, 'POST', '/v1/events', event);
        if (ack.status !== 200) throw new Error(`event: ${ack.status} ${ack.body.slice(0, 200)}`);
        eventMs.push(performance.now() - sent);
        const after = JSON.parse((await request(agent, baseUrl, 'GET', path)).body) as PageJson;
        total.push(performance.now() - sent);
        if (after.rows.some((r) => r.items.some((i) => i.itemId === itemId))) stale++;
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: parallel }, loop));
  const sorted = total.sort((a, b) => a - b);
  return {
    trials: sorted.length, stale,
    p50Ms: round(quantile(sorted, 0.5)), p99Ms: round(quantile(sorted, 0.99)), maxMs: round(sorted.at(-1) ?? NaN),
    eventP99Ms: round(quantile(eventMs.sort((a, b) => a - b), 0.99)),
    ...(trialsPerSecond ? { trialsPerSecond } : {}),
  };
}

const round = (x: number): number => Math.round(x * 10) / 10;

function request(agent: http.Agent, baseUrl: string, method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, baseUrl), {
      method, agent, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {},
    }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
