/** Schemas shared by routes: ids, the error envelope. They validate requests and generate /openapi.json. */
import { Type } from '@sinclair/typebox';
import { ID_PATTERN } from '../ids.ts';

export const Id = Type.String({ pattern: ID_PATTERN, description: '1-128 characters of [A-Za-z0-9._:@-]' });

/** Free text: any character but U+0000, which a PostgreSQL text column cannot hold (both stores take the same input). */
export const TEXT_PATTERN = '^[^\\u0000]*$';

/**
 * A timestamp: ISO-8601 string or epoch milliseconds. The number comes first: with type coercion on,
 * a string-first union turned epoch ms into a digit string that no longer parsed as a timestamp.
 */
export const Timestamp = Type.Union([Type.Number({ minimum: 0 }), Type.String({ maxLength: 40 })]);

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
