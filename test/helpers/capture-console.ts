/** Runs a CLI command in-process with console.log / console.error captured (restored afterwards). */
export interface Captured {
  code: number;
  out: string;
  err: string;
}

/** `capturing(runEvaluate)(argv)` → the exit code and what the command printed. */
export function capturing(command: (argv: string[]) => Promise<number>): (argv: string[]) => Promise<Captured> {
  return async (argv) => {
    const out: string[] = [];
    const err: string[] = [];
    const { log, error } = console;
    console.log = (...a: unknown[]) => { out.push(a.join(' ')); };
    console.error = (...a: unknown[]) => { err.push(a.join(' ')); };
    try {
      const code = await command(argv);
      return { code, out: out.join('\n'), err: err.join('\n') };
    } finally {
      console.log = log;
      console.error = error;
    }
  };
}
