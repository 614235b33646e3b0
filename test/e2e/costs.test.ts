// Costs end to end: the demo's PBX account gets a currency and a rate card through the CLI, then the built app in
// Chromium (served by `cdr-desk preview`) must show the same figures the CLI gives: the Campaigns cost card and
// cost column, the Calls cost column and cost range filter, the account's rate card and Compare with invoice.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { runCliOk } from '../helpers/run-cli.ts';
import { chromiumMissing, ensureRendererBuilt, launchChromium, ROOT, screenshot, seedDemo, startPreview, openPage, type Preview } from './harness.ts';

const PBX = 'Demo PBX (Bucharest)';
const CARD = `prefix,per_minute,increment,connect_fee,effective_from
,0.02,60/60,0,2024-01-01
07,0.06,1/1,0.01,2024-01-01
407,0.06,1/1,0.01,2024-01-01
07,0.08,1/1,0.01,2024-10-15
`;

let dataDir: string;
let env: NodeJS.ProcessEnv;
let preview: Preview;
let browser: Browser;
let page: Page;

function cli<T>(...args: string[]): T {
  return JSON.parse(runCliOk(['--data-dir', dataDir, ...args, '--json'], env, { cwd: ROOT })) as T;
}

/** The amount in a text such as "RON 17.3837" or "17,38 RON" shown in English: its digits and point. */
const amountOf = (text: string | null) => Number((text ?? '').replace(/[^\d.]/g, ''));

type Row = { key: string | null; currency: string | null; cost: number | null; costPerAnswered: number | null };

describe.skipIf(chromiumMissing)(`costs end to end (CLI and app show the same figures)${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  beforeAll(async () => {
    ensureRendererBuilt();
    isolatedKeyFile();
    env = { ...process.env };
    dataDir = join(tempDir('cdr-desk-e2e-costs-'), 'data');
    seedDemo(dataDir, env);
    const card = join(dataDir, 'card.csv');
    writeFileSync(card, CARD);
    cli('accounts', 'edit', PBX, '--currency', 'RON');
    cli('rates', 'import', PBX, card);
    preview = await startPreview(dataDir, env);
    browser = await launchChromium();
    page = await openPage(browser, preview.url, { width: 1366, height: 860 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
  });

  it('Campaigns: the cost card and the cost column equal the CLI summary', async () => {
    const rows = cli<{ rows: Row[] }>('summary', '--by', 'campaign').rows;
    const priced = rows.filter((r) => r.currency === 'RON');
    expect(priced.length).toBeGreaterThan(2);
    const units = priced.reduce((s, r) => s + Math.round(r.cost! * 10_000), 0);
    await page.click('nav button[data-view="campaigns"]');
    const card = page.locator('.kpi[data-kpi="cost"] .value');
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);
    expect(amountOf(await card.textContent())).toBe(units / 10_000);
    expect(await card.textContent()).toContain('RON');

    const table = page.getByTestId('campaign-table');
    const shown = await table.locator('tbody tr[data-currency="RON"]').evaluateAll((trs) => trs.map((tr) => [
      tr.querySelector('th')?.textContent?.trim() ?? '',
      tr.querySelector('[data-cost="cost"]')?.textContent ?? '',
      tr.querySelector('[data-cost="costPerAnswered"]')?.textContent ?? '',
    ]));
    for (const r of priced) {
      const line = shown.find((s) => s[0] === (r.key ?? '—'));
      expect(line, String(r.key)).toBeTruthy();
      expect([amountOf(line![1]!), amountOf(line![2]!)]).toEqual([r.cost, r.costPerAnswered]);
    }
    await screenshot(page, 'costs-01-campaigns');
  });

  it('Calls: the cost range filter gives the CLI total, and the cost column shows the CLI costs', async () => {
    await page.click('nav button[data-view="calls"]');
    const total = (...f: string[]) => cli<{ total: number }>('search', '--limit', '1', ...f).total;
    await page.getByTestId('filter-min-cost').fill('0.5');
    await page.getByTestId('filter-min-cost').press('Tab');
    const expected = total('--min-cost', '0.5');
    expect(expected).toBeGreaterThan(0);
    const shownTotal = async () => Number(((await page.getByTestId('total').textContent()) ?? '').replace(/\D/g, ''));
    await expect.poll(shownTotal, { timeout: 10_000 }).toBe(expected);

    await page.locator('summary', { hasText: 'Columns' }).click();
    await page.check('input[data-column="cost"]');
    await page.locator('summary', { hasText: 'Columns' }).click();
    const top = cli<{ rows: { cost: number }[] }>('search', '--min-cost', '0.5', '--limit', '5').rows.map((r) => r.cost);
    const header = page.locator('[role="columnheader"]');
    await expect.poll(() => header.filter({ hasText: 'Cost' }).count()).toBe(1);
    const index = (await header.allTextContents()).findIndex((h) => h.trim().startsWith('Cost'));
    const cells = async () => page.$$eval('[data-testid="call-grid"] .rows [role="row"]', (rows, i) =>
      rows.map((r) => [Number(r.getAttribute('aria-rowindex')), r.children[i]?.textContent?.trim() ?? ''] as const), index);
    await expect.poll(async () => (await cells()).length).toBeGreaterThan(4);
    const ordered = (await cells()).sort((a, b) => a[0] - b[0]).slice(0, 5).map((c) => amountOf(c[1]));
    expect(ordered).toEqual(top);
    await screenshot(page, 'costs-02-calls');
    await page.getByTestId('clear-filters').click();
  });

  it('Accounts: the rate card lists the CLI rates, and Compare with invoice gives the CLI answer', async () => {
    await page.click('nav button[data-view="accounts"]');
    const account = page.locator(`[data-account-card="${PBX}"]`);
    await account.getByTestId('rate-card').locator('summary').first().click();
    await screenshot(page, 'costs-03a-rate-card-open');
    const rates = cli<{ rates: unknown[] }>('rates', 'list', PBX).rates;
    await expect.poll(() => account.getByTestId('rates-table').locator('tbody tr').count(), { timeout: 10_000 }).toBe(rates.length);

    const answer = cli<{ ours: { cost: number; calls: number }; difference: { amount: number }; cause: { kind: string } | null }>(
      'rates', 'invoice', PBX, '--from', '2024-10-01', '--to', '2024-10-31', '--minutes', '2300', '--amount', '120');
    const form = account.getByTestId('invoice-check');
    await form.getByTestId('invoice-from').fill('2024-10-01');
    await form.getByTestId('invoice-to').fill('2024-10-31');
    await form.getByTestId('invoice-minutes').fill('2300');
    await form.getByTestId('invoice-amount').fill('120');
    await form.getByRole('button', { name: 'Compare' }).click();
    await expect.poll(() => form.getByTestId('invoice-cause').count(), { timeout: 10_000 }).toBe(1);
    const ours = (await form.getByTestId('invoice-ours').textContent()) ?? '';
    expect(ours).toContain(`${answer.ours.calls} calls`);
    expect(amountOf(ours.split(',').at(-1)!)).toBe(answer.ours.cost);
    const diff = (await form.getByTestId('invoice-difference').textContent()) ?? '';
    expect(amountOf(diff.split(',').at(-1)!)).toBe(Math.abs(answer.difference.amount));
    expect(await form.getByTestId('invoice-cause').getAttribute('data-cause')).toBe(answer.cause?.kind ?? 'match');
    await screenshot(page, 'costs-03-rate-card');
  });
});
