/**
 * /metrics for member state in Redis, read when scraped: a read side's page reads (count, failures,
 * seconds spent: their mean latency is the ratio), rebuilds and epoch changes; the writer's failed
 * event writes and members waiting for repair.
 */
import { Gauge, type Registry } from 'prom-client';
import type { RedisMemberState } from './redis-member-state.ts';

export function registerRedisReadMetrics(registry: Registry, state: RedisMemberState): void {
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
  gauge('vitrine_state_redis_reads', 'Member reads from Redis (pipelined, one round trip each)', () => state.stats().reads);
  gauge('vitrine_state_redis_read_failures', 'Member reads that failed or timed out (the page fell back to a cold start)', () => state.stats().readFailures);
  gauge('vitrine_state_redis_read_seconds_sum', 'Seconds spent in member reads (÷ reads = mean Redis latency)', () => state.stats().readMsTotal / 1000);
  gauge('vitrine_state_redis_rebuilds', 'Members rebuilt from the store (missing in Redis, or of another epoch)', () => state.stats().rebuilds);
  gauge('vitrine_state_redis_epoch_changes', 'Times Redis was found with a new epoch (it came back empty)', () => state.stats().epochChanges);
}

export function registerRedisWriterMetrics(registry: Registry, state: RedisMemberState): void {
  new Gauge({
    name: 'vitrine_state_redis_write_failures', help: 'Event and profile writes to Redis that failed (the member is rebuilt once Redis answers)',
    registers: [registry], collect() { this.set(state.stats().applyFailures); },
  });
  new Gauge({
    name: 'vitrine_state_redis_repairs_pending', help: 'Members whose Redis state waits to be dropped and rebuilt after a failed write',
    registers: [registry], collect() { this.set(state.stats().dirty); },
  });
}
