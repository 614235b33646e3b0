// Time to searchable in the app (issue 20): during a first sync from a provider 150 ms away, the account card says
// how far the sync has got (calls done of the provider's count), and a search asked meanwhile through the app's
// own api already finds at least every call the card has counted (progress is reported after each commit).
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPbxCdrSimulator } from '../../electron/data/providers/pbx-cdr/simulator.ts';
import type { RunningSimulator } from '../../electron/data/providers/simulation/types.ts';
import { openWorkspace } from '../../electron/data/workspace.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { ensureRendererBuilt, launchChromium, openPage, startPreview, type Preview } from './harness.ts';

const ACCOUNT = 'Far PBX';
// 60 pages of 100 calls, 4 requests in flight, 150 ms each: a sync of some seconds.
const CALLS = 6_000;
let sim: RunningSimulator;
let preview: Preview;
let browser: Browser;
let page: Page;

describe('a first sync in the app', () => {
  beforeAll(async () => {
    ensureRendererBuilt();
    isolatedKeyFile();
    sim = await startPbxCdrSimulator({ seed: 24, calls: CALLS, latencyMs: 150 });
    const dataDir = join(tempDir('cdr-desk-e2e-progress-'), 'data');
    const ws = openWorkspace(dataDir);
    await ws.accounts.add({ name: ACCOUNT, provider: sim.provider, baseUrl: sim.baseUrl, timezone: sim.timezone, secrets: sim.secrets });
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

  it('shows how far it has got, and a search meanwhile finds every call it has counted', async () => {
    const card = page.locator(`[data-account-card="${ACCOUNT}"]`);
    await card.getByRole('button', { name: 'Sync now' }).click();
    const progress = card.getByTestId('sync-progress');
    const searched = () =>
      page.evaluate(async (account) => {
        const api = (globalThis as unknown as { api: { search: { query(r: unknown): Promise<{ total: number | null }> } } }).api;
        return (await api.search.query({ filter: { accounts: [account] }, part: 'total' })).total ?? -1;
      }, ACCOUNT);
    // Seen while the sync runs: the card's "done of total" (the provider's count), then a search.
    const seen: { done: number; found: number }[] = [];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const text = (await progress.textContent({ timeout: 100 }).catch(() => null)) ?? '';
      const m = /([\d,]+) of ([\d,]+)/.exec(text);
      if (m) {
        expect(m[2]).toBe(CALLS.toLocaleString('en-US'));
        const done = Number(m[1]!.replace(/,/g, ''));
        if (done > 0 && done < CALLS) seen.push({ done, found: await searched() });
      }
      if (seen.length >= 3 || (await card.getByTestId('last-verdict').count()) > 0) break;
      await page.waitForTimeout(50);
    }
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) expect(s.found).toBeGreaterThanOrEqual(s.done);
    // Then the sync ends: the card counts every call and a search finds them all.
    await expect.poll(() => card.getByTestId('last-verdict').count(), { timeout: 60_000 }).toBe(1);
    expect(await progress.count()).toBe(0);
    expect(await searched()).toBe(CALLS);
  }, 150_000);
});
