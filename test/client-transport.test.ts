/** The client's transport: time limits, aborts, non-Vitrine error bodies, and the browser bundle. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FetchLike, UNEXPECTED_RESPONSE, VitrineApiError, VitrineClient } from 'vitrine/client';
import { testApp, type TestApp } from './helpers/app.ts';
import { listen } from './helpers/listen.ts';

/** A fetch that never answers: like the real one, it rejects with the signal's reason once (or if) it aborts. */
const hanging: FetchLike = (_url, init) => new Promise((_resolve, reject) => {
  if (init.signal?.aborted) reject(init.signal.reason);
  init.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true });
});

describe('client transport', () => {
  it('a request over its time limit rejects with a TimeoutError (per client and per call)', async () => {
    const client = new VitrineClient({ baseUrl: 'http://127.0.0.1:9', fetch: hanging, timeoutMs: 20 });
    await assert.rejects(client.ops.health(), { name: 'TimeoutError', message: 'request timed out after 20 ms' });
    await assert.rejects(client.ops.health({ timeoutMs: 5 }), { name: 'TimeoutError', message: 'request timed out after 5 ms' });
  });

  it('the caller\'s AbortSignal aborts the request with its reason, also when aborted before the call', async () => {
    const client = new VitrineClient({ baseUrl: 'http://127.0.0.1:9', fetch: hanging, timeoutMs: 0 });
    const controller = new AbortController();
    const pending = client.items.get('x', { signal: controller.signal });
    controller.abort(new Error('user left the page'));
    await assert.rejects(pending, { message: 'user left the page' });
    await assert.rejects(client.items.get('x', { signal: AbortSignal.abort() }), { name: 'AbortError' });
  });

  it('a failure without the Vitrine error envelope is a VitrineApiError with the client\'s own code', async () => {
    const proxy: FetchLike = async () => new Response('<html>bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } });
    const err = await new VitrineClient({ baseUrl: 'http://127.0.0.1:9', fetch: proxy }).users.get('ada').catch((e: unknown) => e);
    assert.ok(err instanceof VitrineApiError);
    assert.deepEqual([err.status, err.code, err.details], [502, UNEXPECTED_RESPONSE, '<html>bad gateway</html>']);
  });

  it('ids in paths are URL-encoded and undefined query values left out', async () => {
    const urls: string[] = [];
    const echo: FetchLike = async (url) => {
      urls.push(url);
      return Response.json({ items: [] });
    };
    const client = new VitrineClient({ baseUrl: 'http://vitrine.test/', fetch: echo });
    await client.recommendations.similar('a:b@c', { n: 3, userId: undefined });
    assert.deepEqual(urls, ['http://vitrine.test/v1/items/a%3Ab%40c/similar?n=3']);
  });
});

describe('client bundle for browsers (/ui/vitrine-client.js)', () => {
  let t: TestApp;
  let base: string;
  before(async () => {
    t = await testApp();
    base = await listen(t);
  });
  after(async () => { await t?.close(); });

  it('is one self-contained ES module without TypeBox or node: imports, and it works', async () => {
    const res = await fetch(`${base}/ui/vitrine-client.js`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
    const js = await res.text();
    assert.ok(!/\bfrom\s*["']|\bimport\s*\(|require\(/.test(js), 'no imports left: one module');
    assert.ok(!js.includes('sinclair') && !js.includes('node:'), 'type-only imports erased');
    assert.ok(js.length < 40_000, `small: ${js.length} bytes`);
    const mod = await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`) as typeof import('vitrine/client');
    const client = new mod.VitrineClient({ baseUrl: base });
    assert.deepEqual(await client.ops.health(), { status: 'ok' });
    await assert.rejects(client.items.get('nope'), (e: unknown) => e instanceof mod.VitrineApiError && e.code === 'VITRINE_ITEM_NOT_FOUND');
  });
});
