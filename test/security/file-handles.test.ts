// The page never names a file: export.start and ids.import take only one-use handles that the shell issued from
// its own dialog (or for a file the user really dropped on the window). A raw path, a reused handle, a forged handle and a handle for the wrong use are all refused,
// over the real dispatcher, the real message loop (main's grant on the port) and the real preview server.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/data/host/dispatcher.ts';
import { FileGrants, newFileHandle } from '../../electron/data/host/file-grants.ts';
import { serveHost } from '../../electron/data/host/loop.ts';
import { fromNodePort } from '../../electron/data/host/port.ts';
import { startPreview } from '../../electron/data/preview/server.ts';
import { openWorkspace } from '../../electron/data/workspace.ts';
import { checkDroppedFile } from '../../electron/main/dropped-file.ts';
import { SavedFiles } from '../../electron/main/saved-files.ts';
import { forwardFileDrops, type DropEventLike } from '../../electron/preload/file-drop.ts';
import { FILE_HANDLE_PATTERN, IPC_FILE_DROP } from '../../electron/shared/contract.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

isolatedKeyFile();
const exporter = { name: 'Hanoi autocall', provider: 'tel4vn-v3', baseUrl: 'https://autocall.example.vn', secrets: { token: 't' } };
// A by-id provider pointed at a closed loopback port: the import job starts, its sync then fails fast.
const byIds = { name: 'Hanoi by id', provider: 'voiceotp-v2', baseUrl: 'http://127.0.0.1:9', secrets: { token: 'k' } };

describe('FileGrants', () => {
  it('issues unguessable handles of the contract shape', () => {
    const a = newFileHandle();
    expect(a).toMatch(FILE_HANDLE_PATTERN);
    expect(newFileHandle()).not.toBe(a);
  });

  it('redeems a handle once, for its own use only', () => {
    const files = new FileGrants();
    const w = files.issue('/tmp/out.csv', 'write');
    expect(files.redeem(w, 'write')).toBe('/tmp/out.csv');
    expect(() => files.redeem(w, 'write')).toThrow(/was not picked in this window, or was already used/);
    const r = files.issue('/tmp/ids.txt', 'read');
    expect(() => files.redeem(r, 'write', 'A')).toThrow('account "A": that file was picked to read, not to save');
    // A refused redemption uses the handle up as well: it cannot be retried with the right use.
    expect(() => files.redeem(r, 'read')).toThrow(/already used/);
    expect(() => files.redeem(newFileHandle(), 'read')).toThrow(/already used/);
  });

  it('lets an unused handle expire and keeps only the newest ones', () => {
    let now = 1_000;
    const files = new FileGrants(() => now);
    const old = files.issue('/tmp/a', 'write');
    now += FileGrants.TTL_MS + 1;
    expect(() => files.redeem(old, 'write')).toThrow(/already used/);
    const first = files.issue('/tmp/first', 'write');
    for (let i = 0; i < FileGrants.MAX_OPEN; i++) files.issue(`/tmp/${i}`, 'write');
    expect(files.size).toBe(FileGrants.MAX_OPEN);
    expect(() => files.redeem(first, 'write')).toThrow(/already used/);
  });
});

