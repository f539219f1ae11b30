/**
 * Item and member validation from the same TypeBox schemas the HTTP routes use, so the API, the batch
 * endpoint and the importers accept exactly the same things. Returns the normalised input
 * (timestamps → epoch ms) or a rejection with a registered code.
 */
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck, ValueErrorType } from '@sinclair/typebox/compiler';
import { clip } from './clip.ts';
import type { ErrorCode } from './errors.ts';
import { isValidId } from './ids.ts';
import { BatchItem, ItemBody } from './schemas/items.ts';
import { UserBody } from './schemas/users.ts';
import { toEpochMs } from './time.ts';
import type { ItemInput, UserInput } from './types.ts';

export interface InputRejection { code: ErrorCode; message: string }

const checkers = new Map<TSchema, TypeCheck<TSchema>>();
function checker(schema: TSchema): TypeCheck<TSchema> {
  let c = checkers.get(schema);
  if (!c) checkers.set(schema, (c = TypeCompiler.Compile(schema)));
  return c;
}

function firstProblem(schema: TSchema, value: unknown, invalidCode: ErrorCode): InputRejection | undefined {
  const c = checker(schema);
  if (c.Check(value)) return undefined;
  const err = c.Errors(value).First();
  if (!err) return { code: invalidCode, message: 'invalid' };
  const path = clip(err.path);
  if (err.type === ValueErrorType.ObjectAdditionalProperties && 'patternProperties' in err.schema) {
    // a bounded record (sizes, attributes): the key is out of bounds, not an unknown field
    const slash = err.path.lastIndexOf('/');
    return { code: invalidCode, message: `${clip(err.path.slice(0, slash))}: key "${clip(err.path.slice(slash + 1))}" must be 1-${keyLimit(err.schema)} characters` };
  }
  if (err.type === ValueErrorType.ObjectAdditionalProperties) {
    return { code: 'VITRINE_REQUEST_UNKNOWN_FIELD', message: `unknown field "${path}"` };
  }
  if (err.path === '/id') return { code: 'VITRINE_REQUEST_BAD_ID', message: 'id must be 1-128 characters of [A-Za-z0-9._:@-]' };
  return { code: invalidCode, message: `${path || '/'}: ${err.message}` };
}

function keyLimit(record: TSchema): number | string {
  return (record.propertyNames as { maxLength?: number } | undefined)?.maxLength ?? 'N';
}

function normaliseTimestamp(value: unknown, field: string, code: ErrorCode): number | InputRejection | undefined {
  if (value === undefined) return undefined;
  const ms = toEpochMs(value);
  return ms === undefined ? { code, message: `${field} must be an ISO-8601 string or epoch ms` } : ms;
}

function finiteEmbedding(embedding: unknown): boolean {
  return !Array.isArray(embedding) || embedding.every((x) => Number.isFinite(x));
}

/** Validates an item body (without id, as PUT /v1/items/:id takes it). */
export function validateItem(raw: unknown): ItemInput | InputRejection {
  return normaliseItem(raw, ItemBody);
}

/** Validates an item with its id (batch endpoint, items-jsonl). */
export function validateItemWithId(raw: unknown): ({ id: string } & ItemInput) | InputRejection {
  if (raw && typeof raw === 'object' && 'id' in raw && !isValidId((raw as { id: unknown }).id)) {
    return { code: 'VITRINE_REQUEST_BAD_ID', message: 'id must be 1-128 characters of [A-Za-z0-9._:@-]' };
  }
  return normaliseItem(raw, BatchItem) as ({ id: string } & ItemInput) | InputRejection;
}

function normaliseItem(raw: unknown, schema: TSchema): ItemInput | InputRejection {
  const problem = firstProblem(schema, raw, 'VITRINE_ITEM_INVALID');
  if (problem) return problem;
  const item = { ...(raw as object) } as unknown as Omit<ItemInput, 'availableFrom'> & { availableFrom?: unknown };
  if (!finiteEmbedding(item.embedding)) return { code: 'VITRINE_ITEM_INVALID', message: 'embedding values must be finite numbers' };
  const from = normaliseTimestamp(item.availableFrom, 'availableFrom', 'VITRINE_ITEM_INVALID');
  if (from && typeof from === 'object') return from;
  if (from !== undefined) item.availableFrom = from;
  return item as ItemInput;
}

/** Validates a member profile body (PUT /v1/users/:id, users-jsonl without its id). */
export function validateUser(raw: unknown): UserInput | InputRejection {
  const problem = firstProblem(UserBody, raw, 'VITRINE_USER_INVALID');
  if (problem) return problem;
  const user = structuredClone(raw) as UserInput & { upcoming?: Array<{ occasion: string; date: unknown }> };
  for (const u of user.upcoming ?? []) {
    const date = normaliseTimestamp(u.date, 'upcoming.date', 'VITRINE_USER_INVALID');
    if (date && typeof date === 'object') return date;
    u.date = date as number;
  }
  return user as UserInput;
}

/** Narrows a validation result. */
export function isInputRejection(v: unknown): v is InputRejection {
  // inputs never carry top-level code+message: unknown fields are rejected
  return typeof v === 'object' && v !== null && 'code' in v && 'message' in v;
}
