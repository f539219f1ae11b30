/**
 * `vitrine serve` start-up failures (issue 20): each ends the process with exit code 1 and one stderr
 * line `error VITRINE_…: …`, never a stack trace nor a process that stays up. The real CLI runs as a
 * child process; a run still alive after the limit is killed and fails its test.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { VITRINE_ENTRY } from '../src/cli/vitrine-entry.ts';
import { HANG_GUARD_MS } from './helpers/wait-for.ts';

// the installed command: registers tsx itself and runs src/cli/main.ts (`--import tsx` would resolve from the cwd).
// One case runs it; the others run VITRINE_ENTRY, the same CLI compiled under `npm test` (the installed
// command under tsx), which starts for ~0.25 CPU-s instead of ~0.9 (docs/development.md § Test time)
const BIN = fileURLToPath(new URL('../bin/vitrine.js', import.meta.url));
// a hang guard far above any start-up, even on a loaded machine: reaching it means the process did not exit on its own
const EXIT_LIMIT_MS = HANG_GUARD_MS;

interface Run {
  code: number | null;
  stderrLines: string[];
}

/** Runs `vitrine serve ARGS` in `cwd` with no VITRINE_* variables (and so no keys) and waits for it to exit. */
async function serve(cwd: string, args: string[], entry = VITRINE_ENTRY): Promise<Run> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITRINE_')) env[k] = v;
  env.VITRINE_LOG_LEVEL = 'error';
  const child = spawn(process.execPath, [entry, 'serve', ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const killer = setTimeout(() => child.kill('SIGKILL'), EXIT_LIMIT_MS);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(killer);
  return { code, stderrLines: stderr.split('\n').filter((l) => l.trim() !== '') };
}

/** Asserts the single `error CODE: …` line and exit code 1. */
function assertOneLineError(run: Run, code: string, mentions: string): void {
  assert.equal(run.code, 1, `exit code (null = killed after ${EXIT_LIMIT_MS} ms: the process never exited)\n${run.stderrLines.join('\n')}`);
  assert.equal(run.stderrLines.length, 1, `one stderr line, got:\n${run.stderrLines.join('\n')}`);
  assert.match(run.stderrLines[0], new RegExp(`^error ${code}: `));
  assert.ok(run.stderrLines[0].includes(mentions), run.stderrLines[0]);
}

describe('vitrine serve start-up errors', { concurrency: true }, () => {
  const root = mkdtempSync(join(tmpdir(), 'vitrine-startup-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const dir = (name: string): string => {
    const d = join(root, name);
    mkdirSync(d, { recursive: true });
    return d;
  };

  it('refuses a non-loopback bind without keys, and exits (the installed bin/vitrine.js)', async () => {
    const data = dir('unsafe');
    assertOneLineError(await serve(data, ['--data', data, '--host', '0.0.0.0', '--port', '0'], BIN), 'VITRINE_CONFIG_UNSAFE_BIND', '0.0.0.0');
  });

  it('names a port in use instead of a stack trace', async () => {
    const holder = createServer();
    holder.listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const { port } = holder.address() as AddressInfo;
    try {
      const data = dir('in-use');
      assertOneLineError(await serve(data, ['--data', data, '--port', String(port)]), 'VITRINE_SERVER_PORT_IN_USE', `127.0.0.1:${port}`);
    } finally {
      holder.close();
    }
  });

  it('refuses a store path that is a directory', async () => {
    const data = dir('store-dir');
    const storeDir = dir('store-dir/vitrine.db');
    assertOneLineError(await serve(data, ['--data', data, '--store', `sqlite:${storeDir}`, '--port', '0']), 'VITRINE_STORE_UNAVAILABLE', storeDir);
  });

  it('refuses a corrupt store file', async () => {
    const data = dir('corrupt');
    const file = join(data, 'vitrine.db');
    writeFileSync(file, Buffer.alloc(64 * 1024, 0x5a));
    assertOneLineError(await serve(data, ['--data', data, '--port', '0']), 'VITRINE_STORE_UNAVAILABLE', file);
  });

  it('a vitrine.toml that does not parse is one line too (the parser\'s excerpt joined)', async () => {
    const data = dir('bad-toml');
    writeFileSync(join(data, 'vitrine.toml'), '[server]\nport = = 8080\n');
    assertOneLineError(await serve(data, ['--data', data, '--port', '0']), 'VITRINE_CONFIG_INVALID', 'vitrine.toml');
  });

  it('refuses a store whose directory cannot be made (a file is in the way)', async () => {
    const data = dir('blocked');
    const blocker = join(data, 'not-a-dir');
    writeFileSync(blocker, 'x');
    assertOneLineError(await serve(data, ['--data', data, '--store', `sqlite:${blocker}/vitrine.db`, '--port', '0']), 'VITRINE_STORE_UNAVAILABLE', blocker);
  });

  it('refuses a store in a directory it cannot read', { skip: process.getuid?.() === 0 ? 'root reads every directory' : false }, async () => {
    const data = dir('unreadable');
    const locked = dir('unreadable/locked');
    chmodSync(locked, 0o000);
    try {
      assertOneLineError(await serve(data, ['--data', data, '--store', `sqlite:${locked}/vitrine.db`, '--port', '0']), 'VITRINE_STORE_UNAVAILABLE', locked);
    } finally {
      chmodSync(locked, 0o700);
    }
  });
});
