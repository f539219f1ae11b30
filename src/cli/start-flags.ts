/**
 * Node flags that take effect only when V8 starts (ADR 0026: `--single-threaded-gc`, which crashed a
 * page worker when set at run time and which NODE_OPTIONS refuses). `vitrine serve` runs itself again
 * in a child `node` started with them and stays as its parent. Node 20 cannot exec in place, so the
 * parent keeps out of the way:
 * - the child shares its stdio, working directory and environment;
 * - SIGINT, SIGTERM and SIGHUP reach the child once each: it runs in a process group of its own, so a
 *   terminal's Ctrl-C goes to the parent only, which passes it on (a second one would kill the server
 *   mid-shutdown);
 * - the parent ends as the child did, with its exit code or by the same signal;
 * - a parent killed outright (SIGKILL cannot be passed on) takes the child with it: the child holds a
 *   pipe from the parent and kills itself the same way when the pipe closes.
 * Tools that need the server's own pid (CPU, kill -9) read it from its "listening" log line.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Socket } from 'node:net';
import { constants } from 'node:os';

const PASSED_ON = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** the pipe from the parent, in the child (fds 0-2 are stdio) */
const PARENT_PIPE_FD = 3;
/** set in the child's environment: it was started by runWithStartFlags and holds the parent's pipe */
const CHILD_MARK = 'VITRINE_CHILD_OF_START_FLAGS';

/** The flags of `wanted` this node was not started with (exact spelling; an explicit `--no-…` of the operator's still wins). */
export function missingStartFlags(wanted: readonly string[], execArgv: readonly string[] = process.execArgv): string[] {
  return wanted.filter((flag) => !execArgv.includes(flag));
}

/**
 * Runs this process's command again in a child node started with `flags` (before this node's own, so
 * an operator's explicit flag wins); resolves with the child's exit code once it has ended, and ends
 * this process by the child's signal if a signal ended it.
 */
export async function runWithStartFlags(flags: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, [...flags, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'], detached: true, env: { ...process.env, [CHILD_MARK]: '1' },
  });
  const passOn = (signal: NodeJS.Signals) => void child.kill(signal);
  for (const signal of PASSED_ON) process.on(signal, passOn);
  try {
    const [code, signal] = await once(child, 'exit') as [number | null, NodeJS.Signals | null];
    if (signal === null) return code ?? 1;
    for (const s of PASSED_ON) process.off(s, passOn);
    process.kill(process.pid, signal);
    // reached only if something else here handles that signal: the shell's convention for "killed by"
    return 128 + (constants.signals[signal] ?? 0);
  } finally {
    for (const signal of PASSED_ON) process.off(signal, passOn);
  }
}

/** In a child started by runWithStartFlags: dies by SIGKILL when the parent is gone (no-op otherwise). */
export function dieWithStartFlagsParent(): void {
  if (process.env[CHILD_MARK] !== '1') return;
  delete process.env[CHILD_MARK];
  const pipe = new Socket({ fd: PARENT_PIPE_FD, readable: true, writable: false });
  const die = () => process.kill(process.pid, 'SIGKILL');
  pipe.on('end', die).on('close', die).on('error', die);
  pipe.resume();
  // the pipe never keeps the server up by itself
  pipe.unref();
}
