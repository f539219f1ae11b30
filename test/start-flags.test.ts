/**
 * `vitrine serve` runs the server in a child node started with the flags V8 reads only at start
 * (ADR 0026, src/cli/start-flags.ts): the child has them, the parent passes SIGTERM on and exits as
 * the child did, and a kill -9 of either ends both.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { missingStartFlags } from '../src/cli/start-flags.ts';
import { DEFAULT_CONFIG } from '../src/core/config.ts';
import { servingStartFlags } from '../src/serving/v8-flags.ts';
import { startServer } from './helpers/server-process.ts';
import { waitFor } from './helpers/wait-for.ts';

const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
const parentOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
const alive = (pid: number) => {
  try {
    // a zombie (ended, not yet reaped) counts as gone
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].startsWith('Z');
  } catch {
    return false;
  }
};

describe('start flags (ADR 0026)', () => {
  it('names only the flags node was not started with', () => {
    assert.deepEqual(missingStartFlags(['--single-threaded-gc'], ['--import', 'tsx']), ['--single-threaded-gc']);
    assert.deepEqual(missingStartFlags(['--single-threaded-gc'], ['--single-threaded-gc', '--cpu-prof']), []);
    assert.deepEqual(missingStartFlags([], ['--import', 'tsx']), []);
  });

  it('serving.singleThreadedGc asks for --single-threaded-gc; off (the default) for nothing', () => {
    assert.deepEqual(servingStartFlags(DEFAULT_CONFIG.serving), []);
    assert.deepEqual(servingStartFlags({ singleThreadedGc: true }), ['--single-threaded-gc']);
  });

  describe('vitrine serve', { skip: process.platform !== 'linux' && 'reads /proc' }, () => {
    const dirs: string[] = [];
    const dataDir = () => {
      const dir = mkdtempSync(join(tmpdir(), 'vitrine-start-flags-'));
      dirs.push(dir);
      writeFileSync(join(dir, 'vitrine.toml'), '[serving]\nsingleThreadedGc = true\n');
      return dir;
    };
    after(() => {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    // kill -9 of the server itself (the parent then ends by SIGKILL) is the crash test's (durability-crash.test.ts)
    it('serves from a child started with --single-threaded-gc; SIGTERM to the parent stops both, exit 0', async () => {
      const server = await startServer({ dataDir: dataDir() });
      assert.notEqual(server.pid, server.child.pid);
      assert.equal(parentOf(server.pid), server.child.pid);
      assert.ok(cmdline(server.pid).includes('--single-threaded-gc'), cmdline(server.pid).join(' '));
      assert.ok(!cmdline(server.child.pid!).includes('--single-threaded-gc'));
      assert.equal((await fetch(new URL('/healthz', server.url))).status, 200);
      assert.equal(await server.stop(), 0);
      assert.equal(alive(server.pid), false);
    });

    it('kill -9 of the parent ends the server', async () => {
      const server = await startServer({ dataDir: dataDir() });
      server.child.kill('SIGKILL');
      assert.equal(await server.exited, 'SIGKILL');
      await waitFor(() => !alive(server.pid), 'the server to end with its parent');
    });

  });
});
