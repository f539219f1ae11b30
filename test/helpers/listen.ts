/** Makes a test app listen on 127.0.0.1 at a free port, for tests that talk real HTTP. */
import type { TestApp } from './app.ts';

/** Starts listening and returns the base URL, e.g. http://127.0.0.1:40123. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  if (!address || typeof address !== 'object') throw new Error('the app is not listening on a TCP port');
  return `http://127.0.0.1:${address.port}`;
}
