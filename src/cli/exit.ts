/** Turns a command's failure into a clear message and an exit code, never a stack trace for known errors. */
import { VitrineError } from '../core/errors.ts';

/**
 * Runs a command body; a VitrineError prints `error CODE: message` on one line (a multi-line message,
 * e.g. a TOML parser's excerpt, is joined) and exits 1; a usage error exits 2.
 */
export async function exitOnError(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof VitrineError) {
      console.error(`error ${err.code}: ${oneLine(err.message)}`);
      return 1;
    }
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      console.error(`usage error: ${(err as Error).message} (see --help)`);
      return 2;
    }
    throw err;
  }
}

/** The message on one line, so a log line or a supervisor's status shows all of it. */
function oneLine(message: string): string {
  return message.split('\n').map((line) => line.trim()).filter((line) => line !== '').join(' | ');
}