describe('the data host refuses paths and bad handles', () => {
  const ws = openWorkspace(tempDir());
  const d = createDispatcher(ws, { log: () => {} });
  const out = join(ws.dataDir, 'calls.csv');
  afterAll(async () => {
    await d.close();
    ws.close();
  });

  it('refuses a raw path for export.start and ids.import before anything runs', async () => {
    await d.dispatch('accounts.add', exporter);
    expect(await d.dispatch('accounts.add', byIds)).toMatchObject({ ok: true });
    const raw = await d.dispatch('export.start', { account: exporter.name, format: 'csv', out });
    expect(raw).toMatchObject({ ok: false, error: /^export\.start: invalid request: out: expected a file handle from the Save or Open dialog, not a path/ });
    const rawRead = await d.dispatch('ids.import', { account: byIds.name, file: '/etc/passwd' });
    expect(rawRead).toMatchObject({ ok: false, error: /^ids\.import: invalid request: file: expected a file handle/ });
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a forged handle (well formed, never issued)', async () => {
    const forged = await d.dispatch('export.start', { account: exporter.name, format: 'csv', out: newFileHandle() });
    expect(forged).toEqual({ ok: false, error: `account "${exporter.name}": that file was not picked in this window, or was already used; pick the file again` });
    expect(existsSync(out)).toBe(false);
  });

  it('writes through a granted handle once and refuses it the second time', async () => {
    const handle = d.files.issue(out, 'write');
    const first = await d.dispatch('export.start', { account: exporter.name, format: 'csv', out: handle });
    expect(first.ok).toBe(true);
    await d.jobs.idle();
    expect(readFileSync(out, 'utf8')).toMatch(/^\uFEFFCall ID,/);
    writeFileSync(out, 'kept');
    const reused = await d.dispatch('export.start', { account: exporter.name, format: 'csv', out: handle });
    expect(reused).toMatchObject({ ok: false, error: /already used/ });
    await d.jobs.idle();
    expect(readFileSync(out, 'utf8')).toBe('kept');
  });

  it('reads ids through a read handle, once, and never through a write handle', async () => {
    const ids = join(ws.dataDir, 'ids.txt');
    writeFileSync(ids, '\n  \n');
    const blank = d.files.issue(ids, 'read');
    // The file behind the handle was read: it has no ids.
    expect(await d.dispatch('ids.import', { account: byIds.name, file: blank })).toEqual({ ok: false, error: `ids file ${ids} holds no call ids` });
    writeFileSync(ids, 'c-1\nc-2\n');
    const good = d.files.issue(ids, 'read');
    expect(await d.dispatch('ids.import', { account: byIds.name, file: good })).toMatchObject({ ok: true, result: { jobId: /^sync-/ } });
    expect(await d.dispatch('ids.import', { account: byIds.name, file: good })).toMatchObject({ ok: false, error: /already used/ });
    const writeOnly = d.files.issue(ids, 'write');
    expect(await d.dispatch('ids.import', { account: byIds.name, file: writeOnly })).toMatchObject({ ok: false, error: /picked to save, not to read/ });
    await d.jobs.idle();
  });
});

describe('grants reach the host only from main, on the port', () => {
  const ws = openWorkspace(tempDir());
  const { port1: hostSide, port2: mainSide } = new MessageChannel();
  const d = createDispatcher(ws, { log: () => {} });
  serveHost(fromNodePort(hostSide), d);
  afterAll(async () => {
    await d.close();
    hostSide.close();
    mainSide.close();
    ws.close();
  });
  const replies = new Map<unknown, Record<string, unknown>>();
  mainSide.on('message', (m: Record<string, unknown>) => replies.set(m.id, m));
  const reply = async (id: number) => {
    for (let i = 0; i < 200 && !replies.has(id); i++) await new Promise((r) => setTimeout(r, 10));
    return replies.get(id);
  };

  it('accepts main grant messages, but a grant smuggled inside a channel call is just a bad request', async () => {
    await d.dispatch('accounts.add', exporter);
    const out = join(ws.dataDir, 'via-port.csv');
    const smuggled = newFileHandle();
    mainSide.postMessage({ id: 1, channel: 'export.start', payload: { account: exporter.name, format: 'csv', out: smuggled, grant: { handle: smuggled, path: out, use: 'write' } } });
    expect(await reply(1)).toMatchObject({ ok: false, error: /invalid request/ });
    expect(d.files.size).toBe(0);

    const handle = newFileHandle();
    mainSide.postMessage({ grant: { handle, path: out, use: 'write' } });
    mainSide.postMessage({ id: 2, channel: 'export.start', payload: { account: exporter.name, format: 'csv', out: handle } });
    expect(await reply(2)).toMatchObject({ ok: true });
    await d.jobs.idle();
    expect(existsSync(out)).toBe(true);
    // A grant with a path-shaped "handle" is not a grant at all.
    mainSide.postMessage({ grant: { handle: '/etc/passwd', path: '/etc/passwd', use: 'read' } });
    mainSide.postMessage({ id: 3, channel: 'accounts.list', payload: {} });
    await reply(3);
    expect(d.files.size).toBe(0);
  });
});

