/**
 * Request validators: query strings, path params and headers are text, so Ajv coerces them
 * (`?limit=20` → 20); a JSON body carries its own types and is never coerced. Coercing bodies turned
 * a member's `{"heightCm": 170}` into the string "170" (the attribute union tries `string` first, and
 * Ajv's coercion rewrites the value in place) and `true` into "true".
 */
import { AjvCompiler, type BuildCompilerFromPool } from '@fastify/ajv-compiler';
import { finiteNumberKeyword } from './finite-numbers.ts';

const CUSTOM_OPTIONS = { removeAdditional: false, useDefaults: true, allErrors: false } as const;

/** Fastify's `ajv` option: the options the query/params/headers validator is built with. */
export const AJV_OPTIONS = { customOptions: { ...CUSTOM_OPTIONS, coerceTypes: 'array' as const }, plugins: [finiteNumberKeyword] };

/** Fastify's `schemaController.compilersFactory.buildValidator`: a coercing Ajv for text parts, a strict one for bodies. */
export const buildRequestValidator: BuildCompilerFromPool = (externalSchemas, options = AJV_OPTIONS) => {
  const textParts = AjvCompiler()(externalSchemas, options);
  const strict = { ...AJV_OPTIONS, ...options, mode: undefined, customOptions: { ...AJV_OPTIONS.customOptions, ...options.customOptions, coerceTypes: false } };
  const bodies = AjvCompiler()(externalSchemas, strict);
  return (route) => (route.httpPart === 'body' ? bodies : textParts)(route);
};
