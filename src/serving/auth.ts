/**
 * API keys with scopes (read, write, admin; admin implies the others). With no keys configured the
 * server runs open, which is allowed only on a loopback address (checked at start-up).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Scope, VitrineConfig } from '../core/config.ts';
import { VitrineError } from '../core/errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the scope a route needs; routes without one (health, docs) are public */
    scope?: Scope;
    /** the route needs a valid key of any scope (GET /v1/session: what a key may do) */
    identify?: boolean;
  }
  interface FastifyRequest {
    /** the scopes of the request's key; null when the server runs open (no keys) or the route is public */
    keyScopes: ReadonlySet<Scope> | null;
  }
}

/**
 * True when the request's key may do what `scope` allows (admin implies every scope; an open server
 * allows all). A route that answers with stored data asks it for `read` (ADR 0003: write does not imply read).
 */
export function keyHasScope(request: FastifyRequest, scope: Scope): boolean {
  const scopes = request.keyScopes;
  return scopes === null || scopes.has(scope) || scopes.has('admin');
}

/** True when `host` only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '[::1]';
}

/** Throws VITRINE_CONFIG_UNSAFE_BIND when the server would be open to the network. */
export function assertSafeBind(config: Readonly<VitrineConfig>): void {
  if (config.auth.keys.length === 0 && !isLoopbackHost(config.server.host)) {
    throw new VitrineError('VITRINE_CONFIG_UNSAFE_BIND',
      `refusing to listen on ${config.server.host} without API keys: set auth.keys (or VITRINE_API_KEYS) or bind to 127.0.0.1`);
  }
}

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

/** Adds the scope check to every route that declares `config.scope`. */
export function registerAuth(app: FastifyInstance, config: Readonly<VitrineConfig>): void {
  const keys = config.auth.keys.map((k) => ({ digest: digest(k.key), scopes: new Set<Scope>(k.scopes) }));
  app.decorateRequest('keyScopes', null);
  if (keys.length === 0) {
    app.log.warn('no API keys configured: the API is open (allowed because the server is bound to a loopback address)');
    return;
  }
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const needed = request.routeOptions.config?.scope;
    if (!needed && !request.routeOptions.config?.identify) return;
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new VitrineError('VITRINE_AUTH_MISSING_KEY');
    const given = digest(match[1]);
    const key = keys.find((k) => timingSafeEqual(k.digest, given));
    if (!key) throw new VitrineError('VITRINE_AUTH_INVALID_KEY');
    if (needed && !key.scopes.has(needed) && !key.scopes.has('admin')) {
      throw new VitrineError('VITRINE_AUTH_FORBIDDEN', `this key lacks the "${needed}" scope`);
    }
    request.keyScopes = key.scopes;
  });
}
