/**
 * A real browser for the console's tests and screenshots: Debian's chromium (installed by
 * scripts/ensure-setup.mjs) driven by playwright-core, which downloads no browser of its own.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: run node scripts/ensure-setup.mjs (it installs Debian's chromium) or set CHROMIUM_PATH`);
  // as root (CI containers) Chromium refuses its sandbox
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: root ? ['--no-sandbox'] : [] });
}
