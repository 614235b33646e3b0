// One Content Security Policy, from one source (electron/shared/app-path.ts), sent only as a header by app://
// and by `cdr-desk preview`. A <meta> copy drifts, and Chromium logs an error for its frame-ancestors on every
// load; here the built app loads in Debian's Chromium with no console error or warning at all.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, ConsoleMessage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/shared/app-path.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { chromiumMissing, ensureRendererBuilt, launchChromium, ROOT, startPreview, type Preview } from './harness.ts';

let preview: Preview;
let browser: Browser;

describe.skipIf(chromiumMissing)(`the page CSP${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  beforeAll(async () => {
    ensureRendererBuilt();
    isolatedKeyFile();
    preview = await startPreview(join(tempDir('cdr-desk-csp-'), 'data'), { ...process.env });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
  });

  it('is in no HTML file, neither the source nor the build', () => {
    for (const file of ['renderer/index.html', 'dist/renderer/index.html']) {
      expect(readFileSync(join(ROOT, file), 'utf8'), file).not.toMatch(/content-security-policy/i);
    }
  });

  it('comes as the header, and the app loads with no console error or warning', async () => {
    const page = await browser.newPage();
    const messages: string[] = [];
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() === 'error' || m.type() === 'warning') messages.push(`${m.type()}: ${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (err) => messages.push(`page error: ${err.message}`));
    const response = await page.goto(preview.url);
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    // The app has drawn its navigation and asked the data layer for its first answers.
    await page.locator('nav button[data-view="settings"]').waitFor({ timeout: 20_000 });
    await page.waitForLoadState('networkidle');
    await page.click('nav button[data-view="settings"]');
    await page.click('nav button[data-view="calls"]');
    expect(messages).toEqual([]);
    // The policy holds: an inline script is refused (and says so on the console).
    await page.evaluate(`(() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.head.append(s); })()`);
    expect(await page.evaluate('window.__inline')).toBeUndefined();
    await expect.poll(() => messages.some((m) => /Content Security Policy/.test(m))).toBe(true);
    await page.close();
  });
});
