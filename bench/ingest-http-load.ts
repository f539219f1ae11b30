/**
 * The client half of the ingest benchmark: N concurrent clients, each on its own keep-alive
 * connection, POST pre-serialised batches to /v1/events; every batch must come back 200 with all its
 * events accepted. Bodies are serialised before the clock starts so the clients spend as little of
 * the machine's CPU as possible (they share it with the server).
 */
import http from 'node:http';

export interface HttpLoadResult {
  seconds: number;
  events: number;
  /** per-batch ack latency, ms, sorted ascending */
  latenciesMs: Float64Array;
}

/** POSTs every body with `clients` requests in flight; throws on the first non-200 or short accept. */
export async function runHttpLoad(baseUrl: string, bodies: readonly string[], batchSize: number, clients: number): Promise<HttpLoadResult> {
  const url = new URL('/v1/events', baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const latencies = new Float64Array(bodies.length);
  let next = 0;
  let events = 0;
  const client = async () => {
    while (next < bodies.length) {
      const i = next++;
      const sent = performance.now();
      const { status, text } = await postJson(agent, url, bodies[i]);
      latencies[i] = performance.now() - sent;
      if (status !== 200) throw new Error(`batch ${i}: status ${status}: ${text.slice(0, 300)}`);
      const accepted = (JSON.parse(text) as { accepted: number }).accepted;
      if (accepted !== batchSize && i < bodies.length - 1) throw new Error(`batch ${i}: accepted ${accepted} of ${batchSize}: ${text.slice(0, 300)}`);
      events += accepted;
    }
  };
  const began = performance.now();
  await Promise.all(Array.from({ length: clients }, client));
  const seconds = (performance.now() - began) / 1000;
  agent.destroy();
  return { seconds, events, latenciesMs: latencies.sort() };
}

function postJson(agent: http.Agent, url: URL, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The q-quantile (0..1) of ascending values, nearest rank. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