describe('preview keeps exports under the data folder', () => {
  const ws = openWorkspace(tempDir());
  const renderer = tempDir();
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>t</title>');

  it('hands out a handle for <dataDir>/exports/<name> only, and refuses a path', async () => {
    const preview = await startPreview({ ws, rendererDir: renderer, port: 0, version: '0.0.0', log: () => {} });
    try {
      const base = new URL(preview.url).origin;
      const post = async (channel: string, body: unknown) =>
        (await (await fetch(`${base}/api/${channel}`, { method: 'POST', headers: { 'x-cdr-desk-token': preview.token }, body: JSON.stringify(body) })).json()) as {
          ok: boolean;
          result?: { handle: string; path: string };
          error?: string;
        };
      await post('accounts.add', exporter);
      const picked = await post('dialog.saveFile', { defaultName: '../../../outside.csv' });
      expect(picked.result!.path).toBe(join(ws.dataDir, 'exports', 'outside.csv'));
      const dots = await post('dialog.saveFile', { defaultName: '..' });
      expect(dots.result!.path).toBe(join(ws.dataDir, 'exports', 'export.xlsx'));

      const raw = await post('export.start', { account: exporter.name, format: 'csv', out: join(ws.dataDir, 'elsewhere.csv') });
      expect(raw).toMatchObject({ ok: false, error: /expected a file handle/ });
      expect(await post('export.start', { account: exporter.name, format: 'csv', out: picked.result!.handle })).toMatchObject({ ok: true });
      expect(await post('export.start', { account: exporter.name, format: 'csv', out: picked.result!.handle })).toMatchObject({ ok: false, error: /already used/ });
      await preview.dispatcher.jobs.idle();
      expect(existsSync(join(ws.dataDir, 'exports', 'outside.csv'))).toBe(true);
      expect(existsSync(join(ws.dataDir, 'elsewhere.csv'))).toBe(false);
      expect(await post('dialog.openFile', {})).toEqual({ ok: true, result: { handle: null, path: null } });
    } finally {
      await preview.close();
      ws.close();
    }
  });
});

describe('a file dropped on the window', () => {
  function preload() {
    const listeners = new Map<string, (e: DropEventLike) => void>();
    const sent: [string, string][] = [];
    const paths = new Map<unknown, string>();
    forwardFileDrops({ addEventListener: (type, l) => listeners.set(type, l) }, { getPathForFile: (f) => paths.get(f) ?? '', send: (c, p) => sent.push([c, p]) });
    const drop = (isTrusted: boolean, files: unknown[]) => {
      let prevented = false;
      listeners.get('drop')!({ isTrusted, dataTransfer: { files }, preventDefault: () => (prevented = true) });
      return prevented;
    };
    return { sent, paths, drop };
  }

  it('is passed to main only for a real drop of a file from the OS', () => {
    const { sent, paths, drop } = preload();
    const osFile = {};
    paths.set(osFile, '/home/u/ids.csv');
    expect(drop(true, [osFile])).toBe(true);
    expect(sent).toEqual([[IPC_FILE_DROP, '/home/u/ids.csv']]);
    // A drop the page dispatched itself is not trusted; a File the page made has no path; no file, nothing.
    drop(false, [osFile]);
    drop(true, [{}]);
    drop(true, []);
    expect(sent).toHaveLength(1);
  });

  it('is granted by main only when it is an absolute path to a regular file', async () => {
    const dir = tempDir();
    const file = join(dir, 'ids.csv');
    writeFileSync(file, 'callid\n1\n');
    mkdirSync(join(dir, 'folder'));
    expect(await checkDroppedFile(file)).toEqual({ ok: true, path: file, name: 'ids.csv' });
    expect(await checkDroppedFile(join(dir, 'folder'))).toEqual({ ok: false, reason: 'not a regular file' });
    expect(await checkDroppedFile(join(dir, 'missing.csv'))).toEqual({ ok: false, reason: 'the file cannot be read' });
    expect(await checkDroppedFile('ids.csv')).toEqual({ ok: false, reason: 'not an absolute path' });
    expect(await checkDroppedFile({ path: file })).toEqual({ ok: false, reason: 'not a file path' });
    expect(await checkDroppedFile(`${file}\0.txt`)).toEqual({ ok: false, reason: 'not a file path' });
  });
});

describe('showing a file in its folder', () => {
  it('is allowed only for files chosen in the Save dialog, the newest ones kept', () => {
    const saved = new SavedFiles();
    saved.add('/home/u/exports/calls.csv');
    expect(saved.has('/home/u/exports/calls.csv')).toBe(true);
    expect(saved.has('/home/u/exports/../exports/calls.csv')).toBe(true);
    expect(saved.has('/etc/passwd')).toBe(false);
    for (let i = 0; i < SavedFiles.MAX; i++) saved.add(`/tmp/${i}.csv`);
    expect(saved.has('/home/u/exports/calls.csv')).toBe(false);
    expect(saved.has(`/tmp/${SavedFiles.MAX - 1}.csv`)).toBe(true);
  });
});
