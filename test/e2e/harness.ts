// What the end-to-end tests (and bench/renderer.ts) share: a built renderer, a real data folder filled by the
// demo simulators, a real `cdr-desk preview` server, and Debian's Chromium driven by playwright-core.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runCliOk, startCli } from '../helpers/run-cli.ts';
import { CHROMIUM } from '../helpers/tools.ts';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = join(import.meta.dirname, '../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function newest(dir: string): number {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    latest = Math.max(latest, st.isDirectory() ? newest(path) : st.mtimeMs);
  }
  return latest;
}

/** Builds dist/renderer when any renderer or shared source is newer than the built index.html. */
export function ensureRendererBuilt(): void {
  const built = join(ROOT, 'dist/renderer/index.html');
  const sources = Math.max(newest(join(ROOT, 'renderer')), newest(join(ROOT, 'electron/shared')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  // vitest sets NODE_ENV=test, which would make Svelte compile in dev mode: build what users get.
  const env = { ...process.env, NODE_ENV: 'production' };
  execFileSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, env, stdio: 'inherit' });
}

/** `cdr-desk demo --no-serve`: simulators on 127.0.0.1 fill the data folder with demo accounts and calls. */
export function seedDemo(dataDir: string, env: NodeJS.ProcessEnv): void {
  runCliOk(['--data-dir', dataDir, 'demo', '--no-serve'], env, { cwd: ROOT });
}

export interface Preview {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `cdr-desk preview --port 0` and reads the URL from its first stdout line. */
export async function startPreview(dataDir: string, env: NodeJS.ProcessEnv): Promise<Preview> {
  const preview = startCli(['--data-dir', dataDir, 'preview', '--port', '0'], env, { cwd: ROOT });
  let timer: NodeJS.Timeout | undefined;
  const noUrl = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`preview printed no URL within 20 s: ${preview.stderr()}`)), 20_000);
  });
  const url = await Promise.race([preview.firstLine, noUrl]).finally(() => clearTimeout(timer));
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) throw new Error(`preview's first line is not a loopback URL: ${url}`);
  return {
    url,
    process: preview.child,
    stop: async () => {
      await preview.stop('SIGTERM');
    },
  };
}

/** Chromium or Chrome as test/helpers/tools.ts finds it; the browser tests skip, saying why, when there is none. */
export function launchChromium(): Promise<Browser> {
  if (!CHROMIUM.path) throw new Error(String(CHROMIUM.missing));
  return chromium.launch({ executablePath: CHROMIUM.path, args: CHROMIUM_ARGS });
}

/** Why the browser tests are skipped here, or false. */
export const chromiumMissing = CHROMIUM.missing;

/** A page of the app at `url`, its uncaught errors printed (a test that fails then says why). */
export async function openPage(browser: Browser, url: string, viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (err) => console.error('page error:', err.message));
  await page.goto(url);
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core in the page. The source is evaluated through the DevTools protocol (not a <script> tag), so the
 * page's strict CSP stays as it is.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  // A string expression: it runs in the page, where `axe` and `document` exist (this file has no DOM types).
  return page.evaluate<AxeViolation[]>(`(async () => {
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target })) }));
  })()`);
}
