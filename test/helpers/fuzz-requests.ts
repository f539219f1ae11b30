/**
 * Hostile requests for every route of /openapi.json, as fast-check arbitraries: prototype names in
 * every string position (path params, query, body keys and values, nested), non-finite and huge
 * numbers, wrong types, wrong content types, huge strings. Values follow the route's own schema most of
 * the time, so requests get past validation and reach the handlers too.
 */
import fc from 'fast-check';
import { EVENT_TYPES } from '../../src/core/types.ts';

/** A number written into the JSON text as is (JSON.stringify cannot write 1e309). */
export class RawNumber {
  constructor(readonly text: string) {}
}
export type Json = null | boolean | number | string | RawNumber | Json[] | { [key: string]: Json };

export interface FuzzRequest {
  method: string;
  url: string;
  /** the route template, e.g. /v1/users/{userId}/page */
  route: string;
  headers: Record<string, string>;
  payload?: string;
}

type Schema = {
  type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema;
  additionalProperties?: boolean | Schema; anyOf?: Schema[]; oneOf?: Schema[]; enum?: Json[]; const?: Json;
  pattern?: string; minimum?: number; maximum?: number; default?: Json; $ref?: string;
};
interface Operation {
  method: string; route: string;
  parameters?: Array<{ in: string; name: string; schema: Schema }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
}

export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const MEGABYTE = 'k'.repeat(1024 * 1024);
const NUMBER_TOKENS = ['Infinity', '-Infinity', 'NaN', '1e309', '-1e309', '1e300', '-1', '0', '0.5', '-0', '9007199254740993', '1'.repeat(8000)];

/** Ids the world was seeded with, so generated requests also reach existing items, members, carousels… */
export const SEEDED = { items: ['item-1', 'item-2', 'constructor'], users: ['m1', 'toString'], names: ['home', 'car-1', 'exp-1'] };

const protoName = fc.constantFrom(...PROTOTYPE_NAMES);
const idLike = fc.oneof(
  { weight: 4, arbitrary: protoName },
  { weight: 3, arbitrary: fc.constantFrom(...SEEDED.items, ...SEEDED.users, ...SEEDED.names) },
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9._:@-]{1,16}$/) },
);
/** Any string a hostile client might send where the API expects one. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: idLike },
  { weight: 2, arbitrary: fc.string({ maxLength: 24, unit: 'binary' }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '../../etc/passwd', '%2e%2e%2f', '\u0000', 'a/b', '<script>', 'x'.repeat(129), 'y'.repeat(600)) },
  { weight: 1, arbitrary: fc.constantFrom(...NUMBER_TOKENS) },
);
const hostileNumber: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(...NUMBER_TOKENS.filter((t) => !/[a-z]/i.test(t) || /e/.test(t)).map((t) => new RawNumber(t))),
  fc.constantFrom(...NUMBER_TOKENS),
  fc.double(),
);
const scalar: fc.Arbitrary<Json> = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));
/** A value of any type: the wrong one for most positions. */
export const anyValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, scalar, { maxKeys: 3 }) },
);

/** Values for `schema`: valid most of the time, with hostile substitutions at every level. */
export function fromSchema(schema: Schema, depth = 0): fc.Arbitrary<Json> {
  // rare enough per value that about half the bodies pass validation and reach the handler
  return fc.oneof({ weight: 24, arbitrary: typed(schema, depth) }, { weight: 1, arbitrary: anyValue });
}

/** null most of the time, else a value of `arb`: a hostile addition to an otherwise fitting request. */
const sometimes = <T>(arb: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: 100 - percent, arbitrary: fc.constant(null) }, { weight: percent, arbitrary: arb });

