/**
 * The client's HTTP layer: URL and headers, JSON in and out, time limits, error mapping. Only the
 * global `fetch` (or one passed in) is used, so the same code runs in Node and in a browser.
 */
import { apiErrorFrom } from './errors.ts';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface VitrineClientOptions {
  /** e.g. `http://127.0.0.1:8080`; empty (the default) means same-origin relative URLs, for browsers */
  baseUrl?: string;
  /** sent as `Authorization: Bearer <apiKey>` */
  apiKey?: string;
  /** a fetch implementation; defaults to the global one */
  fetch?: FetchLike;
  /** default time limit per request in ms, body included (default 10 000; 0 = none) */
  timeoutMs?: number;
  /** extra headers on every request */
  headers?: Record<string, string>;
}

/** Per-call options every method accepts last. */
export interface RequestOptions {
  /** aborts the request (the promise rejects with the signal's reason) */
  signal?: AbortSignal;
  /** time limit for this call in ms (0 = none); rejects with a DOMException named TimeoutError */
  timeoutMs?: number;
}

export type QueryValue = string | number | boolean | undefined;

export interface Call {
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** 'text' for non-JSON endpoints (/metrics) */
  as?: 'json' | 'text';
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** `/v1/items/${id}` with every segment value URL-encoded. */
export function path(strings: TemplateStringsArray, ...values: string[]): string {
  return strings.reduce((out, s, k) => out + s + (k < values.length ? encodeURIComponent(values[k]) : ''), '');
}

/** One signal that fires on the caller's abort or on the time limit, and a cleanup for both. */
function deadline(signal: AbortSignal | undefined, timeoutMs: number): { signal?: AbortSignal; done: () => void } {
  if (!signal && timeoutMs <= 0) return { done: () => {} };
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const timer = timeoutMs > 0
    ? setTimeout(() => controller.abort(new DOMException(`request timed out after ${timeoutMs} ms`, 'TimeoutError')), timeoutMs)
    : undefined;
  return {
    signal: controller.signal,
    done: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

async function readBody(res: Response, as: 'json' | 'text'): Promise<unknown> {
  const text = await res.text();
  if (as === 'text') return text;
  if (text === '') return undefined;
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text; // a truncated or non-JSON body: the caller reports it
  }
}

/** Sends calls to one Vitrine server. */
export class Transport {
  readonly baseUrl: string;
  readonly #options: VitrineClientOptions;
  readonly #fetch: FetchLike;

  constructor(options: VitrineClientOptions = {}) {
    this.#options = options;
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    // the global fetch must be called unbound from an object in browsers ("Illegal invocation")
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** The full URL of a path and query (undefined query values are left out). */
  url(pathname: string, query?: Record<string, QueryValue>): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return `${this.baseUrl}${pathname}${qs ? `?${qs}` : ''}`;
  }

  /** Sends one call; resolves with the parsed body of a 2xx, rejects with VitrineApiError otherwise. */
  async send<T>(call: Call, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: call.as === 'text' ? 'text/plain' : 'application/json', ...this.#options.headers };
    if (this.#options.apiKey) headers.authorization = `Bearer ${this.#options.apiKey}`;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const limit = deadline(options.signal, timeoutMs);
    try {
      const res = await this.#fetch(this.url(call.path, call.query), {
        method: call.method, headers, signal: limit.signal,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
      });
      const body = await readBody(res, res.ok ? call.as ?? 'json' : 'json');
      if (!res.ok) throw apiErrorFrom(res.status, body, `${call.method} ${call.path}`);
      return body as T;
    } finally {
      limit.done();
    }
  }
}
