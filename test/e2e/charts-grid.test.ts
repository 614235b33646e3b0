// Charts and grids as the manager sees them (issue 19), in Chromium over the demo data at 1366×800: the "Calls by
// day" labels never overlap and no day repeats (English and Persian calendars), the bars have the legend's
// colours in light and dark themes, the Calls grid fills its panel, pending calls have their own style, and a Latin
// name in the Persian layout keeps its start (the cell reads left to right).
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { runCliOk } from '../helpers/run-cli.ts';
import { ensureRendererBuilt, launchChromium, ROOT, screenshot, seedDemo, startPreview, openPage, type Preview } from './harness.ts';

/** The page's own, inside locator.evaluate (this project's test types have no DOM). */
declare const getComputedStyle: (el: unknown, pseudo?: string) => { fontStyle: string; content: string; direction: string; borderTopStyle: string };
let dataDir: string;
let env: NodeJS.ProcessEnv;
let preview: Preview;
let browser: Browser;
let page: Page;

const cliTotal = (...filters: string[]) =>
  (JSON.parse(runCliOk(['--data-dir', dataDir, 'search', '--limit', '1', ...filters, '--json'], env)) as { total: number }).total;

const view = (id: 'calls' | 'campaigns' | 'settings') => page.click(`nav button[data-view="${id}"]`);

async function setting(testId: 'language-select' | 'theme-select', value: string): Promise<void> {
  await view('settings');
  await page.getByTestId(testId).selectOption(value);
}

