import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { chromiumPath, ensureChromium } from '../../../scripts/ensure-chromium.ts';

/** Flags for Debian's Chromium in a container: no sandbox, no GPU, no background traffic. */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots go (gitignored test artifacts). */
export const artifactsDir = join(import.meta.dirname, '..', '..', '..', 'test-results', 'e2e');

/** Launches Chromium, installing it first if this machine has none. */
export async function launchBrowser(): Promise<Browser> {
  ensureChromium();
  await mkdir(artifactsDir, { recursive: true });
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

/** Saves a full-page screenshot under test-results/e2e/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** What Chromium logs for a request made while a test has the context offline. */
const offlineRequest = 'net::ERR_INTERNET_DISCONNECTED';

/**
 * Collects the page's console errors and uncaught exceptions, so a test can assert the
 * app ran cleanly (React and urql report problems there). Requests failing while the
 * test holds the context offline are expected and left out.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().includes(offlineRequest)) {
      errors.push(`console: ${message.text()}`);
    }
  });
  return errors;
}
