/**
 * Live: events/s, page latency percentiles, fallbacks per minute, freshness and cache hit rates, from
 * the server's own /metrics, polled while the screen is open.
 */
import { useEffect, useState } from 'preact/hooks';
import { histogramQuantile, parseMetrics, type Sample, total } from './prometheus.ts';
import { type Connection, describeError } from './session.ts';

const POLL_MS = 2000;
const PAGE_ROUTE: [string, string] = ['route', '/v1/users/:userId/page'];

interface Reading { at: number; samples: Sample[] }

const ms = (s: number | undefined) => (s === undefined ? '—' : `${(s * 1000).toFixed(1)} ms`);
const rate = (hit: number, miss: number) => (hit + miss === 0 ? '—' : `${((hit / (hit + miss)) * 100).toFixed(1)}%`);

export function Live({ conn }: { conn: Connection }) {
  const [now, setNow] = useState<Reading>();
  const [before, setBefore] = useState<Reading>();
  const [error, setError] = useState('');
  useEffect(() => {
    let latest: Reading | undefined;
    const poll = async () => {
      try {
        const reading = { at: Date.now(), samples: parseMetrics(await conn.client.ops.metrics()) };
        setBefore(latest);
        setNow(reading);
        latest = reading;
        setError('');
      } catch (err) {
        setError(describeError(err));
      }
    };
    void poll();
    const timer = setInterval(poll, POLL_MS);
    return () => clearInterval(timer);
  }, []);

  if (!now) return <p>{error || 'Reading /metrics…'}</p>;
  const s = now.samples;
  const seconds = before ? (now.at - before.at) / 1000 : 0;
  const perSecond = (name: string) => (before && seconds > 0 ? (total(s, name) - total(before.samples, name)) / seconds : undefined);
  const events = perSecond('vitrine_events_ingested_total');
  const fallbacks = perSecond('vitrine_fallbacks_total');
  const lookups = (cache: string, result: string) => total(s, 'vitrine_page_cache_lookups', [['cache', cache], ['result', result]]);
  const tiles: Array<[string, string]> = [
    ['events / s', events === undefined ? '…' : events.toFixed(1)],
    ['page p50', ms(histogramQuantile(s, 'vitrine_http_request_duration_seconds', 0.5, [PAGE_ROUTE]))],
    ['page p95', ms(histogramQuantile(s, 'vitrine_http_request_duration_seconds', 0.95, [PAGE_ROUTE]))],
    ['page p99', ms(histogramQuantile(s, 'vitrine_http_request_duration_seconds', 0.99, [PAGE_ROUTE]))],
    ['fallbacks / min', fallbacks === undefined ? '…' : (fallbacks * 60).toFixed(1)],
    // an event's way to its member's next page, without the member's pause (docs/operations.md § Freshness)
    ['freshness p50', ms(histogramQuantile(s, 'vitrine_freshness_seconds', 0.5))],
    ['freshness p99', ms(histogramQuantile(s, 'vitrine_freshness_seconds', 0.99))],
    ['page cache hits', rate(lookups('page', 'hit'), lookups('page', 'miss'))],
    ['row cache hits', rate(lookups('row', 'hit'), lookups('row', 'miss'))],
  ];
  return (
    <div class="live">
      <h2>Live</h2>
      <p class="hint">From the server's /metrics every {POLL_MS / 1000} s; latency and freshness percentiles since start.</p>
      {error && <p role="alert" class="error">{error}</p>}
      <dl class="tiles" data-testid="live">
        {tiles.map(([label, value]) => <div class="tile" key={label}><dt>{label}</dt><dd>{value}</dd></div>)}
      </dl>
    </div>
  );
}
