// Debian's chromium, driven headless by playwright-core: used by the report's browser test
// (test/reports/report-html.e2e.test.ts) and by scripts/report-screenshot.ts. Playwright's own
// browser download needs the internet; scripts/chromium.sh installs Debian's package instead.
import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Chromium is looked for, in order; CHROMIUM_PATH first when set. */
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium executable, or undefined when none is installed. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = env.CHROMIUM_PATH ? [env.CHROMIUM_PATH, ...CHROMIUM_CANDIDATES] : CHROMIUM_CANDIDATES;
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Headless, as root (no sandbox), and quiet: without the background-networking flags Chromium
 * keeps trying to reach Google's hosts, which a machine with no outbound network refuses.
 */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    timeout: 60_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}
