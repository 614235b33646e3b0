// Alerts in the app: a data folder whose campaign answered half as often yesterday as on the four weekdays before
// shows a badge on Campaigns and one line saying what moved, from what to what; "Show the calls" opens the Calls
// view with that account, campaign and day set; "Dismiss" hides it for good (a reload keeps it hidden).
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CdrWriter } from '../../electron/data/db/cdrs.ts';
import { seededRng } from '../../electron/data/providers/simulation/random.ts';
import { dayInZone } from '../../electron/data/time/relative-day.ts';
import { zonedToEpochMs } from '../../electron/data/time/zone.ts';
import { openWorkspace } from '../../electron/data/workspace.ts';
import type { NormalizedCdr } from '../../electron/shared/cdr.ts';
import { makeCdr } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { runCliOk } from '../helpers/run-cli.ts';
import { ensureRendererBuilt, launchChromium, ROOT, screenshot, startPreview, openPage, type Preview } from './harness.ts';

const ZONE = 'Europe/Bucharest';
const ACCOUNT = 'Bucharest PBX';
const CAMPAIGN = 'Recuperări';
let dataDir: string;
let preview: Preview;
let browser: Browser;
let page: Page;
let yesterday: string;

function callsOn(date: string, campaign: string, rate: number, seed: number): NormalizedCdr[] {
  const r = seededRng(seed);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const start = zonedToEpochMs(ZONE, { year: y, month: m, day: d, hour: 8, minute: 0, second: 0 });
  return Array.from({ length: 200 }, (_, i) => {
    const answered = r.next() < rate;
    return makeCdr({ callId: `${campaign}-${date}-${i}`, campaign, status: answered ? 'answered' : 'no_answer', startedAt: start + r.int(0, 36_000) * 1000, billSec: answered ? r.int(30, 150) : 0 });
  });
}

const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
const badge = () => page.getByTestId('alerts-badge');

describe('alerts in the app', () => {
  beforeAll(async () => {
    ensureRendererBuilt();
    isolatedKeyFile();
    dataDir = join(tempDir('cdr-desk-e2e-alerts-'), 'data');
    const ws = openWorkspace(dataDir);
    const a = await ws.accounts.add({ name: ACCOUNT, provider: 'pbx-cdr', baseUrl: 'http://127.0.0.1:9', timezone: ZONE, secrets: { token: 't', apiKey: 'k' } });
    const writer = new CdrWriter(ws.db);
    yesterday = dayInZone(ZONE, Date.now(), 1);
    let seed = 1;
    for (const back of [0, 7, 14, 21, 28]) {
      const date = shift(yesterday, back);
      writer.write(a.id, callsOn(date, CAMPAIGN, back === 0 ? 0.2 : 0.55, seed++));
      writer.write(a.id, callsOn(date, 'Sondaj', 0.4, seed++));
    }
    ws.close();
    preview = await startPreview(dataDir, { ...process.env });
    browser = await launchChromium();
    page = await openPage(browser, preview.url, { width: 1366, height: 800 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
  });

  it('shows a badge on Campaigns and says what moved, from what to what', async () => {
    await expect.poll(() => badge().textContent(), { timeout: 15_000 }).toBe('1');
    await page.click('nav button[data-view="campaigns"]');
    const items = page.locator('[data-testid="alerts"] li');
    await expect.poll(() => items.count()).toBe(1);
    const text = (await items.first().textContent()) ?? '';
    expect(text).toMatch(new RegExp(`^${CAMPAIGN} \\(${ACCOUNT}\\), .+: answer rate down from \\d+(\\.\\d)?% to \\d+(\\.\\d)?%`));
    expect(await items.first().getAttribute('data-kpi')).toBe('answerRate');
    await screenshot(page, '19-alerts');
  });

  it('"Show the calls" opens the Calls view with that account, campaign and day', async () => {
    await page.getByTestId('alert-calls').click();
    const expected = (JSON.parse(runCliOk(['--data-dir', dataDir, 'search', '--account', ACCOUNT,
      '--campaign', CAMPAIGN, '--from', yesterday, '--to', yesterday, '--limit', '1', '--json'])) as { total: number }).total;
    expect(expected).toBe(200);
    await expect.poll(async () => Number(((await page.getByTestId('total').textContent()) ?? '').replace(/\D/g, '')), { timeout: 10_000 }).toBe(expected);
  });

  it('"Dismiss" hides the alert and the badge, also after a reload', async () => {
    await page.click('nav button[data-view="campaigns"]');
    await page.getByTestId('alert-dismiss').click();
    await expect.poll(() => page.locator('[data-testid="alerts"]').count()).toBe(0);
    expect(await badge().count()).toBe(0);
    await page.reload();
    await page.waitForTimeout(1000);
    expect(await badge().count()).toBe(0);
  });
});
