/** Turns every failure into `{error: {code, message, details}}` with a registered code and its status. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clip } from '../core/clip.ts';
import { type ErrorCode, VitrineError } from '../core/errors.ts';

interface ValidationIssue { keyword: string; instancePath: string; params: Record<string, unknown>; message?: string; propertyName?: string }

const INVALID_JSON_BODY = 'request body is not valid JSON, or has a key "__proto__", or a key "constructor" holding "prototype" (refused)';

/** Maps Fastify's own errors (body parsing, limits, schema validation) to registry codes. */
export function toVitrineError(err: FastifyError & { validation?: ValidationIssue[]; validationContext?: string }): VitrineError {
  if (err instanceof VitrineError) return err;
  if (err.validation) {
    const issue = err.validation[0];
    const where = clip(`${err.validationContext ?? 'body'}${issue?.instancePath ?? ''}`);
    if (issue?.keyword === 'additionalProperties') {
      return new VitrineError('VITRINE_REQUEST_UNKNOWN_FIELD', `unknown field "${where}/${clip(String(issue.params.additionalProperty))}"`);
    }
    if (issue?.propertyName !== undefined) {
      // a key of a record (size label, attribute key) out of bounds
      return new VitrineError('VITRINE_REQUEST_INVALID', `${where}: key "${clip(issue.propertyName)}" ${issue.message ?? 'is invalid'}`);
    }
    if (err.validationContext === 'params' && issue?.keyword === 'pattern') {
      return new VitrineError('VITRINE_REQUEST_BAD_ID', `${where}: an id must be 1-128 characters of [A-Za-z0-9._:@-]`);
    }
    return new VitrineError('VITRINE_REQUEST_INVALID', `${where} ${issue?.message ?? 'is invalid'}`,
      err.validation.slice(0, 5).map((v) => ({ path: clip(v.instancePath), message: v.message })));
  }
  const byFastifyCode: Record<string, ErrorCode> = {
    FST_ERR_CTP_INVALID_JSON_BODY: 'VITRINE_REQUEST_INVALID_JSON',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'VITRINE_REQUEST_INVALID_JSON',
    FST_ERR_CTP_BODY_TOO_LARGE: 'VITRINE_REQUEST_TOO_LARGE',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'VITRINE_REQUEST_UNSUPPORTED_MEDIA',
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VITRINE_REQUEST_INVALID',
  };
  const mapped = err.code ? byFastifyCode[err.code] : undefined;
  // Fastify's JSON parser gives one error for bad syntax and for the keys it refuses (prototype poisoning);
  // the router's own refusals (frameworkErrors) are a path parameter over maxParamLength and a malformed URL
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return new VitrineError('VITRINE_REQUEST_INVALID_JSON', INVALID_JSON_BODY);
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') return new VitrineError('VITRINE_REQUEST_BAD_ID', 'a path parameter is over 512 characters; an id is 1-128 characters of [A-Za-z0-9._:@-]');
  if (err.code === 'FST_ERR_BAD_URL') return new VitrineError('VITRINE_REQUEST_INVALID', 'the URL is malformed (bad percent-encoding)');
  if (mapped) return new VitrineError(mapped, mapped === 'VITRINE_REQUEST_INVALID_JSON' ? `request body is not valid JSON: ${err.message}` : undefined);
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) {
    return new VitrineError('VITRINE_REQUEST_INVALID_JSON', `request body is not valid JSON: ${err.message}`);
  }
  if (err.statusCode === 413) return new VitrineError('VITRINE_REQUEST_TOO_LARGE');
  if (err.statusCode === 415) return new VitrineError('VITRINE_REQUEST_UNSUPPORTED_MEDIA');
  return new VitrineError('VITRINE_INTERNAL_ERROR', 'internal error', undefined, { cause: err });
}

/** Fastify's `frameworkErrors` option: errors its router raises before any route or error handler runs. */
export function sendFrameworkError(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const v = toVitrineError(err);
  void reply.status(v.status).send({ error: v.toJSON() });
}

/** Installs the error and not-found handlers. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const v = toVitrineError(err);
    if (v.status >= 500) request.log.error({ err: v.code === 'VITRINE_INTERNAL_ERROR' ? err : v }, v.message);
    return reply.status(v.status).send({ error: v.toJSON() });
  });
  app.setNotFoundHandler((request, reply) => {
    const v = new VitrineError('VITRINE_ROUTE_NOT_FOUND', `no route ${request.method} ${clip(request.url)}`);
    return reply.status(404).send({ error: v.toJSON() });
  });
}
