/**
 * The fuzz suite's world and checks: a small seeded catalogue, the sentinel member's requests (each
 * one certain to be refused), and what must hold after every request.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ERROR_CODES, isErrorCode } from '../../src/core/errors.ts';
import type { TestApp } from './app.ts';
import { describeRequest, eventsBody, type FuzzRequest, hostileString, printable, RawNumber, SEEDED, toJsonText } from './fuzz-requests.ts';

/** A member who only ever gets refused requests: nothing may be stored for them. */
export const SENTINEL = 'sentinel:__proto__';

/** Items, members, a carousel, a template and an experiment the generated requests can reach. */
export async function seedWorld(t: TestApp, now: number, headers: Record<string, string>): Promise<void> {
  const put = async (url: string, payload: object, method: 'PUT' | 'POST' = 'PUT') => {
    const res = await t.app.inject({ method, url, payload, headers });
    assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
  };
  for (const [k, id] of SEEDED.items.entries()) {
    await put(`/v1/items/${id}`, { title: `dress ${k}`, category: k % 2 ? 'dress' : 'toString', tags: ['__proto__', 'wedding'], sizes: { 8: 2, constructor: 1, toString: 3 }, attributes: { hasOwnProperty: 'x', prototype: 1 } });
  }
  for (const id of SEEDED.users) await put(`/v1/users/${id}`, { sizes: ['8', 'toString'], attributes: { constructor: 'yes' }, preferences: { occasions: ['__proto__'] } });
  await put('/v1/events', { events: SEEDED.users.flatMap((u, k) => [
    { id: `seed-${k}-1`, type: 'rent', userId: u, itemId: 'item-1', size: '__proto__', fit: 'small', occasion: 'constructor', ts: now - 5000 },
    { id: `seed-${k}-2`, type: 'heart', userId: u, itemId: 'constructor', ts: now - 4000 },
  ]) }, 'POST');
  await put('/v1/carousels/car-1', { title: 'Picks', itemIds: ['item-1', 'constructor', 'toString'], audience: { segments: ['__proto__'] } });
  await put('/v1/pages/home', { rows: [{ kind: 'for-you' }, { kind: 'curated', carouselId: 'car-1' }, { kind: 'for-occasion', title: 'toString' }] });
  await put('/v1/experiments/exp-1', { variants: [{ name: 'constructor', weight: 1 }, { name: '__proto__', weight: 1 }], status: 'running' });
}

const badQuery = fc.oneof(
  fc.constantFrom('n=Infinity', 'n=1e309', 'n=0', 'size=Infinity', 'rows=-Infinity', 'limit=1e309', `limit=${'9'.repeat(8000)}`, 'n=NaN'),
  hostileString.map((v) => `__proto__=${encodeURIComponent(v)}`),
  hostileString.map((v) => `constructor=${encodeURIComponent(v)}`),
);
/** Each event made invalid in one way or another, so the whole batch is refused event by event. */
const spoil = fc.constantFrom<[string, string]>(['toString', '"x"'], ['type', '"__proto__"'], ['ts', '"constructor"'], ['rating', '1e309'],
  ['value', '-1e309'], ['fit', '"prototype"'], ['size', `"${'s'.repeat(33)}"`], ['ts', '1e300'], ['context', '{"position":1e309}'], ['hasOwnProperty', '1']);

