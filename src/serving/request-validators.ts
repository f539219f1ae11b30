/**
 * Request validators: query strings, path params and headers are text, so Ajv coerces them
 * (`?limit=20` → 20); a JSON body carries its own types and is never coerced. Coercing bodies turned
 * a member's `{"heightCm": 170}` into the string "170" (the attribute union tries `string` first, and
 * Ajv's coercion rewrites the value in place) and `true` into "true".
 *
 * Compiled validators are shared by every app of the process: Ajv compiling the routes' schemas was
 * most of what building an app cost (a test process builds many; docs/development.md § Test time).
 */
import { AjvCompiler, type BuildCompilerFromPool } from '@fastify/ajv-compiler';
import { finiteNumberKeyword } from './finite-numbers.ts';

const CUSTOM_OPTIONS = { removeAdditional: false, useDefaults: true, allErrors: false } as const;

/** Fastify's `ajv` option: the options the query/params/headers validator is built with. */
export const AJV_OPTIONS = { customOptions: { ...CUSTOM_OPTIONS, coerceTypes: 'array' as const }, plugins: [finiteNumberKeyword] };

// one Ajv per set of shared schemas and options (the pools key them so), kept for the process
const TEXT_PARTS = AjvCompiler();
const BODIES = AjvCompiler();
type Compile = ReturnType<BuildCompilerFromPool>;
const compiled = new WeakMap<Compile, Map<string, ReturnType<Compile>>>();

/** `compile`, remembering what it returned for each schema (by content: apps build their own schema objects). */
function remembering(compile: Compile): Compile {
  return (route) => {
    let seen = compiled.get(compile);
    if (!seen) compiled.set(compile, seen = new Map());
    const key = JSON.stringify(route.schema);
    let validate = seen.get(key);
    if (!validate) seen.set(key, validate = compile(route));
    return validate;
  };
}

/** Fastify's `schemaController.compilersFactory.buildValidator`: a coercing Ajv for text parts, a strict one for bodies. */
export const buildRequestValidator: BuildCompilerFromPool = (externalSchemas, options = AJV_OPTIONS) => {
  const textParts = remembering(TEXT_PARTS(externalSchemas, options));
  const strict = { ...AJV_OPTIONS, ...options, mode: undefined, customOptions: { ...AJV_OPTIONS.customOptions, ...options.customOptions, coerceTypes: false } };
  const bodies = remembering(BODIES(externalSchemas, strict));
  return (route) => (route.httpPart === 'body' ? bodies : textParts)(route);
};
