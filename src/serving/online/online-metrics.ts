/** Gauges for /metrics: how many members' state is in memory, and the bytes their packed lists take. */
import { Gauge, type Registry } from 'prom-client';
import type { OnlineStateImpl } from './open-online-state.ts';
import { RedisMemberState } from './redis/redis-member-state.ts';
import { registerRedisReadMetrics } from './redis/redis-state-metrics.ts';

/** Registers vitrine_online_members and vitrine_online_list_bytes (or Redis's gauges), read when /metrics is scraped. */
export function registerOnlineStateMetrics(registry: Registry, online: OnlineStateImpl): void {
  if (online instanceof RedisMemberState) return registerRedisReadMetrics(registry, online);
  new Gauge({
    name: 'vitrine_online_members', help: 'Members whose online state is held in memory (serving.memberStateCap bounds it)',
    registers: [registry], collect() { this.set(online.size()); },
  });
  new Gauge({
    name: 'vitrine_online_list_bytes', help: 'Bytes of typed arrays holding members\' recent positives, item marks and sizes',
    registers: [registry], collect() { this.set(online.stats().listBytes); },
  });
}
