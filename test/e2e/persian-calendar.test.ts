// The Persian UI counts the Campaigns chart's days, weeks and months in the Solar Hijri calendar (weeks from
// Saturday), and exports XLSX laid out right to left: the built app in Debian's Chromium over a demo data folder
// (`cdr-desk demo --no-serve`), checked against `cdr-desk summary --calendar persian` on the same folder and
// openpyxl reading the exported workbook.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gregorianDayOf } from '../../electron/shared/calendar.ts';
import { fa } from '../../renderer/src/lib/i18n/fa.ts';
import { openpyxlMissing, readXlsx } from '../export/readers.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { runCliOk } from '../helpers/run-cli.ts';
import { ensureRendererBuilt, launchChromium, ROOT, screenshot, seedDemo, startPreview, type Preview } from './harness.ts';

const PBX = 'Demo PBX (Bucharest)';
/** The Solar Hijri months as Persian writes them, Farvardin first. */
const MONTHS = ['فروردین', 'اردیبهشت', 'خرداد', 'تیر', 'مرداد', 'شهریور', 'مهر', 'آبان', 'آذر', 'دی', 'بهمن', 'اسفند'];
const persianDigits = (n: number) => String(n).replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
const westernDigits = (s: string) => s.replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d))).replace(/[٬,\s]/g, '');

let dataDir: string;
let env: NodeJS.ProcessEnv;
let preview: Preview;
let browser: Browser;
let page: Page;

type Row = { key: string | null; total: number };
const summary = (by: string) =>
  (JSON.parse(runCliOk(['--data-dir', dataDir, 'summary', '--by', by, '--calendar', 'persian', '--json'], env, { cwd: ROOT })) as { rows: Row[] }).rows;

/** The rows of the calls chart's data table (label, total), as drawn; calls without a start time come last as "—". */
function chartRows(): Promise<[string, string][]> {
  return page.$$eval('[data-testid="charts"] > figure:first-child details table tbody tr', (trs) =>
    trs.map((tr) => [tr.querySelector('th')?.textContent?.trim() ?? '', tr.querySelector('td')?.textContent?.trim() ?? ''] as [string, string]));
}

async function pick(period: 'day' | 'week' | 'month'): Promise<void> {
  await page.getByTestId('period-select').selectOption(period);
}

describe('the Persian calendar in the app (preview + Chromium + demo data)', () => {
  beforeAll(async () => {
    ensureRendererBuilt();
    isolatedKeyFile();
    env = { ...process.env };
    dataDir = join(tempDir('cdr-desk-fa-'), 'data');
    seedDemo(dataDir, env);
    preview = await startPreview(dataDir, env);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(preview.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
  });

  it('groups the calls chart by Solar Hijri month, named in Persian, with the CLI\'s totals', async () => {
    await page.click('nav button[data-view="settings"]');
    await page.getByTestId('language-select').selectOption('fa');
    await expect.poll(() => page.evaluate<string>('document.documentElement.dir')).toBe('rtl');
    await page.click('nav button[data-view="campaigns"]');
    await pick('month');
    const months = summary('month').filter((r) => r.key !== null);
    expect(months.length).toBeGreaterThan(0);
    await expect.poll(async () => (await chartRows()).filter(([l]) => l !== '—').length, { timeout: 10_000 }).toBe(months.length);
    await expect.poll(() => page.locator('[data-testid="charts"] > figure:first-child figcaption').textContent()).toBe(fa['campaigns.byMonth']);
    const rows = await chartRows();
    months.forEach((m, i) => {
      const [jy, jm] = m.key!.split('-').map(Number) as [number, number];
      const [label, total] = rows[i]!;
      expect(label, m.key!).toContain(MONTHS[jm - 1]!);
      expect(label, m.key!).toContain(persianDigits(jy));
      expect(Number(westernDigits(total)), m.key!).toBe(m.total);
    });
    await screenshot(page, 'fa-campaigns-by-month');
    // The weekday × hour heatmap starts its week on Saturday too (2024-01-06 was a Saturday).
    const saturday = new Intl.DateTimeFormat('fa-IR-u-ca-persian', { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 6, 12)));
    await expect.poll(() => page.locator('[data-testid="heatmap"] tbody tr:first-child th').textContent()).toBe(saturday);
  });

  it('groups by weeks that start on Saturday, labelled with their first day', async () => {
    await pick('week');
    const weeks = summary('week').filter((r) => r.key !== null);
    expect(weeks.length).toBeGreaterThan(1);
    await expect.poll(async () => (await chartRows()).filter(([l]) => l !== '—').length, { timeout: 10_000 }).toBe(weeks.length);
    await expect.poll(() => page.locator('[data-testid="charts"] > figure:first-child figcaption').textContent()).toBe(fa['campaigns.byWeek']);
    const rows = await chartRows();
    weeks.forEach((w, i) => {
      expect(new Date(`${gregorianDayOf(w.key!, 'persian')}T00:00:00Z`).getUTCDay(), w.key!).toBe(6);
      const [, jm, jd] = w.key!.split('-').map(Number) as [number, number, number];
      expect(rows[i]![0], w.key!).toContain(MONTHS[jm - 1]!);
      expect(rows[i]![0], w.key!).toContain(persianDigits(jd));
      expect(Number(westernDigits(rows[i]![1])), w.key!).toBe(w.total);
    });
    await pick('day');
    await expect.poll(async () => (await chartRows()).filter(([l]) => l !== '—').length, { timeout: 10_000 }).toBe(summary('day').filter((r) => r.key !== null).length);
  });

  it.skipIf(openpyxlMissing)('exports XLSX from the Persian UI with every sheet right to left', async () => {
    await page.click('nav button[data-view="export"]');
    await page.getByTestId('export-account').selectOption(PBX);
    await page.getByTestId('export-format').selectOption('xlsx');
    await page.getByTestId('export-start').click();
    const done = page.getByTestId('export-done');
    await expect.poll(() => done.count(), { timeout: 20_000 }).toBe(1);
    const file = /\S+\.xlsx/.exec((await done.textContent()) ?? '')?.[0];
    expect(file && existsSync(file)).toBe(true);
    const sheets = readXlsx(file!).sheets;
    expect(sheets.map((s) => s.name)).toEqual(['Calls', 'Summary']);
    expect(sheets.map((s) => s.rtl)).toEqual([true, true]);
  });
});