/** The "Calls by day" x labels as drawn: text and box. */
function dayLabels(): Promise<{ text: string; left: number; right: number; top: number; bottom: number }[]> {
  return page.$$eval('figure.chart:first-of-type [data-testid="x-labels"] span', (spans) =>
    spans.map((s) => {
      const r = s.getBoundingClientRect();
      return { text: s.textContent ?? '', left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    }),
  );
}

/** Each series' legend colour, and how many canvas pixels of the "Calls by day" chart have exactly that colour. */
function seriesColours(): Promise<{ legend: string; pixels: number }[]> {
  return page.evaluate(`(() => {
    const chart = document.querySelector('figure.chart');
    const canvas = chart.querySelector('canvas');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const markers = [...chart.querySelectorAll('.u-legend .u-series')].slice(1).map((s) => getComputedStyle(s.querySelector('.u-marker')).backgroundColor);
    return markers.map((legend) => {
      const [r, g, b] = legend.match(/\\d+/g).map(Number);
      let pixels = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] === r && data[i + 1] === g && data[i + 2] === b && data[i + 3] === 255) pixels++;
      return { legend, pixels };
    });
  })()`);
}

describe('charts and grids (demo data, Chromium)', () => {
  beforeAll(async () => {
    ensureRendererBuilt();
    isolatedKeyFile();
    env = { ...process.env };
    dataDir = join(tempDir('cdr-desk-e2e-charts-'), 'data');
    seedDemo(dataDir, env);
    preview = await startPreview(dataDir, env);
    browser = await launchChromium();
    page = await openPage(browser, preview.url, { width: 1366, height: 800 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
  });

  it('"Calls by day" labels never overlap and no day appears twice, in English and in the Persian calendar', async () => {
    for (const [lang, digits] of [['en', /\d/], ['fa', /[۰-۹]/]] as const) {
      await setting('language-select', lang);
      await view('campaigns');
      await expect.poll(async () => (await dayLabels()).length, { timeout: 15_000 }).toBeGreaterThan(1);
      const labels = await dayLabels();
      const texts = labels.map((l) => l.text);
      expect(new Set(texts).size, `${lang}: ${texts.join(' | ')}`).toBe(texts.length);
      for (const t of texts) expect(t).toMatch(digits);
      const sorted = [...labels].sort((a, b) => a.left - b.left);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.left, `${lang}: "${sorted[i - 1]!.text}" overlaps "${sorted[i]!.text}"`).toBeGreaterThanOrEqual(sorted[i - 1]!.right);
      if (lang === 'fa') expect(texts.join(' ')).toMatch(/۱۴۰[۳۴]/); // autumn 2024 is 1403 in the Solar Hijri calendar
      await screenshot(page, `19-calls-by-day-${lang}`);
    }
    await setting('language-select', 'en');
  });

  it('draws the bars in the legend\'s colours, in the light and the dark theme', async () => {
    const seen: string[][] = [];
    for (const theme of ['light', 'dark']) {
      await setting('theme-select', theme);
      await view('campaigns');
      await expect.poll(async () => (await seriesColours()).length, { timeout: 15_000 }).toBe(2);
      const colours = await seriesColours();
      for (const c of colours) expect(c.pixels, `${theme}: bars in ${c.legend}`).toBeGreaterThan(100);
      seen.push(colours.map((c) => c.legend));
    }
    expect(seen[0]).not.toEqual(seen[1]); // the themes do differ
    await setting('theme-select', 'system');
  });

  it('the Calls grid fills its panel, at 1400×900 and wider', async () => {
    await view('calls');
    await expect.poll(() => page.locator('[data-testid="call-grid"] .rows [role="row"]').count(), { timeout: 15_000 }).toBeGreaterThan(3);
    for (const width of [1400, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      // How far the last column ends short of the panel's inner edge (negative: the columns scroll sideways).
      const short = () => page.evaluate<number>(`(() => {
        const grid = document.querySelector('[data-testid="call-grid"]');
        const row = grid.querySelector('.rows [role="row"]');
        return grid.clientWidth - (row.lastElementChild.getBoundingClientRect().right - row.getBoundingClientRect().left);
      })()`);
      await expect.poll(short, { timeout: 5_000 }).toBeLessThan(1);
      expect(await short()).toBeGreaterThan(-1); // and no sideways scroll either: the natural widths fit here
    }
    await page.setViewportSize({ width: 1366, height: 800 });
  });

  it('remembers a column width the user drags, across a reload', async () => {
    await view('calls');
    const header = page.locator('[data-testid="call-grid"] [role="columnheader"]').nth(2); // campaign
    const handle = page.locator('[data-testid="call-grid"] .resize[data-column="campaign"]');
    await expect.poll(() => handle.count(), { timeout: 15_000 }).toBe(1);
    const before = (await header.boundingBox())!.width;
    const box = (await handle.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2, { steps: 6 });
    await page.mouse.up();
    const after = (await header.boundingBox())!.width;
    expect(after).toBeGreaterThan(before + 100);
    await page.reload();
    await view('calls');
    await expect.poll(async () => Math.round((await header.boundingBox())?.width ?? 0), { timeout: 15_000 }).toBe(Math.round(after));
    // The keyboard resizes too (10 px a step), and the grid still fills its panel.
    await handle.focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => Math.round((await header.boundingBox())!.width)).toBeLessThan(Math.round(after));
    await page.evaluate(`localStorage.removeItem('cdr-desk.column-widths')`);
    await page.reload();
  });

  it('shows pending calls in their own style, apart from unknown', async () => {
    const pending = cliTotal('--status', 'pending');
    expect(pending).toBeGreaterThan(0);
    await view('calls');
    await page.click('button[data-status="pending"]');
    const cell = page.locator('[data-testid="call-grid"] .rows .status-pending').first();
    await expect.poll(() => cell.count(), { timeout: 15_000 }).toBe(1);
    const style = await cell.evaluate((el) => ({ italic: getComputedStyle(el).fontStyle, marker: getComputedStyle(el, '::before').borderTopStyle }));
    expect(style).toEqual({ italic: 'italic', marker: 'dashed' });
    await page.click('button[data-status="pending"]');
  });

  it('in the Persian layout a Latin account name reads left to right, so the ellipsis takes its end', async () => {
    await setting('language-select', 'fa');
    await view('calls');
    await expect.poll(() => page.evaluate<string>('document.documentElement.dir')).toBe('rtl');
    const account = page.locator('[data-testid="call-grid"] .rows [role="row"] [role="gridcell"]:nth-child(2)').first();
    await expect.poll(() => account.textContent(), { timeout: 15_000 }).toMatch(/^Demo /);
    expect(await account.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
    // A Persian campaign name in the same layout stays right to left.
    const persian = page.locator('[data-testid="call-grid"] .rows [role="gridcell"]:nth-child(3)', { hasText: /[\u0600-\u06FF]/ }).first();
    if (await persian.count()) expect(await persian.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    await setting('language-select', 'en');
  });
});
