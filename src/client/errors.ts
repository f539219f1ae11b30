/** The one error the client throws for an HTTP answer that is not a success. */
import type { ErrorCode } from '../core/errors.ts';

/**
 * Set by the client (never sent by a Vitrine server) when a failed response does not carry the
 * `{error: {code, message}}` envelope, e.g. an HTML 502 from a proxy in front of the engine.
 */
export const UNEXPECTED_RESPONSE = 'VITRINE_CLIENT_UNEXPECTED_RESPONSE';

/** A registered code, or one a newer server (or the client itself) may send. */
export type ApiErrorCode = ErrorCode | typeof UNEXPECTED_RESPONSE | (string & {});

/** An HTTP 4xx/5xx from the API, with the `VITRINE_*` code and details of its error envelope. */
export class VitrineApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details?: unknown;
  /** `METHOD /path` of the request that failed, for logs. */
  readonly request: string;

  constructor(status: number, code: ApiErrorCode, message: string, details: unknown, request: string) {
    super(message);
    this.name = 'VitrineApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.request = request;
  }
}

/** The VitrineApiError for a failed response whose body is `body` (parsed JSON, text or undefined). */
export function apiErrorFrom(status: number, body: unknown, request: string): VitrineApiError {
  const envelope = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (envelope && typeof envelope.code === 'string') {
    const message = typeof envelope.message === 'string' ? envelope.message : envelope.code;
    return new VitrineApiError(status, envelope.code, message, envelope.details, request);
  }
  const text = typeof body === 'string' ? body.slice(0, 200) : undefined;
  return new VitrineApiError(status, UNEXPECTED_RESPONSE, `HTTP ${status} without a Vitrine error body from ${request}`, text, request);
}
