/**
 * What keeps issue 20's input rules from eroding as routes are added: every number of every request
 * schema is finite and every integer bounded, every record's keys are bounded, every string has a
 * length or a pattern; and the lint rule against prototype-backed records still fires.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ESLint } from 'eslint';
import { testApp, type TestApp } from './helpers/app.ts';

type Schema = Record<string, unknown>;

/** Every sub-schema of `schema` with its JSON pointer. */
function* walk(schema: unknown, at: string): Generator<[string, Schema]> {
  if (typeof schema !== 'object' || schema === null) return;
  if (Array.isArray(schema)) {
    for (const [i, s] of schema.entries()) yield* walk(s, `${at}/${i}`);
    return;
  }
  const s = schema as Schema;
  yield [at, s];
  for (const key of ['items', 'additionalProperties', 'not', 'anyOf', 'oneOf', 'allOf']) yield* walk(s[key], `${at}/${key}`);
  for (const key of ['properties', 'patternProperties']) {
    for (const [name, sub] of Object.entries((s[key] ?? {}) as Schema)) yield* walk(sub, `${at}/${name}`);
  }
}

describe('input rules hold for every route', () => {
  let t: TestApp;
  let requestSchemas: Array<[string, unknown]>;
  before(async () => {
    t = await testApp();
    const openapi = (await t.app.inject({ url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; schema: unknown }>; requestBody?: { content: Record<string, { schema: unknown }> } }>>;
    };
    requestSchemas = Object.entries(openapi.paths).flatMap(([route, ops]) => Object.entries(ops).flatMap(([method, op]) => [
      ...(op.parameters ?? []).map((p): [string, unknown] => [`${method} ${route} ${p.name}`, p.schema]),
      ...Object.values(op.requestBody?.content ?? {}).map((c): [string, unknown] => [`${method} ${route} body`, c.schema]),
    ]));
  });
  after(async () => { await t.close(); });

  it('found the request schemas of the API (a guard over nothing would pass)', () => {
    assert.ok(requestSchemas.length > 40, `${requestSchemas.length} request schemas`);
    assert.ok(requestSchemas.some(([where]) => where === 'put /v1/items/{itemId} body'));
  });

  it('every number is finite (x-finite) and every integer has a minimum and a maximum', () => {
    const unbounded: string[] = [];
    for (const [where, schema] of requestSchemas) {
      for (const [at, s] of walk(schema, '')) {
        if (s.type !== 'number' && s.type !== 'integer') continue;
        if (s['x-finite'] !== true) unbounded.push(`${where}${at}: not x-finite`);
        if (s.type === 'integer' && !(Number.isFinite(s.minimum) && Number.isFinite(s.maximum))) unbounded.push(`${where}${at}: integer without minimum and maximum`);
      }
    }
    assert.deepEqual(unbounded, []);
  });

  it('every record bounds its keys (length and count), every string its length', () => {
    const unbounded: string[] = [];
    for (const [where, schema] of requestSchemas) {
      for (const [at, s] of walk(schema, '')) {
        const isRecord = typeof s.additionalProperties === 'object' && s.additionalProperties !== null;
        const keys = s.propertyNames as { maxLength?: number } | undefined;
        if (isRecord && !(keys?.maxLength && Number.isFinite(s.maxProperties))) unbounded.push(`${where}${at}: record keys unbounded`);
        if (s.type === 'string' && s.maxLength === undefined && s.pattern === undefined && s.enum === undefined && s.const === undefined) {
          unbounded.push(`${where}${at}: string without maxLength or pattern`);
        }
      }
    }
    assert.deepEqual(unbounded, []);
  });
});

describe('the lint rule against prototype-backed records', () => {
  const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });
  const lint = async (code: string) => {
    const [result] = await eslint.lintText(code, { filePath: 'src/serving/lint-probe.ts' });
    return result.messages.filter((m) => m.ruleId === 'no-restricted-syntax').length;
  };

  it('flags each risky way of building or reading a record keyed by outside data', async () => {
    const risky = [
      'export function f(k: string): Record<string, number> { const out: Record<string, number> = {}; out[k] = 1; return out; }',
      'export function f(k: string): unknown { const out: { [key: string]: number } = {}; out[k] = 1; return out; }',
      'export function f(k: string): unknown { const out = {} as Record<string, number[]>; (out[k] ??= []).push(1); return out; }',
      'export function f(ks: string[]): unknown { return ks.reduce((o, k) => ({ ...o, [k]: 1 }), {}); }',
      'export function f(x: object): unknown { return Object.assign({}, x); }',
      'export class C { private readonly byName: Record<string, number> = {}; }',
      "const FILES = { 'a.js': 'text/javascript' }; export function f(k: string): boolean { return k in FILES; }",
    ];
    for (const code of risky) assert.ok(await lint(code) >= 1, code);
  });

  it('lets Maps and emptyRecord() through', async () => {
    assert.equal(await lint([
      "import { emptyRecord } from '../core/dictionary.ts';",
      'export function f(k: string): unknown { const m = new Map<string, number>(); m.set(k, 1); const r = emptyRecord<number>(); r[k] = 1; return [m, r]; }',
    ].join('\n')), 0);
  });
});
