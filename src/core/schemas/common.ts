/** Schemas shared by routes: ids, the error envelope. They validate requests and generate /openapi.json. */
import { type TSchema, Type } from '@sinclair/typebox';
import { ID_PATTERN } from '../ids.ts';

export const Id = Type.String({ pattern: ID_PATTERN, description: '1-128 characters of [A-Za-z0-9._:@-]' });

/** Free text: any character but U+0000, which a PostgreSQL text column cannot hold (both stores take the same input). */
export const TEXT_PATTERN = '^[^\\u0000]*$';

/**
 * A timestamp: ISO-8601 string or epoch milliseconds. The number comes first: with type coercion on,
 * a string-first union turned epoch ms into a digit string that no longer parsed as a timestamp.
 */
export const Timestamp = Type.Union([Type.Number({ minimum: 0, exclusiveMaximum: 8.64e15 /* past a JS Date's range, as toEpochMs */ }), Type.String({ maxLength: 40 })]);

/**
 * A record (size labels, attribute keys) whose keys are 1–maxKey characters and at most maxKeys many.
 * A bare Type.Record checks no key at all (its key schema becomes the pattern "^(.*)$"), so a 1 MB
 * key was stored: Ajv checks `propertyNames`, TypeBox's compiler (batch items, importers) the key pattern.
 */
export function BoundedRecord<V extends TSchema>(maxKey: number, maxKeys: number, value: V, options: { description?: string } = {}) {
  return Type.Record(Type.String({ pattern: `^[\\s\\S]{1,${maxKey}}$` }), value, {
    ...options, additionalProperties: false, maxProperties: maxKeys, propertyNames: { minLength: 1, maxLength: maxKey },
  });
}

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'a code from the registry, VITRINE_<AREA>_<WHAT>' }),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
}, { $id: 'Error' });

/** Error responses every authenticated route may give. */
export const errorResponses = {
  400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 413: ErrorBody, 503: ErrorBody,
};

export const idParams = (name: string) => Type.Object({ [name]: Id }, { additionalProperties: false });
