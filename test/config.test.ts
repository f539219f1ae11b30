import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { configFromEnv, configFromToml, DEFAULT_CONFIG, resolveConfig } from '../src/core/config.ts';
import { VitrineError } from '../src/core/errors.ts';

describe('configuration', () => {
  it('the commented example config parses, validates, and states every default', () => {
    const fromExample = configFromToml(readFileSync(new URL('../vitrine.example.toml', import.meta.url), 'utf8'));
    const resolved = resolveConfig(fromExample);
    assert.deepEqual(resolved, resolveConfig(), 'the example documents the defaults, value for value');
    assert.deepEqual(Object.keys(fromExample).sort(), Object.keys(DEFAULT_CONFIG).sort(), 'every section is documented');
  });

  it('layers: defaults ← file ← environment ← flags; the store follows the data dir', () => {
    const config = resolveConfig(
      configFromToml('dataDir = "/srv/v"\n[server]\nport = 9000\n'),
      configFromEnv({ VITRINE_PORT: '9100', VITRINE_PAGE_WORKERS: '2', VITRINE_API_KEYS: 'abcdefghijklmnop:read,write;qrstuvwxyz0123456:admin' }),
      { server: { host: '::1' } },
    );
    assert.equal(config.server.port, 9100);
    assert.equal(config.serving.pageWorkers, 2);
    assert.equal(config.serving.budgetMs, DEFAULT_CONFIG.serving.budgetMs, 'the rest of [serving] keeps its defaults');
    assert.equal(config.server.host, '::1');
    assert.equal(config.store.url, 'sqlite:/srv/v/vitrine.db');
    assert.deepEqual(config.auth.keys, [
      { key: 'abcdefghijklmnop', scopes: ['read', 'write'] }, { key: 'qrstuvwxyz0123456', scopes: ['admin'] },
    ]);
  });

  it('is frozen once validated', () => {
    const config = resolveConfig();
    assert.throws(() => { (config.server as { port: number }).port = 1; }, TypeError);
  });

  it('unknown keys and bad values stop start-up with VITRINE_CONFIG_INVALID naming the problem', () => {
    const check = (over: object, pattern: RegExp) => assert.throws(() => resolveConfig(over),
      (e: unknown) => e instanceof VitrineError && e.code === 'VITRINE_CONFIG_INVALID' && pattern.test(e.message));
    check({ server: { prot: 1 } }, /server/);
    check({ server: { port: 70000 } }, /port/);
    check({ store: { synchronous: 'OFF' } }, /synchronous/);
    check({ auth: { keys: [{ key: 'short', scopes: ['read'] }] } }, /key/);
    check(configFromEnv({ VITRINE_PORT: 'eighty' }), /port/);
    check(configFromEnv({ VITRINE_PAGE_WORKERS: 'two' }), /pageWorkers/);
    check(configFromToml('[serving]\nheapGrowthPercent = 500\n'), /heapGrowthPercent/);
    check(configFromToml('[serving]\nallocationSitePretenuring = "no"\n'), /allocationSitePretenuring/);
  });
});
