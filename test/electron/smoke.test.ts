// The packaged desktop app, launched for real with Playwright's _electron: its window is locked down, and the
// whole path a user takes works inside the package: demo workspace, a sync through the data host's utility
// process, a search, a CSV export written by the export worker threads loaded from inside app.asar, and a quit
// with no error in the app's log.
//
// It drives the smoke-test copy of the package (CDR_DESK_E2E_BUILD=1, in release-e2e/): Playwright reaches main
// through --inspect, which the released build's fuses switch off (build/fuses.cjs); every other fuse is the
// released one. Where no Electron binary can be had (our machines: its download is blocked), there is no package
// to launch, and the test skips saying so. Both GitHub workflows build the copy and run it (docs/packaging.md).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATORS } from '../../electron/data/providers/simulators.ts';
import type { RunningSimulator } from '../../electron/data/providers/simulation/types.ts';
import { openWorkspace } from '../../electron/data/workspace.ts';
import { tempDir } from '../helpers/tmp.ts';

const ROOT = join(import.meta.dirname, '../..');
/** Where the workflows pack the smoke-test copy (`--dir`, so an unpacked app folder). */
const E2E_OUT = join(ROOT, 'release-e2e');
/** More rows than export/run.ts's PARALLEL_MIN_ROWS (50,000), so the CSV is written by the worker threads. */
const BIG_ACCOUNT_CALLS = 60_000;
const BIG_ACCOUNT = 'Smoke PBX';

/** The executable inside an unpacked electron-builder folder, per OS. */
function packagedApp(): { path: string } | { reason: string } {
  if (process.env.CDR_DESK_SMOKE_APP) return { path: process.env.CDR_DESK_SMOKE_APP };
  const candidates = [
    join(E2E_OUT, 'linux-unpacked', 'cdr-desk'),
    join(E2E_OUT, 'linux-arm64-unpacked', 'cdr-desk'),
    join(E2E_OUT, 'win-unpacked', 'CDR Desk.exe'),
    join(E2E_OUT, 'win-arm64-unpacked', 'CDR Desk.exe'),
    join(E2E_OUT, 'mac', 'CDR Desk.app', 'Contents', 'MacOS', 'CDR Desk'),
    join(E2E_OUT, 'mac-arm64', 'CDR Desk.app', 'Contents', 'MacOS', 'CDR Desk'),
  ];
  const found = candidates.find((c) => existsSync(c));
  if (found) return { path: found };
  const electronDist = join(ROOT, 'node_modules', 'electron', 'dist');
  if (!existsSync(electronDist) || readdirSync(electronDist).length === 0) {
    return { reason: 'the Electron binary is absent (node_modules/electron/dist is empty: its download is blocked on this machine), so there is no packaged app to launch' };
  }
  return { reason: 'no smoke-test package in release-e2e/: build it with `CDR_DESK_E2E_BUILD=1 npx electron-builder --config build/electron-builder.yml --dir --publish never -c.directories.output=release-e2e` (see docs/packaging.md)' };
}

const app = packagedApp();
const skipReason = 'reason' in app ? app.reason : null;

