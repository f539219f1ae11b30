// The soak's capacity search (bench/capacity-search.ts) and stability rule (bench/soak-report.ts), on a
// fake server whose capacity is known: it answers every rate up to 537/s with p99 rising towards 220 ms,
// and above that its open-loop queue grows (p99 seconds, fewer answered than offered).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeStep, nextRate, searchCapacity, type ProbeResult } from '../bench/capacity-search.ts';
import { p99Stability, type SoakResult, soakTargets } from '../bench/soak-report.ts';

const TRUE_CAPACITY = 537;
const bounds = { p99BoundMs: 250, minAchievedShare: 0.95 };

function fakeServer(capacity = TRUE_CAPACITY): { probe: (rate: number) => Promise<ProbeResult>; offered: number[] } {
  const offered: number[] = [];
  const probe = async (rate: number): Promise<ProbeResult> => {
    offered.push(rate);
    if (rate <= capacity) return { achievedPerSecond: rate, p99Ms: 20 + 200 * (rate / capacity) };
    // 20 s at (rate − capacity) too many a second: the backlog drains after the step
    const backlogSeconds = (20 * (rate - capacity)) / capacity;
    return { achievedPerSecond: (rate * 20) / (20 + backlogSeconds), p99Ms: 1000 * backlogSeconds };
  };
  return { probe, offered };
}

describe('capacity search', () => {
  it('grows ×1.2 from the start rate, then bisects to the highest rate that holds', async () => {
    const server = fakeServer();
    const found = await searchCapacity({ probe: server.probe, startRate: 100, growth: 1.2, precision: 0.05, maxSteps: 20, ...bounds });
    assert.deepEqual(server.offered, [100, 120, 144, 173, 208, 250, 300, 360, 432, 518, 622, 570, 544, 531]);
    assert.equal(found.capacity, 531);
    assert.equal(found.lowestFailed, 544);
    assert.equal(found.converged, true);
    assert.deepEqual(found.steps.map((s) => s.held), [...Array(10).fill(true), false, false, false, true]);
  });

  it('comes down from a start above capacity', async () => {
    const server = fakeServer();
    const found = await searchCapacity({ probe: server.probe, startRate: 1000, growth: 1.2, precision: 0.05, maxSteps: 20, ...bounds });
    assert.deepEqual(server.offered.slice(0, 5), [1000, 833, 694, 578, 481]);
    assert.ok(found.converged);
    assert.ok(found.capacity <= TRUE_CAPACITY && found.capacity >= TRUE_CAPACITY * 0.95, `${found.capacity}`);
    assert.ok(found.lowestFailed > TRUE_CAPACITY);
  });

  it('says it did not converge when the steps run out', async () => {
    const found = await searchCapacity({ probe: fakeServer().probe, startRate: 100, growth: 1.2, precision: 0.05, maxSteps: 4, ...bounds });
    assert.equal(found.steps.length, 4);
    assert.equal(found.capacity, 173);
    assert.equal(found.lowestFailed, Infinity);
    assert.equal(found.converged, false);
  });

  it('finds no capacity when nothing holds down to 1/s', async () => {
    const found = await searchCapacity({ probe: fakeServer(0.5).probe, startRate: 3, growth: 1.5, precision: 0.05, maxSteps: 20, ...bounds });
    assert.equal(found.capacity, 0);
    assert.deepEqual(found.steps.map((s) => s.rate), [3, 2, 1]);
    assert.equal(found.converged, false);
  });

  it('judges a step on the answered share, p99 and failed requests', () => {
    assert.equal(judgeStep(100, { achievedPerSecond: 99, p99Ms: 250 }, bounds).held, true);
    assert.match(judgeStep(100, { achievedPerSecond: 94, p99Ms: 10 }, bounds).why, /answered 94%/);
    assert.match(judgeStep(100, { achievedPerSecond: 100, p99Ms: 251 }, bounds).why, /p99 251 ms > 250 ms/);
    assert.equal(judgeStep(100, { achievedPerSecond: 100, p99Ms: NaN }, bounds).held, false);
    assert.match(judgeStep(100, { achievedPerSecond: 100, p99Ms: 5, failedRequests: 3 }, bounds).why, /3 request\(s\) not answered 2xx/);
  });

  it('stops bisecting when the bracket is within the precision or a whole rate apart', () => {
    assert.equal(nextRate(200, 200, 209, 1.2, 0.05), undefined);
    assert.equal(nextRate(200, 200, 211, 1.2, 0.05), 206);
    assert.equal(nextRate(3, 2, 3, 1.2, 0), undefined);
  });
});

