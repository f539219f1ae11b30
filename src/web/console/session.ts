/** The API client the console uses, with the key the user gave (kept for the tab's life only). */
import { VitrineApiError, VitrineClient, type Session } from '../../client/index.ts';

const KEY_STORE = 'vitrine.apiKey';

export type Scope = Session['scopes'][number];

export interface Connection {
  client: VitrineClient;
  session: Session;
}

/** The key remembered for this browser tab, if any. */
export function rememberedKey(): string | undefined {
  return sessionStorage.getItem(KEY_STORE) ?? undefined;
}

/**
 * Asks the server what `apiKey` may do. Resolves undefined when a key is needed (none given),
 * throws the API error when the key is wrong.
 */
export async function connect(apiKey: string | undefined): Promise<Connection | undefined> {
  const client = new VitrineClient(apiKey ? { apiKey } : {});
  try {
    const session = await client.ops.session();
    if (apiKey) sessionStorage.setItem(KEY_STORE, apiKey);
    return { client, session };
  } catch (err) {
    if (err instanceof VitrineApiError && err.code === 'VITRINE_AUTH_MISSING_KEY') return undefined;
    if (apiKey) sessionStorage.removeItem(KEY_STORE);
    throw err;
  }
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY_STORE);
}

export const can = (session: Session, scope: Scope): boolean => session.scopes.includes(scope);

/** A short, human message for any error the client throws. */
export function describeError(err: unknown): string {
  if (err instanceof VitrineApiError) return `${err.message} (${err.code})`;
  return err instanceof Error ? err.message : String(err);
}
