// The screenshot gallery of docs/user-guide.md: every view of the app and the call detail drawer, in English and
// Persian, light and dark, at 1400×900 (device scale 1, so each PNG stays small). The built renderer is served by
// a real `cdr-desk preview` over a demo data folder (`cdr-desk demo`: its simulators keep serving, so the accounts
// read as synced), and Debian's Chromium takes the pictures through playwright-core, as the end-to-end tests do.
//   npm run screenshots        (node build/gallery.ts)
// Writes docs/images/<shot>-<language>-<theme>.png and the gallery table between the markers in the guide.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { ensureRendererBuilt, launchChromium, ROOT, startPreview } from '../test/e2e/harness.ts';

/** The app's views, in its navigation's order: test/e2e/gallery.test.ts fails when the navigation has another. */
export const GALLERY_VIEWS = ['calls', 'campaigns', 'accounts', 'export', 'settings'] as const;
/** Views, then what opens over one: the call detail drawer. */
export const GALLERY_SHOTS = [...GALLERY_VIEWS, 'call-drawer'] as const;
export const GALLERY_LANGUAGES = ['en', 'fa'] as const;
export const GALLERY_THEMES = ['light', 'dark'] as const;
export const IMAGES_DIR = join(ROOT, 'docs/images');
export const GUIDE = join(ROOT, 'docs/user-guide.md');
export const GALLERY_BEGIN = '<!-- gallery: begin -->';
export const GALLERY_END = '<!-- gallery: end -->';

type Shot = (typeof GALLERY_SHOTS)[number];
type Language = (typeof GALLERY_LANGUAGES)[number];
type Theme = (typeof GALLERY_THEMES)[number];

export const shotName = (shot: Shot, language: Language, theme: Theme) => `${shot}-${language}-${theme}.png`;

const CAPTIONS: Record<Shot, string> = {
  calls: 'Calls',
  campaigns: 'Campaigns',
  accounts: 'Accounts',
  export: 'Export',
  settings: 'Settings',
  'call-drawer': 'Call detail drawer',
};

/** The guide's gallery table, markers included: one row per shot, English and Persian, light and dark across. */
export function galleryMarkdown(): string {
  const columns = GALLERY_LANGUAGES.flatMap((l) => GALLERY_THEMES.map((theme) => [l, theme] as const));
  const name = { en: 'English', fa: 'Persian (فارسی)' } as const;
  const rows = GALLERY_SHOTS.map((shot) => {
    const cells = columns.map(([l, theme]) => `![${CAPTIONS[shot]}, ${l}, ${theme}](images/${shotName(shot, l, theme)})`);
    return `| ${CAPTIONS[shot]} | ${cells.join(' | ')} |`;
  });
  const head = `| View | ${columns.map(([l, theme]) => `${name[l]}, ${theme}`).join(' | ')} |`;
  return [GALLERY_BEGIN, head, `| --- |${' --- |'.repeat(columns.length)}`, ...rows, GALLERY_END].join('\n');
}

/** The guide with its gallery table replaced between the markers. */
export function withGallery(guide: string): string {
  const begin = guide.indexOf(GALLERY_BEGIN);
  const end = guide.indexOf(GALLERY_END);
  if (begin < 0 || end < begin) throw new Error(`${GUIDE} has no ${GALLERY_BEGIN} ... ${GALLERY_END} markers`);
  return guide.slice(0, begin) + galleryMarkdown() + guide.slice(end + GALLERY_END.length);
}

const CLI = join(ROOT, 'bin/cdr-desk.js');

/** `cdr-desk demo`: fills the folder and keeps the simulators serving until stopped. */
function startDemo(dataDir: string, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'demo'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start: ${stderr}`)), 120_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('Simulators are serving')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`demo exited with ${code}: ${stderr}`)));
  });
}

/** Polls an expression in the page (page.waitForFunction would eval it, which the app's CSP refuses). */
async function until(page: Page, expression: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
    await page.waitForTimeout(100);
  }
}

/** Waits until the view shows its data: the grid's rows, the Campaigns charts, the account cards. */
async function ready(page: Page, view: (typeof GALLERY_VIEWS)[number]): Promise<void> {
  const selector = {
    calls: '[data-testid="call-grid"] [role="row"][aria-rowindex="2"] [role="gridcell"]',
    campaigns: '.uplot',
    accounts: 'main h2',
    export: '[data-testid="export-start"]',
    settings: '[data-testid="language-select"]',
  }[view];
  await page.locator(selector).first().waitFor({ state: 'visible', timeout: 20_000 });
  await until(page, '!document.querySelector(\'[aria-busy="true"]\')');
  await page.mouse.move(0, 0);
  // Charts draw on the next frames after their data arrives.
  await page.waitForTimeout(400);
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(IMAGES_DIR, name) });
  console.log(`wrote docs/images/${name}`);
}

export async function takeGallery(): Promise<void> {
  ensureRendererBuilt();
  const work = mkdtempSync(join(tmpdir(), 'cdr-desk-gallery-'));
  // The demo's secrets go to a key of its own, never the user's.
  const env = { ...process.env, CDR_DESK_KEY_FILE: join(work, 'secret-store.key') };
  const dataDir = join(work, 'data');
  const demo = await startDemo(dataDir, env);
  const preview = await startPreview(dataDir, env);
  const browser = await launchChromium();
  try {
    mkdirSync(IMAGES_DIR, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
    page.on('pageerror', (err) => console.error('page error:', err.message));
    await page.goto(preview.url);
    for (const language of GALLERY_LANGUAGES) {
      for (const theme of GALLERY_THEMES) {
        await page.click('nav button[data-view="settings"]');
        await page.getByTestId('language-select').selectOption(language);
        await page.getByTestId('theme-select').selectOption(theme);
        await until(page, `document.documentElement.lang === '${language}' && document.documentElement.dataset.theme === '${theme}'`);
        for (const view of GALLERY_VIEWS) {
          await page.click(`nav button[data-view="${view}"]`);
          await ready(page, view);
          await shoot(page, shotName(view, language, theme));
        }
        await page.click('nav button[data-view="calls"]');
        await ready(page, 'calls');
        await page.locator('[data-testid="call-grid"] [role="row"][aria-rowindex="2"]').click();
        await page.getByTestId('detail-drawer').waitFor({ state: 'visible' });
        await page.mouse.move(0, 0);
        await shoot(page, shotName('call-drawer', language, theme));
        await page.keyboard.press('Escape');
      }
    }
    writeFileSync(GUIDE, withGallery(readFileSync(GUIDE, 'utf8')));
    console.log('wrote the gallery table of docs/user-guide.md');
  } finally {
    await browser.close();
    await preview.stop();
    await new Promise<void>((resolve) => {
      if (demo.exitCode !== null) return resolve();
      demo.once('exit', () => resolve());
      demo.kill('SIGTERM');
    });
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await takeGallery();
}
