/**
 * The fuzz suite, run by each test/api-fuzz-*.test.ts over its share of the routes (two files, so
 * that the runner's two processes share the ≥ 10,000 requests of a run). The seed is printed in the
 * suite's name and on failure; FUZZ_SEED=<n> replays a run, FUZZ_RUNS=<n> sets its length.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { testApp, type TestApp } from './app.ts';
import { type FuzzRequest, type OpenApi, operations, requestsFor } from './fuzz-requests.ts';
import { assertAnswer, assertPrototypeClean, assertSentinelUntouched, seedWorld, sentinelRequests } from './fuzz-world.ts';

const NOW = Date.UTC(2026, 10, 28, 12);

/** The routes a storefront's member traffic reaches (the two fuzz files split the routes by it). */
export function memberFacing(route: string): boolean {
  return route.startsWith('/v1/users') || route === '/v1/events' || route.endsWith('/similar') || route.startsWith('/v1/occasions');
}

/** Declares the suite: `runs` hostile requests over the routes `wanted` keeps, one in ten for the sentinel member. */
export function fuzzSuite(name: string, wanted: (route: string) => boolean, runs: number): void {
  const seed = Number(process.env.FUZZ_SEED ?? randomInt(2 ** 31));
  const numRuns = Number(process.env.FUZZ_RUNS ?? runs);
  describe(`API fuzz: ${name} (FUZZ_SEED=${seed}, ${numRuns} requests)`, () => {
    let t: TestApp;
    let openapi: OpenApi;
    before(async () => {
      // durability is not under test here: NORMAL spares an fsync per write
      t = await testApp({ now: NOW, config: { training: { inWorker: false } }, sqlite: { synchronous: 'NORMAL' } });
      await seedWorld(t, NOW);
      openapi = (await t.app.inject({ url: '/openapi.json' })).json();
    });
    after(async () => { await t.close(); });

    it('answers every request with 2xx or a registered 4xx, never a 5xx, and leaves Object.prototype alone', async () => {
      const hits = new Map<string, number>();
      const requests = fc.oneof({ weight: 9, arbitrary: requestsFor(openapi, wanted) }, { weight: 1, arbitrary: sentinelRequests });
      await fc.assert(fc.asyncProperty(requests, async (req: FuzzRequest) => {
        const res = await t.app.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, ...(req.payload !== undefined ? { payload: req.payload } : {}) });
        hits.set(`${req.method} ${req.route}`, (hits.get(`${req.method} ${req.route}`) ?? 0) + 1);
        assertAnswer(req, res);
        assertPrototypeClean(`${req.method} ${req.url.slice(0, 100)}`);
      }), { seed, numRuns, endOnFailure: true, includeErrorInReport: true });
      if (numRuns >= 1000) assert.deepEqual(operations(openapi, wanted).filter((op) => !hits.has(op)), [], 'routes no request reached');
    });

    it('still answers afterwards, and has stored nothing for the sentinel member', async () => {
      assert.equal((await t.app.inject({ url: '/healthz' })).statusCode, 200);
      const page = await t.app.inject({ url: '/v1/users/m1/page' });
      assert.equal(page.statusCode, 200, page.body);
      await assertSentinelUntouched(t);
      assertPrototypeClean('the run');
    });
  });
}
