// The sync's own check and the coverage calendar end to end: the built renderer in Debian's Chromium, served by a
// real `cdr-desk preview` over a data folder synced here from simulators on 127.0.0.1. A by-id account's complete
// check, a listing account's failed sync shown as incomplete, its calendar (a window synced, the rest a gap), and a
// click on a gap day that syncs that day again through the app; every day's status is checked against the CLI.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPbxCdrSimulator } from '../../electron/data/providers/pbx-cdr/simulator.ts';
import { startSarvVoiceSim } from '../../electron/data/providers/sarv-voice/simulator.ts';
import type { RunningSimulator } from '../../electron/data/providers/simulation/types.ts';
import { syncAccounts } from '../../electron/data/sync/engine.ts';
import { openWorkspace } from '../../electron/data/workspace.ts';
import type { CoverageResponse } from '../../electron/shared/coverage.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { runCliOk } from '../helpers/run-cli.ts';
import { chromiumMissing, axeViolations, ensureRendererBuilt, launchChromium, ROOT, screenshot, startPreview, openPage, type Preview } from './harness.ts';

const http = { backoffMs: 5, maxBackoffMs: 50, retries: 2 };
const GAP_DAY = '2024-10-15';

let dataDir: string;
let pbx: RunningSimulator;
let sarv: RunningSimulator;
let preview: Preview;
let browser: Browser;
let page: Page;

function coverageCli(from: string, to: string): CoverageResponse {
  const out = runCliOk(['--data-dir', dataDir, 'accounts', 'coverage', 'PBX', '--from', from, '--to', to, '--json'], {}, { cwd: ROOT });
  return JSON.parse(out) as CoverageResponse;
}

/** Each day button of the calendar shown: its day and status. */
function shownDays(): Promise<[string, string][]> {
  return page.$$eval('[data-testid="coverage"] button[data-day]', (els) => els.map((e) => [e.getAttribute('data-day')!, e.getAttribute('data-status')!] as [string, string]));
}

describe.skipIf(chromiumMissing)(`sync check and coverage calendar end to end (preview + Chromium + simulators)${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  beforeAll(async () => {
    ensureRendererBuilt();
    isolatedKeyFile();
    dataDir = join(tempDir('cdr-desk-e2e-cov-'), 'data');
    pbx = await startPbxCdrSimulator({ seed: 12, calls: 300 });
    sarv = await startSarvVoiceSim({ seed: 12, calls: 20 });
    const ws = openWorkspace(dataDir);
    try {
      for (const [name, sim] of [['PBX', pbx], ['Sarv', sarv]] as const) {
        await ws.accounts.add({ name, provider: sim.provider, baseUrl: sim.baseUrl, timezone: sim.timezone, secrets: sim.secrets });
      }
      const [ids] = await syncAccounts(ws, { accounts: ['Sarv'], ids: sarv.ids, http });
      expect(ids!.complete).toBe(true);
      // Ten days synced on their own, then a regular sync that fails: everything else it should have covered is a gap.
      const [window] = await syncAccounts(ws, { accounts: ['PBX'], from: '2024-10-01', to: '2024-10-10', http });
      expect(window!.error).toBeNull();
      pbx.faults.set({ every: { n: 1, fault: { kind: 'status', status: 500 } } }); // the provider is down
      const [failed] = await syncAccounts(ws, { accounts: ['PBX'], http });
      pbx.faults.set({});
      expect(failed!.complete).toBe(false);
    } finally {
      ws.close();
    }
    preview = await startPreview(dataDir, { ...process.env });
    browser = await launchChromium();
    page = await openPage(browser, preview.url, { width: 1366, height: 900 });
    await page.click('nav button[data-view="accounts"]');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
    await pbx?.close();
    await sarv?.close();
  });

  it("shows each account's last check", async () => {
    const sarvCard = page.locator('[data-account-card="Sarv"]');
    await expect.poll(() => sarvCard.getByTestId('last-verdict').getAttribute('data-status')).toBe('complete');
    expect((await sarvCard.getByTestId('last-verdict').textContent())!.replace(/\s+/g, ' ').trim()).toBe(
      `Last check: complete, every call stored matches what the provider reports (all ${sarv.ids.length} ids asked answered)`,
    );
    const pbxCard = page.locator('[data-account-card="PBX"]');
    expect(await pbxCard.getByTestId('last-verdict').getAttribute('data-status')).toBe('incomplete');
    expect(await pbxCard.getByTestId('last-error').textContent()).toMatch(/500/);
    // By-id accounts have no time coverage: no calendar to open.
    expect(await sarvCard.getByTestId('coverage-toggle').count()).toBe(0);
  });

  it('shows the coverage calendar: the window synced, the rest a gap, as the CLI says', async () => {
    const card = page.locator('[data-account-card="PBX"]');
    await card.getByTestId('coverage-toggle').click();
    await expect.poll(() => shownDays().then((d) => d.length)).toBe(31); // October 2024, the last month with calls
    const cli = coverageCli('2024-10-01', '2024-10-31');
    expect(await shownDays()).toEqual(cli.days.map((d) => [d.day, d.status]));
    const windowStatus = cli.days[0]!.status;
    expect(['complete', 'unverified']).toContain(windowStatus);
    expect(new Set(cli.days.slice(0, 10).map((d) => d.status))).toEqual(new Set([windowStatus]));
    expect(new Set(cli.days.slice(10).map((d) => d.status))).toEqual(new Set(['gap']));
    const title = await card.locator(`button[data-day="${GAP_DAY}"]`).getAttribute('title');
    expect(title).toMatch(/^15 Oct 2024: Gap, 0 cached calls/);
    await screenshot(page, 'coverage-01-gap');
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
  });

  it('a click on a gap day syncs that day again and the calendar shows it filled', async () => {
    const card = page.locator('[data-account-card="PBX"]');
    await card.locator(`button[data-day="${GAP_DAY}"]`).click();
    await expect.poll(() => card.locator(`button[data-day="${GAP_DAY}"]`).getAttribute('data-status'), { timeout: 30_000 }).not.toBe('gap');
    const [day] = coverageCli(GAP_DAY, GAP_DAY).days;
    expect(['complete', 'unverified']).toContain(day!.status);
    expect(day!.calls).toBeGreaterThan(0);
    expect(await card.locator(`button[data-day="${GAP_DAY}"]`).getAttribute('data-status')).toBe(day!.status);
    expect(await card.locator(`button[data-day="${GAP_DAY}"]`).getAttribute('title')).toContain(`${day!.calls} cached calls`);
    // Its neighbours are still gaps; the last check is the day's sync's.
    expect(await card.locator('button[data-day="2024-10-16"]').getAttribute('data-status')).toBe('gap');
    expect(await card.getByTestId('last-verdict').getAttribute('data-status')).toBe(day!.status);
    await screenshot(page, 'coverage-02-filled');
  });
});