function typed(schema: Schema, depth: number): fc.Arbitrary<Json> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...branches.map((b) => typed(b, depth)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return schema.pattern?.startsWith('^[A-Za-z0-9') ? fc.oneof({ weight: 4, arbitrary: idLike }, hostileString) : hostileString;
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? -1000;
      const max = Math.min(schema.maximum ?? 1000, min + 1000);
      return fc.oneof({ weight: 4, arbitrary: fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) }, hostileNumber);
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 4 ? fc.constant([]) : fc.array(fromSchema(schema.items ?? {}, depth + 1), { maxLength: 3 });
    case 'object':
      return depth > 4 ? fc.constant({}) : objectOf(schema, depth);
    default:
      return anyValue;
  }
}

function objectOf(schema: Schema, depth: number): fc.Arbitrary<Json> {
  const props = schema.properties ?? {};
  const known = fc.record(
    Object.fromEntries(Object.entries(props).map(([k, s]) => [k, fromSchema(s, depth + 1)])),
    { requiredKeys: (schema.required ?? []).filter((k) => k in props) },
  );
  // record values (sizes, attributes) under hostile keys; unknown fields on closed objects
  const extraValue = typeof schema.additionalProperties === 'object' ? fromSchema(schema.additionalProperties, depth + 1) : anyValue;
  const isRecord = typeof schema.additionalProperties === 'object';
  const extra = fc.dictionary(fc.oneof({ weight: 3, arbitrary: protoName }, hostileString), extraValue, { maxKeys: isRecord ? 3 : 1 });
  return fc.tuple(known, sometimes(extra, isRecord ? 70 : 8)).map(([k, e]) => withKeys(k as Record<string, Json>, e ?? {}));
}

