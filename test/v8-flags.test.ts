import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG } from '../src/core/config.ts';
import { applyServingV8Flags, servingV8Flags } from '../src/serving/v8-flags.ts';

describe('serving V8 flags (ADR 0012, ADR 0015)', () => {
  it('the defaults cap heap growth at 50% and turn allocation-site pretenuring off', () => {
    assert.deepEqual(servingV8Flags(DEFAULT_CONFIG.serving), ['--heap-growing-percent=50', '--no-allocation-site-pretenuring']);
  });

  it('V8\'s own behaviour sets no flag: growth 0 and pretenuring on', () => {
    assert.deepEqual(servingV8Flags({ heapGrowthPercent: 0, allocationSitePretenuring: true }), []);
    const set: string[] = [];
    applyServingV8Flags({ heapGrowthPercent: 0, allocationSitePretenuring: true }, (f) => set.push(f));
    assert.deepEqual(set, []);
  });

  it('every flag it makes is one this V8 knows (an unknown flag is reported, not ignored silently)', () => {
    // node rejects an unknown V8 option on its command line: "bad option"
    const flags = servingV8Flags({ heapGrowthPercent: 50, allocationSitePretenuring: false });
    const run = spawnSync(process.execPath, [...flags, '-e', '0'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const bogus = spawnSync(process.execPath, ['--no-allocation-site-pretenuringx', '-e', '0'], { encoding: 'utf8' });
    assert.notEqual(bogus.status, 0, 'node accepted an unknown V8 flag: this test could not tell a typo');
  });
});