/** Requests that carry the sentinel member and are certain to be refused (4xx, or every event rejected). */
export const sentinelRequests: fc.Arbitrary<FuzzRequest> = fc.oneof(
  badQuery.chain((q) => fc.constantFrom(
    `/v1/users/${SENTINEL}/page?${q}&rows=Infinity`, `/v1/users/${SENTINEL}/recommendations?${q}&n=1e309`,
    `/v1/users/${SENTINEL}/events?${q}&limit=Infinity`, `/v1/items/item-1/similar?userId=${SENTINEL}&${q}&n=-1e309`,
    `/v1/occasions/wedding/items?userId=${SENTINEL}&${q}&n=Infinity`,
  ).map((url) => ({ method: 'GET', url, route: 'sentinel', headers: {} }))),
  fc.tuple(hostileString, fc.constantFrom('application/json', 'text/plain')).map(([k, type]) => ({
    method: 'PUT', url: `/v1/users/${SENTINEL}`, route: 'sentinel', headers: { 'content-type': type },
    payload: toJsonText({ sizes: ['8'], attributes: { [k.slice(0, 60)]: new RawNumber('1e309') } }),
  })),
  fc.constantFrom('{"itemIds":[]}', '{"itemIds":["item-1"],"constructor":1}', '{"itemIds":["item-1","item-1"]}').map((payload) => ({
    method: 'POST', url: `/v1/users/${SENTINEL}/rank`, route: 'sentinel', headers: { 'content-type': 'application/json' }, payload,
  })),
  fc.tuple(eventsBody(fc.constant(SENTINEL)), spoil).map(([body, [key, raw]]) => {
    const events = (body as { events: unknown[] }).events.map((e) => {
      const text = toJsonText(e as never);
      // last, so that it wins over the event's own value of that key (JSON.parse keeps the last duplicate)
      return text.startsWith('{') && text.length > 2 ? `${text.slice(0, -1)},${JSON.stringify(key)}:${raw}}` : `{"userId":"${SENTINEL}",${JSON.stringify(key)}:${raw}}`;
    });
    return { method: 'POST', url: '/v1/events', route: 'sentinel-events', headers: { 'content-type': 'application/json' }, payload: `{"events":[${events.join(',')}]}` };
  }),
).map(printable);

/** What every answer must be: 2xx, or 4xx with a registered code and that code's status. Never a 5xx. */
export function assertAnswer(req: FuzzRequest, res: { statusCode: number; body: string }): void {
  const what = `${describeRequest(req)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  assert.ok(res.statusCode >= 200 && res.statusCode < 500 && !(res.statusCode >= 300 && res.statusCode < 400), what);
  if (res.statusCode >= 400) {
    const code = (JSON.parse(res.body) as { error?: { code?: string } }).error?.code ?? '';
    assert.ok(isErrorCode(code), `unregistered code: ${what}`);
    assert.equal(ERROR_CODES[code].status, res.statusCode, `status of ${code}: ${what}`);
  }
  if (req.route.startsWith('sentinel')) {
    const refused = res.statusCode >= 400 || (req.route === 'sentinel-events' && JSON.parse(res.body).accepted === 0 && JSON.parse(res.body).duplicates === 0);
    assert.ok(refused, `a sentinel request was accepted: ${what}`);
  }
}

const PROTOTYPES = { Object: Object.prototype, Array: Array.prototype, Function: Function.prototype, String: String.prototype };
const keysOf = (proto: object) => Reflect.ownKeys(proto).map(String).sort().join(',');
const PROTOTYPE_KEYS = Object.entries(PROTOTYPES).map(([name, proto]) => [name, keysOf(proto)]);

/** The built-in prototypes exactly as the process started: no key added, none of the fuzzed names set on Object's. */
export function assertPrototypeClean(after: string): void {
  for (const [name, keys] of PROTOTYPE_KEYS) assert.equal(keysOf(PROTOTYPES[name as keyof typeof PROTOTYPES]), keys, `${name}.prototype changed after ${after}`);
  const probe = {} as Record<string, unknown>;
  for (const key of ['rents', 'fit', 'small', 'large', 'events', 'sizes', 'x']) assert.equal(probe[key], undefined, `({}).${key} is set after ${after}`);
}

/** The sentinel member has nothing stored: no profile, no events, no page served. */
export async function assertSentinelUntouched(t: TestApp, headers: Record<string, string>): Promise<void> {
  assert.equal(await t.store.getUser(SENTINEL), null, 'the sentinel member has a row');
  assert.deepEqual(await t.store.userEvents(SENTINEL), [], 'the sentinel member has events');
  assert.equal((await t.store.userStats(SENTINEL)).events, 0);
  assert.equal(await t.store.lastImpression(SENTINEL), null, 'a page was logged for the sentinel member');
  assert.equal((await t.app.inject({ url: `/v1/users/${encodeURIComponent(SENTINEL)}`, headers })).statusCode, 404);
}
