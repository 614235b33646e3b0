// The bundles as shipped (dist-electron/*.cjs), run without Electron: the preload with stand-ins for the two
// Electron objects it touches, and the data host in a plain Node process whose process.parentPort (which only a
// utilityProcess has) is a line-per-message pipe. This catches what the source-level tests cannot: a module
// left out of a bundle, an external that does not resolve, an entry that does not start.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../electron/shared/contract.ts';
import { tempDir } from '../helpers/tmp.ts';

const ROOT = join(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist-electron');

beforeAll(() => {
  execFileSync(process.execPath, ['build/bundle-electron.mjs'], { cwd: ROOT, stdio: 'pipe' });
}, 120_000);

describe('bundled preload.cjs', () => {
  it('requires only electron and exposes exactly the contract keys', () => {
    const required: string[] = [];
    const exposed: Record<string, unknown> = {};
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
      ipcRenderer: { invoke: async () => ({ ok: true, result: null }), on: () => {}, removeListener: () => {}, send: () => {} },
      webUtils: { getPathForFile: () => '' },
    };
    const windowListeners: string[] = [];
    const module = { exports: {} };
    const code = readFileSync(join(DIST, 'preload.cjs'), 'utf8');
    runInNewContext(`(function (require, module, exports) {${code}\n})`, { addEventListener: (type: string) => windowListeners.push(type) })(
      (id: string) => (required.push(id), id === 'electron' ? electron : undefined),
      module,
      module.exports,
    );
    expect(required).toEqual(['electron']);
    const leaves = (n: unknown, p = ''): string[] =>
      typeof n === 'function' ? [p] : Object.entries(n as object).flatMap(([k, v]) => leaves(v, p ? `${p}.${k}` : k));
    expect(Object.keys(exposed)).toEqual(['api']);
    expect(leaves(exposed.api).sort()).toEqual([...CHANNEL_NAMES, 'on'].sort());
    // and it watches for files dropped on the window (file-drop.ts), which the page cannot call.
    expect(windowListeners.sort()).toEqual(['dragover', 'drop']);
  });
});

describe('bundled data-host.cjs', () => {
  it('starts, answers by id and survives a malformed message', async () => {
    const dataDir = tempDir();
    // Electron's parentPort delivers {data}; here each stdin line is one message and each posted message one stdout line.
    const bootstrap = `
      const { EventEmitter } = require('node:events');
      const port = new EventEmitter();
      port.postMessage = (m) => process.stdout.write(JSON.stringify(m) + '\\n');
      process.parentPort = port;
      require('node:readline').createInterface({ input: process.stdin }).on('line', (l) => port.emit('message', { data: JSON.parse(l) }));
      require(${JSON.stringify(join(DIST, 'data-host.cjs'))});
    `;
    const child = spawn(process.execPath, ['-e', bootstrap, '--', '--data-dir', dataDir, '--secrets', 'file', '--version', '1.2.3'], {
      env: { ...process.env, CDR_DESK_KEY_FILE: join(dataDir, 'key') },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines: Record<string, unknown>[] = [];
    const waiters: (() => void)[] = [];
    createInterface({ input: child.stdout }).on('line', (l) => {
      lines.push(JSON.parse(l));
      waiters.splice(0).forEach((w) => w());
    });
    const until = async (pred: (m: Record<string, unknown>) => boolean) => {
      for (let i = 0; i < 200; i++) {
        const hit = lines.find(pred);
        if (hit) return hit;
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
      throw new Error(`no answer; stderr: ${stderr}`);
    };
    const send = (m: unknown) => child.stdin.write(JSON.stringify(m) + '\n');
    try {
      await until((m) => m.ready === true);
      send(42);
      send({ id: 1, channel: 'app.info', payload: {} });
      send({ id: 2, channel: 'accounts.add', payload: { name: 'Tehran', provider: 'autodialer-v4', baseUrl: 'http://192.168.51.20', secrets: { apiKey: 'k', username: 'u', password: 'p' } } });
      send({ id: 3, channel: 'search.query', payload: { filter: { accounts: ['Tehran'] } } });
      expect(await until((m) => m.id === null)).toMatchObject({ ok: false, error: /malformed/ });
      expect(await until((m) => m.id === 1)).toMatchObject({ ok: true, result: { version: '1.2.3', shell: 'electron', dataDir } });
      expect(await until((m) => m.id === 2)).toMatchObject({ ok: true, result: { name: 'Tehran', secretKeys: ['apiKey', 'password', 'username'] } });
      expect(await until((m) => m.id === 3)).toEqual({ id: 3, ok: true, result: { total: 0, rows: [], next: null } });
    } finally {
      child.kill();
    }
  });
});