describe('soak p99 stability', () => {
  it('flags a minute above twice the median', () => {
    const s = p99Stability([100, 120, 110, 250, 105, 115]);
    assert.equal(s.median, 115);
    assert.equal(s.worst, 250);
    assert.equal(s.spreadMet, false);
  });

  it('flags an upward trend that stays within the spread', () => {
    // every minute ≤ 2 × the median (170), but the last three are 1.8 × the first three
    const s = p99Stability([100, 100, 100, 170, 170, 180, 180, 180]);
    assert.equal(s.spreadMet, true);
    assert.equal(s.first3, 100);
    assert.equal(s.last3, 180);
    assert.equal(s.trendMet, false);
  });

  it('holds for a flat run, and leaves the trend unjudged under six minutes', () => {
    assert.deepEqual(p99Stability([140, 150, 160, 150, 145, 155, 150, 148, 152]).trendMet, true);
    const short = p99Stability([140]);
    assert.equal(short.spreadMet, true);
    assert.equal(short.trendMet, null);
    assert.equal(p99Stability([]).spreadMet, null);
  });
});

describe('what the soak\'s load was in CPU', () => {
  // the run of record of 2026-12-07 17:06: the server at 82% of the cores at the capacity step, a median
  // 78% over the soak's minutes at a "70%" load; minute 1 (66%) is the warm-up and not counted
  const soak = (serverShares: number[], atCapacity: number, settled = true): SoakResult => ({
    rate: 665, loadShare: 0.7,
    capacity: { perSecond: 950, atCapacity: { serverCpuShare: atCapacity }, ...(settled ? { settle: { rate: 550, chunkSeconds: 30, settled: true, chunks: [] } } : {}) },
    minutes: serverShares.map((serverCpuShare, i) => ({ minute: i + 1, serverCpuShare, latencyMs: { p99: 100 }, cpuMsPerRequest: 2, non2xx: 0, errors: 0, rssMB: 800, onlineMembers: 50_000 })),
    rssMB: { afterWarmup: 800, end: 800 }, store: { growth: { logicalBytes: 0, explainedBytes: 0 } },
  }) as unknown as SoakResult;

  it('is the median minute\'s server share over the share at capacity, met within 10 points of the load', () => {
    const record = soakTargets(soak([0.66, 0.78, 0.71, 0.77, 0.81, 0.78, 0.84, 0.79, 0.82, 0.76], 0.82)).loadInCpu;
    assert.equal(record.met, false);
    assert.match(String(record.value), /^95% \(server 78% of the cores, median minute; 82% at capacity\)/);
    const asAsked = soakTargets(soak([0.5, 0.58, 0.6, 0.57], 0.82)).loadInCpu;
    assert.equal(asAsked.met, true); // 0.58 / 0.82 = 71%
    assert.match(String(asAsked.value), /^71% /);
  });

  it('leaves a fixed --rate unjudged, and a run without shares', () => {
    assert.equal(soakTargets({ ...soak([0.5, 0.5], 0.8, false), rate: 150 } as SoakResult).loadInCpu.met, null);
    assert.equal(soakTargets(soak([0.5], 0.8)).loadInCpu.met, null);
  });
});
