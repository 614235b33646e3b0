// The data host: the dispatcher over a real workspace, and its message loop over a real MessageChannel
// (the same protocol Electron's utilityProcess parentPort carries).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/data/host/dispatcher.ts';
import { newFileHandle } from '../../electron/data/host/file-grants.ts';
import { serveHost } from '../../electron/data/host/loop.ts';
import { MainLink } from '../../electron/data/host/main-link.ts';
import { fromNodePort } from '../../electron/data/host/port.ts';
import { SealedFileSecretStore, sealerOverLink, WithFallbackSecretStore } from '../../electron/data/host/sealed-secret-store.ts';
import { EncryptedFileSecretStore } from '../../electron/data/accounts/secrets/file-store.ts';
import { openWorkspace } from '../../electron/data/workspace.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

isolatedKeyFile();
const account = { name: 'Hanoi autocall', provider: 'tel4vn-v3', baseUrl: 'https://autocall.example.vn', timezone: 'Asia/Ho_Chi_Minh', secrets: { token: 'tok-SECRET-123' } };

describe('dispatcher', () => {
  const ws = openWorkspace(tempDir());
  const logged: string[] = [];
  const d = createDispatcher(ws, { log: (l) => logged.push(l), info: { version: '9.9.9' } });
  afterAll(async () => {
    await d.close();
    ws.close();
  });

  it('adds and lists accounts without ever returning a secret', async () => {
    const added = await d.dispatch('accounts.add', account);
    expect(added).toMatchObject({ ok: true, result: { name: 'Hanoi autocall', secretKeys: ['token'] } });
    const list = await d.dispatch('accounts.list', {});
    expect(list.ok && (list.result as unknown[]).length).toBe(1);
    expect(JSON.stringify([added, list])).not.toContain('tok-SECRET-123');
  });

  it('refuses invalid requests, unknown channels and main-only channels with one line', async () => {
    const bad = await d.dispatch('accounts.add', { ...account, provider: 'skype' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^accounts\.add: invalid request: provider: /);
    expect(await d.dispatch('accounts.drop', {})).toEqual({ ok: false, error: 'unknown channel "accounts.drop"' });
    expect(await d.dispatch('dialog.saveFile', {})).toEqual({ ok: false, error: 'dialog.saveFile is handled by the app window, not the data host' });
    const missing = await d.dispatch('accounts.remove', { name: 'nobody' });
    expect(missing).toEqual({ ok: false, error: 'account "nobody": no such account' });
  });

  it('keeps settings in the data folder and refuses an unknown zone', async () => {
    expect(await d.dispatch('settings.get', undefined)).toEqual({ ok: true, result: { language: 'en', displayZone: null, theme: 'system', updateChannel: 'latest' } });
    expect(await d.dispatch('settings.set', { language: 'fa', displayZone: 'Asia/Tehran' })).toMatchObject({ ok: true, result: { language: 'fa', theme: 'system' } });
    expect(JSON.parse(readFileSync(join(ws.dataDir, 'settings.json'), 'utf8'))).toMatchObject({ language: 'fa', displayZone: 'Asia/Tehran' });
    const bad = await d.dispatch('settings.set', { displayZone: 'Mars/Olympus' });
    expect(!bad.ok && bad.error).toMatch(/unknown time zone "Mars\/Olympus"/);
  });

  it('answers app.info and search over the real cache', async () => {
    expect(await d.dispatch('app.info', {})).toMatchObject({ ok: true, result: { version: '9.9.9', shell: 'electron', dataDir: ws.dataDir } });
    expect(await d.dispatch('search.query', { filter: { text: 'nothing' } })).toEqual({ ok: true, result: { total: 0, rows: [], next: null } });
  });
});

/** Collects what the host posts on its side of the channel. */
function listen(port: MessagePort) {
  const got: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  port.on('message', (m: Record<string, unknown>) => {
    got.push(m);
    waiters.splice(0).forEach((w) => w());
  });
  const until = async (pred: (m: Record<string, unknown>) => boolean) => {
    for (;;) {
      const hit = got.find(pred);
      if (hit) return hit;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { got, until };
}

describe('message loop', () => {
  const ws = openWorkspace(tempDir());
  const { port1: hostSide, port2: mainSide } = new MessageChannel();
  const port = fromNodePort(hostSide);
  const dispatcher = createDispatcher(ws, { emit: (event, payload) => port.post({ event, payload }), log: () => {} });
  serveHost(port, dispatcher);
  const main = listen(mainSide);
  afterAll(async () => {
    await dispatcher.close();
    hostSide.close();
    mainSide.close();
    ws.close();
  });

  it('says it is ready, answers by id, and survives malformed messages', async () => {
    await main.until((m) => m.ready === true);
    mainSide.postMessage('hello');
    mainSide.postMessage({ id: 'x1', payload: {} });
    mainSide.postMessage({ id: 7, channel: 'no.such', payload: {} });
    mainSide.postMessage({ id: 8, channel: 'accounts.add', payload: { name: 42 } });
    mainSide.postMessage({ id: 9, channel: 'accounts.add', payload: account });
    mainSide.postMessage({ id: 10, channel: 'accounts.list', payload: {} });

    expect(await main.until((m) => m.id === null)).toEqual({ id: null, ok: false, error: 'malformed message: expected {id, channel, payload}' });
    expect(await main.until((m) => m.id === 'x1')).toMatchObject({ ok: false, error: /malformed/ });
    expect(await main.until((m) => m.id === 7)).toEqual({ id: 7, ok: false, error: 'unknown channel "no.such"' });
    expect(await main.until((m) => m.id === 8)).toMatchObject({ ok: false, error: /accounts\.add: invalid request/ });
    expect(await main.until((m) => m.id === 9)).toMatchObject({ ok: true, result: { name: account.name } });
    const list = await main.until((m) => m.id === 10);
    expect((list.result as { name: string }[]).map((a) => a.name)).toEqual([account.name]);
  });

  it('streams a job to its job.done event', async () => {
    const out = join(ws.dataDir, 'calls.csv');
    const handle = newFileHandle();
    mainSide.postMessage({ grant: { handle, path: out, use: 'write' } });
    mainSide.postMessage({ id: 20, channel: 'export.start', payload: { account: account.name, format: 'csv', out: handle } });
    const started = await main.until((m) => m.id === 20);
    const jobId = (started.result as { jobId: string }).jobId;
    expect(jobId).toMatch(/^export-/);
    const done = await main.until((m) => m.event === 'job.done');
    expect(done.payload).toMatchObject({ jobId, kind: 'export', ok: true, cancelled: false, error: null, result: { rows: 0, file: out } });
    // The reply carrying the jobId goes out before the job's events.
    expect(main.got.indexOf(started)).toBeLessThan(main.got.indexOf(done));
    expect(readFileSync(out, 'utf8')).toMatch(/^\uFEFFCall ID,Account,Campaign/);
  });
});

describe('secrets sealed by main', () => {
  it('round-trips through main over the port and never stores plain text', async () => {
    // Main's side: a stand-in for safeStorage (AES with a key only "main" holds), answering the host's calls.
    const key = randomBytes(32);
    const { port1: hostSide, port2: mainSide } = new MessageChannel();
    const ops: string[] = [];
    mainSide.on('message', (m: { callId?: number; op?: string; arg?: string }) => {
      if (typeof m.callId !== 'number') return;
      ops.push(m.op!);
      if (m.op === 'secrets.seal') {
        const iv = randomBytes(12);
        const c = createCipheriv('aes-256-gcm', key, iv);
        const data = Buffer.concat([c.update(m.arg!, 'utf8'), c.final()]);
        mainSide.postMessage({ callId: m.callId, ok: true, result: Buffer.concat([iv, c.getAuthTag(), data]).toString('base64') });
      } else {
        const raw = Buffer.from(m.arg!, 'base64');
        const dc = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        dc.setAuthTag(raw.subarray(12, 28));
        const plain = Buffer.concat([dc.update(raw.subarray(28)), dc.final()]).toString('utf8');
        mainSide.postMessage({ callId: m.callId, ok: true, result: { plain, reseal: false } });
      }
    });
    const port = fromNodePort(hostSide);
    const link = new MainLink(port);
    const dir = tempDir();
    const store = new SealedFileSecretStore(dir, sealerOverLink((op, arg) => link.call(op, arg)), 'test keychain');
    const ws = openWorkspace(dir, store);
    const d = createDispatcher(ws, { log: () => {} });
    serveHost(port, d, link);
    try {
      expect(await d.dispatch('accounts.add', account)).toMatchObject({ ok: true });
      const file = join(dir, 'secrets.os.json');
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8')).not.toContain('tok-SECRET-123');
      expect(await ws.accounts.secretsOf(ws.accounts.get(account.name))).toEqual({ token: 'tok-SECRET-123' });
      expect(ops).toEqual(['secrets.seal', 'secrets.open']);
    } finally {
      await d.close();
      ws.close();
      hostSide.close();
      mainSide.close();
    }
  });
});

describe('secrets added with the CLI', () => {
  it('are read by the app until changed there, then kept only by the app', async () => {
    const dir = tempDir();
    const cli = new EncryptedFileSecretStore(dir);
    await cli.set('account:1', { token: 'from-cli' });
    // The app's primary store, with a reversible stand-in for the keychain.
    const sealed = new SealedFileSecretStore(
      dir,
      { seal: async (p) => Buffer.from(p).toString('base64'), open: async (s) => ({ plain: Buffer.from(s, 'base64').toString(), reseal: false }) },
      'stand-in keychain',
    );
    const app = new WithFallbackSecretStore(sealed, cli);
    expect(await app.get('account:1')).toEqual({ token: 'from-cli' });
    await app.set('account:1', { token: 'from-app' });
    expect(await app.get('account:1')).toEqual({ token: 'from-app' });
    expect(await cli.get('account:1')).toBeNull();
    expect(await app.get('account:2')).toBeNull();
  });
});

describe('jobs over the real data layer (demo simulators on 127.0.0.1)', () => {
  const ws = openWorkspace(tempDir());
  const events: [string, Record<string, unknown>][] = [];
  const d = createDispatcher(ws, { emit: (e, p) => events.push([e, p as Record<string, unknown>]), log: () => {} });
  afterAll(async () => {
    await d.close();
    ws.close();
  });
  const doneOf = async (jobId: string) => {
    for (let i = 0; i < 300; i++) {
      const hit = events.find(([e, p]) => e === 'job.done' && p.jobId === jobId);
      if (hit) return hit[1];
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no job.done for ${jobId}`);
  };

  it('creates the demo, searches it, syncs with progress events, and cancels', async () => {
    const demo = await d.dispatch('demo.start', {});
    expect(demo.ok && (demo.result as { accounts: string[] }).accounts).toHaveLength(5);
    const found = await d.dispatch('search.query', { filter: {}, limit: 5 });
    expect(found.ok && (found.result as { total: number }).total).toBeGreaterThan(0);

    const sync = await d.dispatch('sync.start', {});
    const jobId = (sync as { result: { jobId: string } }).result.jobId;
    const done = await doneOf(jobId);
    expect(done).toMatchObject({ kind: 'sync', ok: true, cancelled: false, error: null });
    expect((done.result as { accounts: unknown[] }).accounts).toHaveLength(5);
    expect(events.some(([e, p]) => e === 'sync.progress' && p.jobId === jobId)).toBe(true);

    const again = await d.dispatch('sync.start', {});
    const againId = (again as { result: { jobId: string } }).result.jobId;
    expect(await d.dispatch('sync.cancel', { jobId: againId })).toEqual({ ok: true, result: null });
    expect(await doneOf(againId)).toMatchObject({ kind: 'sync', ok: false, cancelled: true });
    expect(await d.dispatch('export.cancel', { jobId: againId })).toEqual({ ok: true, result: null });
  });

  it('refuses a sync of an unknown account at once, not as a failed job', async () => {
    expect(await d.dispatch('sync.start', { accounts: ['Nobody'] })).toEqual({ ok: false, error: 'account "Nobody": no such account' });
    expect(await d.dispatch('ids.import', { account: 'Demo PBX (Bucharest)', text: '\n \n' })).toMatchObject({ ok: false, error: /no call ids found/ });
  });
});
