/**
 * Configuration: defaults in one place, overridden by a TOML file (`vitrine.toml` or VITRINE_CONFIG),
 * then by `VITRINE_*` environment variables, then by command-line flags; validated once at start-up
 * and frozen. `vitrine.example.toml` documents every key and is parsed by a test.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { VitrineError } from './errors.ts';

const Scope = Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('admin')]);

export const ConfigSchema = Type.Object({
  dataDir: Type.String({ minLength: 1 }),
  server: Type.Object({
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    /** largest accepted request body */
    bodyLimitBytes: Type.Integer({ minimum: 1024 }),
  }, { additionalProperties: false }),
  store: Type.Object({
    /** `sqlite:PATH`; empty means `sqlite:<dataDir>/vitrine.db` */
    url: Type.String(),
    synchronous: Type.Union([Type.Literal('NORMAL'), Type.Literal('FULL')]),
    busyTimeoutMs: Type.Integer({ minimum: 0 }),
    /** 0 = unlimited */
    maxSizeBytes: Type.Integer({ minimum: 0 }),
  }, { additionalProperties: false }),
  auth: Type.Object({
    keys: Type.Array(Type.Object({
      key: Type.String({ minLength: 16 }),
      scopes: Type.Array(Scope, { minItems: 1 }),
      name: Type.Optional(Type.String()),
    }, { additionalProperties: false })),
  }, { additionalProperties: false }),
  ingest: Type.Object({
    maxBatch: Type.Integer({ minimum: 1, maximum: 1000 }),
    /** how far in the future an event's ts may be (clock skew) */
    futureToleranceMs: Type.Integer({ minimum: 0 }),
  }, { additionalProperties: false }),
  log: Type.Object({
    level: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
  }, { additionalProperties: false }),
}, { additionalProperties: false });

export type VitrineConfig = Static<typeof ConfigSchema>;
export type Scope = Static<typeof Scope>;

export const DEFAULT_CONFIG: VitrineConfig = {
  dataDir: './data',
  server: { host: '127.0.0.1', port: 8080, bodyLimitBytes: 4 * 1024 * 1024 },
  store: { url: '', synchronous: 'NORMAL', busyTimeoutMs: 5000, maxSizeBytes: 0 },
  auth: { keys: [] },
  ingest: { maxBatch: 1000, futureToleranceMs: 5 * 60_000 },
  log: { level: 'info' },
};

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };
export type ConfigOverrides = DeepPartial<VitrineConfig>;

/** Reads `VITRINE_*` variables into overrides. API keys: `VITRINE_API_KEYS="key:read,write;key2:admin"`. */
export function configFromEnv(env: NodeJS.ProcessEnv): ConfigOverrides {
  const o: ConfigOverrides = {};
  if (env.VITRINE_DATA_DIR) o.dataDir = env.VITRINE_DATA_DIR;
  if (env.VITRINE_HOST || env.VITRINE_PORT) {
    o.server = {};
    if (env.VITRINE_HOST) o.server.host = env.VITRINE_HOST;
    if (env.VITRINE_PORT) o.server.port = Number(env.VITRINE_PORT);
  }
  if (env.VITRINE_STORE) o.store = { url: env.VITRINE_STORE };
  if (env.VITRINE_LOG_LEVEL) o.log = { level: env.VITRINE_LOG_LEVEL as VitrineConfig['log']['level'] };
  if (env.VITRINE_API_KEYS) {
    o.auth = {
      keys: env.VITRINE_API_KEYS.split(';').filter(Boolean).map((entry) => {
        const [key, scopes = ''] = entry.split(':');
        return { key, scopes: scopes.split(',').filter(Boolean) as Scope[] };
      }),
    };
  }
  return o;
}

/** Reads a TOML config file into overrides. */
export function configFromToml(text: string): ConfigOverrides {
  return parseToml(text) as ConfigOverrides;
}

/** Merges overrides onto the defaults, validates, resolves derived values and freezes the result. */
export function resolveConfig(...layers: ConfigOverrides[]): Readonly<VitrineConfig> {
  const merged = layers.reduce<Record<string, unknown>>((acc, layer) => deepMerge(acc, layer as Record<string, unknown>),
    structuredClone(DEFAULT_CONFIG) as unknown as Record<string, unknown>);
  if (!Value.Check(ConfigSchema, merged)) {
    const problems = [...Value.Errors(ConfigSchema, merged)].slice(0, 10).map((e) => `${e.path || '/'}: ${e.message}`);
    throw new VitrineError('VITRINE_CONFIG_INVALID', `invalid configuration: ${problems.join('; ')}`, problems);
  }
  const config = merged as VitrineConfig;
  if (!config.store.url) config.store.url = `sqlite:${config.dataDir.replace(/\/$/, '')}/vitrine.db`;
  return deepFreeze(config);
}

/** The config for a process: defaults ← TOML file (if any) ← environment ← flags. */
export function loadConfig(flags: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Readonly<VitrineConfig> {
  const file = env.VITRINE_CONFIG ?? (existsSync('vitrine.toml') ? 'vitrine.toml' : undefined);
  if (env.VITRINE_CONFIG && !existsSync(env.VITRINE_CONFIG)) {
    throw new VitrineError('VITRINE_CONFIG_INVALID', `config file ${env.VITRINE_CONFIG} (VITRINE_CONFIG) does not exist`);
  }
  let fromFile: ConfigOverrides = {};
  if (file) {
    try {
      fromFile = configFromToml(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new VitrineError('VITRINE_CONFIG_INVALID', `cannot parse ${file}: ${(err as Error).message}`);
    }
  }
  return resolveConfig(fromFile, configFromEnv(env), flags);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(over ?? {})) {
    if (v === undefined) continue;
    const b = base[k];
    base[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
      ? deepMerge({ ...(b as Record<string, unknown>) }, v as Record<string, unknown>)
      : v;
  }
  return base;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
