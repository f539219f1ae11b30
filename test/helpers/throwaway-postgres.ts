/**
 * Throwaway PostgreSQL databases for tests: created through VITRINE_TEST_PG (default the local
 * server's `postgres` database) as `vitrine_test_<random>_<suffix>`, dropped when the file's tests
 * end. Without a reachable server, `skip` holds the message to skip with — unless CI=true, where
 * loading this module fails (docs/development.md § Services).
 */
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';

export const ADMIN_URL = process.env.VITRINE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RUN = `vitrine_test_${randomBytes(4).toString('hex')}`;

/** A connection to the admin database, for what tests do beside the store (kill a backend, CREATE DATABASE). */
export const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
const reachable = await admin.connect().then(() => true, (err: Error) => {
  if (process.env.CI === 'true') throw new Error(`PostgreSQL is not reachable at ${ADMIN_URL} and CI=true: ${err.message}`);
  return false;
});

/** false when the server answers; else why the tests skip. */
export const skip: false | string = reachable ? false : `PostgreSQL is not reachable at ${ADMIN_URL} (docs/development.md § Services): skipped`;

const created: string[] = [];

/** A fresh, empty database for this run; its URL. */
export async function throwawayDatabase(suffix: string): Promise<string> {
  const name = `${RUN}_${suffix}`;
  await admin.query(`CREATE DATABASE ${name}`);
  created.push(name);
  return databaseUrl(name);
}

/** The URL of database `name` on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A database name no test creates. */
export const MISSING_DATABASE = `${RUN}_never_created`;

after(async () => {
  if (!reachable) return;
  for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});