/** Copies keys without ever going through a setter: "__proto__" lands as an own key, like JSON.parse makes it. */
function withKeys(base: Record<string, Json>, extra: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = Object.create(null);
  for (const [k, v] of [...Object.entries(base), ...Object.entries(extra)]) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** JSON text of `value`, writing RawNumber tokens as they are. */
export function toJsonText(value: Json): string {
  if (value instanceof RawNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

// the API's event types and two it does not have
const EVENT_TYPE_NAMES = [...EVENT_TYPES, 'like', 'rate'];
const eventArb = (userId: fc.Arbitrary<string>): fc.Arbitrary<Json> => objectOf({
  type: 'object', additionalProperties: false, required: ['id', 'type', 'userId'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9' }, type: { enum: EVENT_TYPE_NAMES }, itemId: { type: 'string', pattern: '^[A-Za-z0-9' },
    ts: { anyOf: [{ type: 'number', minimum: 1.7e12, maximum: 1.8e12 }, { type: 'string' }] }, size: { type: 'string' },
    fit: { enum: ['small', 'fit', 'large', 'tight'] }, rating: { type: 'number' }, value: { type: 'number' }, occasion: { type: 'string' },
    context: { type: 'object', additionalProperties: false, properties: { pageId: { type: 'string' }, rowId: { type: 'string' }, position: { type: 'integer', minimum: 0 } } },
  },
}, 0).chain((e) => userId.map((u) => (e && typeof e === 'object' && !Array.isArray(e) && !(e instanceof RawNumber) ? withKeys(e, { userId: u }) : e)));

/** The events body, with `userId` for every event (hostile ones by default). */
export function eventsBody(userId: fc.Arbitrary<string> = fc.oneof(idLike, hostileString)): fc.Arbitrary<Json> {
  return fc.array(eventArb(userId), { minLength: 1, maxLength: 8 }).map((events) => withKeys({ events }, {}));
}

const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16'];

/** One line of at most ~400 characters for a request, as fast-check prints a counterexample (1 MB strings included). */
export function describeRequest(req: FuzzRequest): string {
  const cut = (s: string) => (s.length > 200 ? `${s.slice(0, 200)}…(${s.length})` : s);
  return `${req.method} ${cut(req.url)} ${JSON.stringify(req.headers)} ${cut(req.payload ?? '')}`;
}

/** The request, printed by fast-check with describeRequest. */
export function printable(req: FuzzRequest): FuzzRequest {
  return Object.defineProperty(req, fc.toStringMethod, { value: () => describeRequest(req), enumerable: false });
}

export interface OpenApi { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } }

/** "METHOD /route" of every operation of the document that `wanted` keeps. */
export function operations(openapi: OpenApi, wanted: (route: string) => boolean): string[] {
  return Object.entries(openapi.paths).filter(([route]) => wanted(route))
    .flatMap(([route, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${route}`));
}

// what a request costs in-process, relative (/metrics renders every series; most routes answer in ~1 ms)
const RARE = new Set(['GET /metrics', 'POST /v1/models/train', 'GET /v1/carousels/{carouselId}']);

/** The operations of the OpenAPI document that `wanted` keeps, as arbitrary requests; one in ~150 carries a 1 MB string. */
export function requestsFor(openapi: OpenApi, wanted: (route: string) => boolean): fc.Arbitrary<FuzzRequest> {
  const ops: Operation[] = [];
  for (const [route, methods] of Object.entries(openapi.paths)) {
    if (!wanted(route)) continue;
    for (const [method, op] of Object.entries(methods)) ops.push({ ...op, method: method.toUpperCase(), route });
  }
  const any = fc.oneof(...ops.map((op) => ({ weight: RARE.has(`${op.method.toUpperCase()} ${op.route}`) ? 1 : 4, arbitrary: requestFor(op, openapi.components?.schemas ?? {}) })));
  return fc.tuple(any, fc.integer({ min: 0, max: 149 })).map(([req, dice]) => printable(dice === 0 ? withMegabyte(req) : req));
}

/** The request with a 1 MB key in its JSON body, or a 1 MB query value when it has no body. */
function withMegabyte(req: FuzzRequest): FuzzRequest {
  if (req.payload?.startsWith('{') && req.payload.length > 2) return { ...req, payload: `{${JSON.stringify(MEGABYTE)}:1,${req.payload.slice(1)}` };
  return { ...req, url: `${req.url}${req.url.includes('?') ? '&' : '?'}q=${MEGABYTE}` };
}

function requestFor(op: Operation, components: Record<string, Schema>): fc.Arbitrary<FuzzRequest> {
  const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
  const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
  const path = fc.tuple(...pathParams.map(() => fc.oneof({ weight: 9, arbitrary: idLike }, hostileString)));
  const query = fc.tuple(
    fc.tuple(...queryParams.map((p) => fc.option(fc.oneof({ weight: 3, arbitrary: typed(p.schema, 0).map(queryValue) }, hostileString), { freq: 2 }))),
    sometimes(fc.tuple(fc.oneof(protoName, hostileString), hostileString), 15),
  );
  let schema = op.requestBody?.content['application/json']?.schema;
  if (schema?.$ref) schema = components[schema.$ref.split('/').pop() ?? ''];
  const body: fc.Arbitrary<Json | undefined> = !schema ? fc.constant(undefined)
    : op.route === '/v1/events' ? eventsBody()
      : fromSchema(schema);
  const contentType = fc.oneof({ weight: 12, arbitrary: fc.constant('application/json') }, fc.constantFrom(...CONTENT_TYPES), fc.constant(undefined));
  return fc.tuple(path, query, body, contentType).map(([ids, [values, extra], json, type]) => {
    let url = op.route;
    pathParams.forEach((p, i) => { url = url.replace(`{${p.name}}`, encodeURIComponent(ids[i])); });
    const search = new URLSearchParams();
    queryParams.forEach((p, i) => { if (values[i] !== null) search.append(p.name, values[i]); });
    if (extra) search.append(extra[0], extra[1]);
    const qs = search.toString();
    const request: FuzzRequest = { method: op.method, url: qs ? `${url}?${qs}` : url, route: op.route, headers: {} };
    if (json !== undefined) {
      request.payload = toJsonText(json);
      if (type) request.headers['content-type'] = type;
    }
    return request;
  });
}

function queryValue(v: Json): string {
  return v instanceof RawNumber ? v.text : typeof v === 'string' ? v : toJsonText(v);
}