describe.skipIf(skipReason !== null)(`packaged Electron app${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let electron: ElectronApplication;
  let page: Page;
  let simulator: RunningSimulator;
  let logFile: string;
  const dataDir = tempDir('cdr-desk-smoke-');
  const home = tempDir('cdr-desk-smoke-home-');
  const out = join(tempDir('cdr-desk-smoke-out-'), 'smoke.csv');
  const keyFile = join(home, 'secret-store.key');

  /** Resolves with the job.done event of the job the page starts (listening before it starts). */
  const runJob = (start: string) =>
    page.evaluate(`(async () => {
      const done = [];
      const off = window.api.on('job.done', (d) => done.push(d));
      const { jobId } = await (${start});
      for (let i = 0; i < 1200; i++) {
        const hit = done.find((d) => d.jobId === jobId);
        if (hit) { off(); return hit; }
        await new Promise((r) => setTimeout(r, 250));
      }
      off();
      throw new Error('no job.done for ' + jobId + ' within 5 minutes');
    })()`) as Promise<{ ok: boolean; error: string | null; result: Record<string, unknown> }>;

  beforeAll(async () => {
    // A provider with more calls than one thread exports alone, on 127.0.0.1, and its account in the data folder
    // (its secret in the CLI's key-file store, which the app reads as a fallback whatever its own store is).
    process.env.CDR_DESK_KEY_FILE = keyFile;
    simulator = await SIMULATORS['pbx-cdr']!({ seed: 17, calls: BIG_ACCOUNT_CALLS, port: 0 });
    const ws = openWorkspace(dataDir);
    await ws.accounts.add({ name: BIG_ACCOUNT, provider: 'pbx-cdr', baseUrl: simulator.baseUrl, timezone: simulator.timezone, secrets: simulator.secrets });
    ws.close();

    electron = await _electron.launch({
      executablePath: (app as { path: string }).path,
      env: {
        ...(process.env as Record<string, string>),
        CDR_DESK_DATA_DIR: dataDir,
        CDR_DESK_KEY_FILE: keyFile,
        CDR_DESK_NO_UPDATES: '1',
        XDG_CONFIG_HOME: home,
      },
      timeout: 90_000,
    });
    page = await electron.firstWindow();
    await page.waitForFunction('typeof window.api === "object"', undefined, { timeout: 60_000 });
    logFile = join(await electron.evaluate(({ app: a }) => a.getPath('logs')), 'main.log');
  }, 180_000);

  afterAll(async () => {
    await electron?.close().catch(() => {});
    await simulator?.close();
  });

  it('runs from app.asar in a window with context isolation and sandbox, and the page reaches no Node', async () => {
    const main = await electron.evaluate(({ app: a, BrowserWindow }) => ({
      appPath: a.getAppPath(),
      packaged: a.isPackaged,
      url: BrowserWindow.getAllWindows()[0]!.webContents.getURL(),
      // Chromium reports a renderer's OS sandbox on Windows and macOS only; index.ts calls app.enableSandbox().
      sandboxed: a.getAppMetrics().filter((m) => m.type === 'Tab').map((m) => m.sandboxed ?? null),
    }));
    expect(main).toMatchObject({ packaged: true, url: 'app://bundle/index.html' });
    expect(main.appPath).toMatch(/app\.asar$/);
    expect(main.sandboxed.length).toBeGreaterThan(0);
    for (const s of main.sandboxed) if (s !== null) expect(s).toBe(true);

    // window.api exists only through contextBridge, which refuses to run without context isolation: its presence
    // proves isolation, and nothing of Node or of the preload's Electron objects is visible beside it.
    const reach = await page.evaluate(`({
      require: typeof require, process: typeof process, module: typeof module, buffer: typeof Buffer,
      api: typeof window.api, ipc: typeof window.ipcRenderer, electron: typeof window.electron,
    })`);
    expect(reach).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', buffer: 'undefined', api: 'object', ipc: 'undefined', electron: 'undefined' });
  });

  it('creates the demo workspace', async () => {
    const demo = (await page.evaluate('window.api.demo.start()')) as { accounts: string[] };
    expect(demo.accounts.length).toBeGreaterThanOrEqual(5);
  }, 180_000);

  it('syncs an account through the utility process, then finds its calls', async () => {
    const done = await runJob(`window.api.sync.start({ accounts: [${JSON.stringify(BIG_ACCOUNT)}] })`);
    expect(done).toMatchObject({ ok: true, error: null });
    const found = (await page.evaluate(`window.api.search.query({ filter: { accounts: [${JSON.stringify(BIG_ACCOUNT)}] }, limit: 5 })`)) as { total: number; rows: unknown[] };
    expect(found.total).toBe(simulator.expected.length);
    expect(found.rows).toHaveLength(5);
    const text = (await page.evaluate(`window.api.search.query({ filter: { text: ${JSON.stringify(simulator.expected[0]!.callId)} } })`)) as { total: number };
    expect(text.total).toBeGreaterThanOrEqual(1);
  }, 300_000);

  it('exports a CSV through the export worker threads loaded from inside app.asar', async () => {
    // The only stand-in: the native Save dialog (nobody can click it here) answers the path; main still issues
    // the one-use handle and the data host still redeems it.
    await electron.evaluate(({ dialog }, file) => {
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath: file })) as unknown as typeof dialog.showSaveDialog;
    }, out);
    expect(availableParallelism()).toBeGreaterThan(1); // export/run.ts uses threads only with a second core
    const picked = (await page.evaluate(`window.api.dialog.saveFile({ defaultName: 'smoke.csv' })`)) as { handle: string; path: string };
    expect(picked.path).toBe(out);
    const done = await runJob(`window.api.export.start({ account: ${JSON.stringify(BIG_ACCOUNT)}, format: 'csv', out: ${JSON.stringify(picked.handle)} })`);
    expect(done).toMatchObject({ ok: true, error: null, result: { rows: simulator.expected.length } });
    const csv = readFileSync(out, 'utf8');
    expect(csv.startsWith('\uFEFFCall ID,')).toBe(true);
    expect(csv.trimEnd().split(/\r?\n/)).toHaveLength(simulator.expected.length + 1);
    // A used handle is refused.
    await expect(page.evaluate(`window.api.export.start({ account: ${JSON.stringify(BIG_ACCOUNT)}, format: 'csv', out: ${JSON.stringify(picked.handle)} })`)).rejects.toThrow(/already used/);
  }, 300_000);

  it('quits with no error in its log', async () => {
    await electron.close();
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('[info]');
    expect(log.split('\n').filter((l) => /\[error\]/.test(l))).toEqual([]);
  }, 60_000);
});

describe('smoke test availability', () => {
  it(skipReason ? `says why it skips: ${skipReason}` : 'found the packaged app', () => {
    if (skipReason) expect(skipReason).toMatch(/Electron binary is absent|no smoke-test package/);
    else expect(existsSync((app as { path: string }).path)).toBe(true);
  });
});
