/** State URLs (storage/redis/redis-client.ts): the Redis forms parse, anything else is a typed error. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configFromEnv, resolveConfig } from '../src/core/config.ts';
import { VitrineError } from '../src/core/errors.ts';
import { sharedState } from '../src/serving/online/open-online-state.ts';
import { parseRedisUrl } from '../src/storage/redis/redis-client.ts';

describe('state URLs', () => {
  it('parses one server, with credentials and a database', () => {
    assert.deepEqual(parseRedisUrl('redis://127.0.0.1:6380'), { cluster: false, nodes: [{ host: '127.0.0.1', port: 6380 }], tls: false });
    assert.deepEqual(parseRedisUrl('rediss://app:s%40cret@cache.internal:6379/2'),
      { cluster: false, nodes: [{ host: 'cache.internal', port: 6379 }], tls: true, username: 'app', password: 's@cret', db: 2 });
    assert.deepEqual(parseRedisUrl('redis://:pw@h').nodes, [{ host: 'h', port: 6379 }], 'the default port');
  });

  it('parses a cluster\'s seed nodes', () => {
    assert.deepEqual(parseRedisUrl('redis+cluster://10.0.0.1:7000,10.0.0.2:7001,[::1]:7002'), {
      cluster: true, tls: false, nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7001 }, { host: '::1', port: 7002 }],
    });
  });

  it('refuses other schemes, bad ports and several servers without +cluster', () => {
    for (const bad of ['postgres://h/db', 'redis://h:0', 'redis://h:70000', 'redis://a:1,b:2', 'memcached://h:11211']) {
      assert.throws(() => parseRedisUrl(bad), (err: unknown) => err instanceof VitrineError && err.code === 'VITRINE_STATE_UNKNOWN_SCHEME', bad);
    }
  });

  it('keeps member state in process by default, and with "memory"; VITRINE_STATE moves it', () => {
    assert.equal(sharedState(resolveConfig()), false);
    assert.equal(sharedState(resolveConfig({ state: { url: 'memory' } })), false);
    assert.equal(sharedState(resolveConfig({ state: { url: 'redis://h:6379' } })), true);
    assert.equal(resolveConfig(configFromEnv({ VITRINE_STATE: 'redis+cluster://a:1,b:2' })).state.url, 'redis+cluster://a:1,b:2');
  });
});
