/**
 * Numbers in requests are finite. Ajv coerces query strings with `coerceTypes`, and the string
 * "Infinity" (or "1e309", or 8000 digits) becomes Infinity *after* the type check, which `maximum`
 * then skips (Ajv's strictNumbers gates every number keyword on isFinite). So every number and
 * integer of every request schema gets one more keyword, `x-finite`, that Ajv runs on the coerced
 * value whatever its type: one rule at the mechanism, not a check per route.
 * A JSON body can carry Infinity too (1e309 overflows): any such number refuses the body before
 * validation, which would otherwise coerce it to the string "Infinity" where a string is allowed —
 * except in batches checked item by item (events, items), where that item alone is refused.
 */
// ajv is Fastify's validator (its types are part of Fastify's own option types)
import type { Ajv } from 'ajv';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clip } from '../core/clip.ts';
import { VitrineError } from '../core/errors.ts';

const KEYWORD = 'x-finite';
const REQUEST_PARTS = ['body', 'querystring', 'params', 'headers'] as const;
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;
const SUBSCHEMAS = ['items', 'additionalProperties', 'not', 'contains', 'propertyNames'] as const;
const SUBSCHEMA_MAPS = ['properties', 'patternProperties'] as const;

type Schema = Record<string, unknown>;

/** Registers the `x-finite` keyword with Fastify's Ajv (pass as `ajv.plugins`). */
export function finiteNumberKeyword(ajv: Ajv): Ajv {
  ajv.addKeyword({
    keyword: KEYWORD, schemaType: 'boolean', error: { message: 'must be a finite number' },
    validate: (_on: boolean, data: unknown) => typeof data !== 'number' || Number.isFinite(data),
  });
  return ajv;
}

/** A copy of `schema` with `x-finite` on every number and integer, however deep. */
export function withFiniteNumbers(schema: unknown): unknown {
  if (!isSchema(schema)) return schema;
  const out: Schema = { ...schema };
  const types = Array.isArray(out.type) ? out.type : [out.type];
  if (types.includes('number') || types.includes('integer')) out[KEYWORD] = true;
  for (const key of SUBSCHEMA_LISTS) if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map(withFiniteNumbers);
  for (const key of SUBSCHEMAS) {
    const sub = out[key];
    if (Array.isArray(sub)) out[key] = sub.map(withFiniteNumbers);
    else if (isSchema(sub)) out[key] = withFiniteNumbers(sub);
  }
  for (const key of SUBSCHEMA_MAPS) {
    const map = out[key];
    if (!isSchema(map)) continue;
    const copy: Schema = {};
    for (const [name, sub] of Object.entries(map)) copy[name] = withFiniteNumbers(sub);
    out[key] = copy;
  }
  return out;
}

/** Every route registered after this call takes only finite numbers in its body, query, params and headers. */
export function requireFiniteNumbers(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const schema = route.schema as Schema | undefined;
    if (!schema) return;
    const copy: Schema = { ...schema };
    for (const part of REQUEST_PARTS) if (schema[part] !== undefined) copy[part] = withFiniteNumbers(schema[part]);
    route.schema = copy;
    // a batch whose items are checked one by one (events, items) must not fail whole for one item's number
    if (schema.body !== undefined && !checksItemByItem(schema.body)) {
      route.preValidation = [...[route.preValidation ?? []].flat(), refuseNonFiniteBody];
    }
  });
}

async function refuseNonFiniteBody(request: FastifyRequest): Promise<void> {
  const at = nonFinitePath(request.body, '');
  if (at !== undefined) throw new VitrineError('VITRINE_REQUEST_INVALID', `body${clip(at)} must be a finite number (a JSON number past ±1.8e308 is Infinity)`);
}

/** True when the body is a batch of items left to code to validate one by one (an array of unknown). */
function checksItemByItem(body: unknown): boolean {
  if (!isSchema(body) || !isSchema(body.properties)) return false;
  return Object.values(body.properties).some((p) => isSchema(p) && p.type === 'array' && isSchema(p.items) && p.items.type === undefined && !p.items.anyOf);
}

/** The JSON pointer of the first non-finite number in `value`, if any (a walk costs about a tenth of the parse). */
export function nonFinitePath(value: unknown, path: string): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path || '/';
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const at = nonFinitePath(value[i], `${path}/${i}`);
      if (at !== undefined) return at;
    }
    return undefined;
  }
  for (const [key, v] of Object.entries(value)) {
    const at = typeof v === 'object' || typeof v === 'number' ? nonFinitePath(v, `${path}/${key}`) : undefined;
    if (at !== undefined) return at;
  }
  return undefined;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
