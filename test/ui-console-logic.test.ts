/** The console's pure helpers: /metrics parsing, training parameters, reordering, generated pictures, the evaluation line. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rentableSize } from '../src/web/console/actions.ts';
import { describeEvaluation, metricText } from '../src/web/console/evaluation.tsx';
import { colourOf, itemPicture } from '../src/web/console/item-image.ts';
import { parseParams } from '../src/web/console/models.tsx';
import { histogramQuantile, parseMetrics, total } from '../src/web/console/prometheus.ts';
import { moved } from '../src/web/console/reorder.ts';

const METRICS = `# HELP vitrine_events_ingested_total Events accepted and stored
# TYPE vitrine_events_ingested_total counter
vitrine_events_ingested_total 42
vitrine_page_cache_lookups{cache="page",result="hit"} 30
vitrine_page_cache_lookups{cache="page",result="miss"} 10
vitrine_http_request_duration_seconds_bucket{le="0.01",method="GET",route="/v1/users/:userId/page",status="200"} 50
vitrine_http_request_duration_seconds_bucket{le="0.1",method="GET",route="/v1/users/:userId/page",status="200"} 90
vitrine_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/v1/users/:userId/page",status="200"} 100
vitrine_http_request_duration_seconds_bucket{le="0.01",method="GET",route="/healthz",status="200"} 7
vitrine_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/healthz",status="200"} 7
weird{label="a \\"quoted\\" value"} 1
`;

describe('console helpers', () => {
  it('reads counters by label and histogram quantiles as Prometheus interpolates them', () => {
    const s = parseMetrics(METRICS);
    assert.equal(total(s, 'vitrine_events_ingested_total'), 42);
    assert.equal(total(s, 'vitrine_page_cache_lookups', [['cache', 'page'], ['result', 'hit']]), 30);
    assert.equal(s.find((x) => x.name === 'weird')?.labels.get('label'), 'a "quoted" value');
    const page: [string, string] = ['route', '/v1/users/:userId/page'];
    // rank 50 of 100 ends the first bucket; rank 70 is half-way (20 of 40) into 0.01–0.1
    assert.equal(histogramQuantile(s, 'vitrine_http_request_duration_seconds', 0.5, [page]), 0.01);
    assert.ok(Math.abs((histogramQuantile(s, 'vitrine_http_request_duration_seconds', 0.7, [page]) ?? 0) - 0.055) < 1e-12);
    // past the last finite bucket: its bound, as histogram_quantile answers
    assert.equal(histogramQuantile(s, 'vitrine_http_request_duration_seconds', 0.99, [page]), 0.1);
    assert.equal(histogramQuantile(s, 'vitrine_http_request_duration_seconds', 0.5, [['route', '/none']]), undefined);
  });

  it('checks training parameters before they are sent', () => {
    assert.deepEqual(parseParams(''), {});
    assert.deepEqual(parseParams('{"als": {"factors": 32}}'), { als: { factors: 32 } });
    assert.equal(parseParams('{als'), 'parameters are not JSON');
    assert.equal(parseParams('[1]'), 'parameters: an object of {algorithm: {name: value}}');
    assert.equal(parseParams('{"als": 3}'), 'parameters of als: an object');
  });

  it('moves an entry and leaves the list alone for moves off its ends', () => {
    assert.deepEqual(moved(['a', 'b', 'c'], 2, 0), ['c', 'a', 'b']);
    assert.deepEqual(moved(['a', 'b', 'c'], 0, 1), ['b', 'a', 'c']);
    assert.deepEqual(moved(['a', 'b', 'c'], 0, -1), ['a', 'b', 'c']);
    assert.deepEqual(moved(['a', 'b', 'c'], 2, 3), ['a', 'b', 'c']);
  });

  it('rents in the member\'s size when it has units, else another size with units', () => {
    assert.equal(rentableSize({ sizes: { '6': 0, '8': 2, '10': 1 } }, ['6', '10']), '10');
    assert.equal(rentableSize({ sizes: { '6': 0, '8': 2 } }, ['6']), '8');
    assert.equal(rentableSize({ sizes: { '6': 0 } }, ['6']), undefined);
  });

  it('shows the photo when there is one, else a drawing named by colour and category', () => {
    assert.deepEqual(itemPicture({ title: 'Emerald Gown', category: 'gown', attributes: {}, imageUrl: 'https://img.example/g.jpg' }),
      { src: 'https://img.example/g.jpg', alt: 'Emerald Gown' });
    const drawn = itemPicture({ title: 'Emerald Gown', category: 'Gown', attributes: { colour: 'Emerald' } });
    assert.equal(drawn.alt, 'emerald gown (drawing)');
    assert.match(decodeURIComponent(drawn.src), /^data:image\/svg\+xml,<svg[^]*fill="#1f7a55"/);
    // an inherited name is not a colour
    assert.equal(colourOf({ attributes: JSON.parse('{"__proto__": {"colour": "red"}}') }).name, '');
  });

  it('describes a kept evaluation in one line and prints metrics with 4 decimals', () => {
    const line = describeEvaluation({
      writtenAt: Date.UTC(2026, 11, 7, 9, 30), command: 'vitrine evaluate',
      report: { protocol: 'global-time', cutoff: '2017-07-01', k: 10, users: 1200, items: 5850, dataset: 'rtr', source: 'data/rtr.csv', results: {} },
    });
    assert.equal(line, 'global-time from 2017-07-01, K = 10, on rtr (data/rtr.csv), 1200 members evaluated over 5850 items; written 2026-12-07 09:30 UTC');
    assert.equal(describeEvaluation({ writtenAt: 0, command: '', report: { results: {} } }),
      'unknown protocol, K = ?, on unknown data; written 1970-01-01 00:00 UTC');
    assert.deepEqual([metricText(0.123456), metricText(1), metricText(undefined), metricText('x'), metricText(NaN)], ['0.1235', '1.0000', '—', '—', '—']);
  });
});
