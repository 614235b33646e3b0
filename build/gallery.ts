// `node build/gallery.ts`: the screenshot gallery of docs/user-guide.md. Fills a temporary data folder from the
// demo simulators (`cdr-desk demo --no-serve`, 127.0.0.1 only), serves the built app with `cdr-desk preview`, and
// photographs every view in English and Persian, light and dark, at 1366×800 into docs/images/; then rewrites the
// gallery between its markers in docs/user-guide.md. Run it again after a UI change.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureRendererBuilt, launchChromium, ROOT, seedDemo, startPreview } from '../test/e2e/harness.ts';

const VIEWS = ['calls', 'campaigns', 'accounts', 'export', 'settings'] as const;
const LANGUAGES = [['en', 'English'], ['fa', 'Persian (فارسی)']] as const;
const THEMES = ['light', 'dark'] as const;
const IMAGES = join(ROOT, 'docs/images');
const GUIDE = join(ROOT, 'docs/user-guide.md');
const BEGIN = '<!-- gallery: begin -->';
const END = '<!-- gallery: end -->';

const work = mkdtempSync(join(tmpdir(), 'cdr-desk-gallery-'));
// A key file of its own: the gallery never touches the user's secret store.
const env = { ...process.env, CDR_DESK_KEY_FILE: join(work, 'secret-store.key') };
const dataDir = join(work, 'data');
try {
  ensureRendererBuilt();
  seedDemo(dataDir, env);
  const preview = await startPreview(dataDir, env);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
    await page.goto(preview.url);
    mkdirSync(IMAGES, { recursive: true });
    const select = async (testId: string, value: string) => {
      await page.click('nav button[data-view="settings"]');
      await page.getByTestId(testId).selectOption(value);
    };
    for (const [lang] of LANGUAGES) {
      await select('language-select', lang);
      for (const theme of THEMES) {
        await select('theme-select', theme);
        for (const view of VIEWS) {
          await page.click(`nav button[data-view="${view}"]`);
          if (view === 'calls') await page.locator('[data-testid="call-grid"] .rows [role="row"]').nth(3).waitFor();
          if (view === 'campaigns') await page.locator('[data-testid="x-labels"] span').first().waitFor();
          await page.waitForTimeout(400); // fonts and the last paint
          await page.screenshot({ path: join(IMAGES, `${view}-${lang}-${theme}.jpg`), type: 'jpeg', quality: 80 });
        }
      }
    }
    await select('language-select', 'en');
    await select('theme-select', 'system');
  } finally {
    await browser.close();
    await preview.stop();
  }

  const rows = VIEWS.map((view) => {
    const cells = LANGUAGES.flatMap(([lang]) => THEMES.map((theme) => `![${view}, ${lang}, ${theme}](images/${view}-${lang}-${theme}.jpg)`));
    return `| ${view[0]!.toUpperCase()}${view.slice(1)} | ${cells.join(' | ')} |`;
  });
  const head = `| View | ${LANGUAGES.flatMap(([, name]) => THEMES.map((theme) => `${name}, ${theme}`)).join(' | ')} |`;
  const table = [head, `| --- |${' --- |'.repeat(LANGUAGES.length * THEMES.length)}`, ...rows].join('\n');
  const guide = readFileSync(GUIDE, 'utf8');
  const at = guide.indexOf(BEGIN);
  const end = guide.indexOf(END);
  if (at < 0 || end < at) throw new Error(`${GUIDE} has no ${BEGIN} ... ${END} markers`);
  writeFileSync(GUIDE, `${guide.slice(0, at + BEGIN.length)}\n${table}\n${guide.slice(end)}`);
  console.log(`${VIEWS.length * LANGUAGES.length * THEMES.length} screenshots in docs/images/, gallery in docs/user-guide.md`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
