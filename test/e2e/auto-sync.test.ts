// Automatic sync in the app: an account set to sync every 15 minutes that never synced is synced by the data host
// as the app starts (against a simulator on 127.0.0.1), and its card shows the interval control and a quiet status
// line with the next run and the last run's verdict; choosing another interval is saved and the line follows.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPbxCdrSimulator } from '../../electron/data/providers/pbx-cdr/simulator.ts';
import type { RunningSimulator } from '../../electron/data/providers/simulation/types.ts';
import { openWorkspace } from '../../electron/data/workspace.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { ensureRendererBuilt, launchChromium, screenshot, startPreview, openPage, type Preview } from './harness.ts';

const ACCOUNT = 'Bucharest PBX';
let sim: RunningSimulator;
let dataDir: string;
let preview: Preview;
let browser: Browser;
let page: Page;

describe('automatic sync in the app', () => {
  beforeAll(async () => {
    ensureRendererBuilt();
    isolatedKeyFile();
    sim = await startPbxCdrSimulator({ seed: 23, calls: 150 });
    dataDir = join(tempDir('cdr-desk-e2e-autosync-'), 'data');
    const ws = openWorkspace(dataDir);
    await ws.accounts.add({ name: ACCOUNT, provider: sim.provider, baseUrl: sim.baseUrl, timezone: sim.timezone, secrets: sim.secrets, autoSync: '15m' });
    ws.close();
    preview = await startPreview(dataDir, { ...process.env });
    browser = await launchChromium();
    page = await openPage(browser, preview.url, { width: 1366, height: 800 });
    await page.click('nav button[data-view="accounts"]');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
    await sim?.close();
  });

  const card = () => page.locator(`[data-account-card="${ACCOUNT}"]`);
  const line = () => card().getByTestId('auto-sync-status');
  type Listed = { autoSync: string; lastVerdict: { status: string } | null };
  const listed = () => page.evaluate(async () => (await (globalThis as unknown as { api: { accounts: { list(): Promise<Listed[]> } } }).api.accounts.list())[0]!);
  const lastVerdict = async () => (await listed()).lastVerdict?.status;

  it('syncs the due account at start and shows the interval and the next and last run with its verdict', async () => {
    expect(await card().getByTestId('auto-sync-interval').inputValue()).toBe('15m');
    // The verdict the sync's own check gave (pbx-cdr's simulator may or may not report counts to check against).
    await expect.poll(() => line().getAttribute('data-verdict'), { timeout: 30_000 }).toMatch(/^(complete|unverified)$/);
    const verdict = await line().getAttribute('data-verdict');
    expect(verdict).toBe(await lastVerdict());
    await expect.poll(() => line().textContent()).toMatch(new RegExp(`^\\s*Next: .+\\s*· last: .+, ${verdict}\\s*$`));
    expect(await card().textContent()).toContain('150 calls');
    await screenshot(page, '19-auto-sync');
  });

  it('saves another interval, a daily time included, and the status line follows', async () => {
    await card().getByTestId('auto-sync-interval').selectOption('daily');
    const time = card().getByTestId('auto-sync-time');
    await expect.poll(() => time.count()).toBe(1);
    await time.fill('06:45');
    await time.dispatchEvent('change');
    await expect.poll(async () => (await listed()).autoSync).toBe('daily@06:45');
    await expect.poll(() => line().textContent()).toMatch(new RegExp(`^\\s*Next: .+\\s*· last: .+, ${await lastVerdict()}\\s*$`));
    await card().getByTestId('auto-sync-interval').selectOption('off');
    await expect.poll(() => line().count()).toBe(0);
  });
});
