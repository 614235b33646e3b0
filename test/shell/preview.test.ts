// `cdr-desk preview` as a user runs it: a real process on 127.0.0.1, the URL with its token as the first
// stdout line, window.api bridged over HTTP to the real data layer through the data host's dispatcher.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../electron/shared/contract.ts';
import { startCli, type RunningCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/tmp.ts';

const ROOT = join(import.meta.dirname, '../..');
let preview: RunningCli;
let base: string;
let token: string;
const dataDir = tempDir();
const renderer = tempDir();

beforeAll(async () => {
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><html><head><title>CDR Desk</title><script type="module" src="./assets/app.js"></script></head><body></body></html>');
  mkdirSync(join(renderer, 'assets'));
  writeFileSync(join(renderer, 'assets', 'app.js'), 'export {};');
  writeFileSync(join(dataDir, 'outside.txt'), 'not for the browser');
  preview = startCli(['--data-dir', dataDir, 'preview', '--port', '0', '--renderer', renderer], { CDR_DESK_KEY_FILE: join(dataDir, 'key') }, { cwd: ROOT });
  const first = await preview.firstLine;
  const url = new URL(first);
  base = url.origin;
  token = url.searchParams.get('token')!;
  expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
});

afterAll(async () => {
  await preview.stop('SIGTERM');
});

const post = (channel: string, body: unknown, headers: Record<string, string> = { 'x-cdr-desk-token': token }) =>
  fetch(`${base}/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** A raw request, so the Host and Origin headers can be set as an attacker's page would cause. */
function raw(path: string, headers: Record<string, string>, method = 'GET'): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(base);
    const req = request({ host: '127.0.0.1', port: u.port, path, method, headers }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('cdr-desk preview', () => {
  it('calls accounts.list only with the token', async () => {
    const without = await post('accounts.list', {}, {});
    expect(without.status).toBe(401);
    expect(await without.json()).toEqual({ ok: false, error: 'missing or wrong token' });
    expect((await post('accounts.list', {}, { 'x-cdr-desk-token': token.slice(1) + 'x' })).status).toBe(401);
    const ok = await post('accounts.list', {});
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, result: [] });
  });

  it('validates through the contract and answers one-line errors', async () => {
    expect(await (await post('accounts.add', { name: 'x', provider: 'nope', baseUrl: 'https://a', secrets: {} })).json()).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^accounts\.add: invalid request: provider: /),
    });
    const unknown = await post('accounts.steal', {});
    expect(unknown.status).toBe(404);
  });

  it('refuses other Host headers and foreign origins', async () => {
    expect(await raw('/', { host: 'evil.example:80' })).toBe(403);
    expect(await raw('/', { host: `127.0.0.1:${new URL(base).port}` })).toBe(200);
    expect(await raw('/api/accounts.list', { host: `localhost:${new URL(base).port}`, origin: 'http://evil.example', 'x-cdr-desk-token': token }, 'POST')).toBe(403);
  });

  it('serves the renderer with window.api injected, and nothing outside it', async () => {
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toMatch(/<script src="\.\/__cdr-desk\/api\.js"><\/script>\s*<script type="module" src="\.\/assets\/app\.js">/);
    expect((await fetch(`${base}/assets/app.js`)).status).toBe(200);
    expect(await raw('/../outside.txt', { host: `127.0.0.1:${new URL(base).port}` })).toBe(404);
    expect((await fetch(`${base}/%2e%2e/outside.txt`)).status).toBe(404);
    expect((await fetch(`${base}/nope.js`)).status).toBe(404);
  });

  it('builds window.api with the preload\'s shape and round-trips over HTTP', async () => {
    const script = await (await fetch(`${base}/__cdr-desk/api.js`)).text();
    const store = new Map<string, string>();
    const window: Record<string, unknown> = {};
    runInNewContext(script, {
      window,
      location: { search: `?token=${token}` },
      sessionStorage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v) },
      URLSearchParams,
      fetch: (path: string, init: RequestInit) => fetch(base + path, init),
    });
    const api = window.api as Record<string, Record<string, (r?: unknown) => Promise<unknown>>>;
    const leaves = (n: unknown, p = ''): string[] =>
      typeof n === 'function' ? [p] : Object.entries(n as object).flatMap(([k, v]) => leaves(v, p ? `${p}.${k}` : k));
    expect(leaves(api).sort()).toEqual([...CHANNEL_NAMES, 'on'].sort());

    await api.accounts!.add!({ name: 'Preview PBX', provider: 'pbx-cdr', baseUrl: 'https://pbx.example.ro', secrets: { token: 'T-secret', apiKey: 'K-secret' } });
    const list = (await api.accounts!.list!()) as { name: string; secretKeys: string[] }[];
    expect(list.map((a) => [a.name, a.secretKeys])).toEqual([['Preview PBX', ['apiKey', 'token']]]);
    expect(JSON.stringify(list)).not.toMatch(/T-secret|K-secret/);
    await expect(api.accounts!.remove!({ name: 'Nobody' })).rejects.toThrow('account "Nobody": no such account');
  });

  it('streams job events over SSE with the token', async () => {
    expect((await fetch(`${base}/api/events`)).status).toBe(401);
    const abort = new AbortController();
    const events = await fetch(`${base}/api/events?token=${token}`, { signal: abort.signal });
    expect(events.headers.get('content-type')).toBe('text/event-stream');
    const reader = events.body!.getReader();
    await post('accounts.add', { name: 'Export me', provider: 'tel4vn-v3', baseUrl: 'https://a.vn', secrets: { token: 't' } });
    // Preview has no native dialog: its save dialog names a file under <dataDir>/exports, as a handle.
    const picked = (await (await post('dialog.saveFile', { defaultName: 'export.csv' })).json()) as { result: { handle: string; path: string } };
    const out = join(dataDir, 'exports', 'export.csv');
    expect(picked.result.path).toBe(out);
    const started = (await (await post('export.start', { account: 'Export me', format: 'csv', out: picked.result.handle })).json()) as { result: { jobId: string } };
    let text = '';
    while (!text.includes('event: job.done')) text += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    const data = JSON.parse(text.split('event: job.done\ndata: ')[1]!.split('\n')[0]!);
    expect(data).toMatchObject({ jobId: started.result.jobId, kind: 'export', ok: true, result: { rows: 0, file: out } });
  });

  it('stops cleanly on SIGTERM', async () => {
    expect((await preview.stop('SIGTERM')).status).toBe(0);
  });
});
