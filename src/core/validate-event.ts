import type { ErrorCode } from './errors.ts';
import { isValidId } from './ids.ts';
import { toEpochMs } from './time.ts';
import { EVENT_TYPES, FIT_VALUES, ITEM_EVENT_TYPES, type EventType, type Fit, type VitrineEvent } from './types.ts';

/** Why one event of a batch was refused; the rest of the batch goes on. */
export interface EventRejection {
  code: ErrorCode;
  message: string;
}

export interface EventValidationOptions {
  /** the clock, epoch ms */
  now: number;
  /** how far in the future a ts may be (clock skew), ms */
  futureToleranceMs: number;
}

const EVENT_FIELDS = new Set([
  'id', 'type', 'userId', 'itemId', 'ts', 'size', 'fit', 'rating', 'value', 'occasion', 'context',
]);
const CONTEXT_FIELDS = new Set(['pageId', 'rowId', 'position', 'variant', 'modelVersion']);
const TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);
const FIT_SET: ReadonlySet<string> = new Set(FIT_VALUES);

const reject = (code: ErrorCode, message: string): EventRejection => ({ code, message });
const isShortString = (v: unknown, max = 128): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/**
 * Validates one raw event and normalises it (ts → epoch ms, missing ts → now).
 * Hand-written rather than schema-compiled: it runs per event on the ingest hot path and must say
 * precisely which rule failed, so that a bad event is reported in `rejected[]` with its own code.
 */
export function validateEvent(raw: unknown, opts: EventValidationOptions): VitrineEvent | EventRejection {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return reject('VITRINE_EVENT_INVALID', 'an event must be a JSON object');
  }
  const e = raw as Record<string, unknown>;
  for (const key in e) {
    if (!EVENT_FIELDS.has(key)) return reject('VITRINE_EVENT_UNKNOWN_FIELD', `unknown field "${key}"`);
  }
  if (!isValidId(e.id)) return reject('VITRINE_EVENT_BAD_ID', 'id must be 1-128 characters of [A-Za-z0-9._:@-]');
  if (typeof e.type !== 'string' || !TYPE_SET.has(e.type)) {
    return reject('VITRINE_EVENT_BAD_TYPE', `type must be one of ${EVENT_TYPES.join(', ')}`);
  }
  const type = e.type as EventType;
  if (!isValidId(e.userId)) return reject('VITRINE_EVENT_BAD_ID', 'userId must be 1-128 characters of [A-Za-z0-9._:@-]');
  if (e.itemId !== undefined && !isValidId(e.itemId)) {
    return reject('VITRINE_EVENT_BAD_ID', 'itemId must be 1-128 characters of [A-Za-z0-9._:@-]');
  }
  if (e.itemId === undefined && ITEM_EVENT_TYPES.has(type)) {
    return reject('VITRINE_EVENT_MISSING_ITEM', `a ${type} event needs an itemId`);
  }
  let ts = opts.now;
  if (e.ts !== undefined) {
    const parsed = toEpochMs(e.ts);
    if (parsed === undefined) return reject('VITRINE_EVENT_BAD_TIMESTAMP', 'ts must be an ISO-8601 string or epoch milliseconds');
    if (parsed > opts.now + opts.futureToleranceMs) {
      return reject('VITRINE_EVENT_TS_FUTURE', `ts is ${Math.round((parsed - opts.now) / 1000)} s in the future`);
    }
    ts = parsed;
  }
  if (e.fit !== undefined && (typeof e.fit !== 'string' || !FIT_SET.has(e.fit))) {
    return reject('VITRINE_EVENT_BAD_FIT', 'fit must be small, fit or large');
  }
  if (e.size !== undefined && !isShortString(e.size, 32)) return reject('VITRINE_EVENT_INVALID', 'size must be a string of 1-32 characters');
  if (e.occasion !== undefined && !isShortString(e.occasion, 64)) {
    return reject('VITRINE_EVENT_INVALID', 'occasion must be a string of 1-64 characters');
  }
  for (const key of ['rating', 'value'] as const) {
    if (e[key] !== undefined && (typeof e[key] !== 'number' || !Number.isFinite(e[key]))) {
      return reject('VITRINE_EVENT_INVALID', `${key} must be a finite number`);
    }
  }
  const event: VitrineEvent = { id: e.id, type, userId: e.userId, ts };
  if (e.itemId !== undefined) event.itemId = e.itemId as string;
  if (e.size !== undefined) event.size = e.size as string;
  if (e.fit !== undefined) event.fit = e.fit as Fit;
  if (e.rating !== undefined) event.rating = e.rating as number;
  if (e.value !== undefined) event.value = e.value as number;
  if (e.occasion !== undefined) event.occasion = e.occasion as string;
  if (e.context !== undefined) {
    const ctx = validateContext(e.context);
    if ('code' in ctx) return ctx;
    event.context = ctx;
  }
  return event;
}

function validateContext(raw: unknown): NonNullable<VitrineEvent['context']> | EventRejection {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return reject('VITRINE_EVENT_INVALID', 'context must be an object');
  }
  const c = raw as Record<string, unknown>;
  const out: NonNullable<VitrineEvent['context']> = {};
  for (const key in c) {
    if (!CONTEXT_FIELDS.has(key)) return reject('VITRINE_EVENT_UNKNOWN_FIELD', `unknown field "context.${key}"`);
    const v = c[key];
    if (key === 'position') {
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
        return reject('VITRINE_EVENT_INVALID', 'context.position must be a non-negative integer');
      }
      out.position = v;
    } else {
      if (!isValidId(v)) return reject('VITRINE_EVENT_BAD_ID', `context.${key} must be 1-128 characters of [A-Za-z0-9._:@-]`);
      (out as Record<string, unknown>)[key] = v;
    }
  }
  return out;
}

/** Narrows a validation result. */
export function isRejection(result: VitrineEvent | EventRejection): result is EventRejection {
  return 'code' in result;
}
