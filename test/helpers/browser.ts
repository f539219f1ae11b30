/** Launches Debian's Chromium through playwright-core (never a downloaded browser). */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { HANG_GUARD_MS } from './wait-for.ts';

export const CHROMIUM = '/usr/bin/chromium';

/** Why browser tests cannot run here, or undefined when they can. Under CI a missing browser is a failure. */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium package`);
  return `${CHROMIUM} not installed (apt-get install chromium) — browser test skipped`;
}

/**
 * A headless Chromium with a fresh profile; close it when done. Its waits (30 s by default, reached
 * by a launch on a loaded machine) give up only at the hang guard: a browser test asserts no speed.
 */
export async function launchBrowser(): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'vitrine-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    timeout: HANG_GUARD_MS,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(HANG_GUARD_MS);
  return context;
}
