// Main's gatekeeping: which frames may call window.api, which links may leave the app, and the router that
// checks sender, request and response around every call (driven here with the real data-host dispatcher).
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/data/host/dispatcher.ts';
import { newFileHandle } from '../../electron/data/host/file-grants.ts';
import { openWorkspace } from '../../electron/data/workspace.ts';
import { createRouter } from '../../electron/main/router.ts';
import { isAllowedExternalUrl, isInAppUrl, isTrustedSender } from '../../electron/main/security.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const ours = { url: 'app://bundle/index.html', isMainFrame: true };
const PICKED = newFileHandle();

describe('sender check', () => {
  it('trusts only the top frame of our app:// origin', () => {
    expect(isTrustedSender(ours)).toBe(true);
    expect(isTrustedSender({ url: 'app://bundle/index.html#/calls?x=1', isMainFrame: true })).toBe(true);
  });

  it.each([
    ['an iframe of our origin', { url: 'app://bundle/index.html', isMainFrame: false }],
    ['another app host', { url: 'app://evil/index.html', isMainFrame: true }],
    ['a web page', { url: 'https://example.com/', isMainFrame: true }],
    ['a file', { url: 'file:///home/u/index.html', isMainFrame: true }],
    ['a dev server', { url: 'http://localhost:5173/', isMainFrame: true }],
    ['credentials in the URL', { url: 'app://x@bundle/index.html', isMainFrame: true }],
    ['a port', { url: 'app://bundle:8080/index.html', isMainFrame: true }],
    ['a destroyed frame', { url: null, isMainFrame: true }],
    ['garbage', { url: 'app:bundle', isMainFrame: true }],
  ])('refuses %s', (_why, sender) => expect(isTrustedSender(sender)).toBe(false));
});

describe('links and navigation', () => {
  it('opens only https links to allowlisted hosts', () => {
    expect(isAllowedExternalUrl('https://github.com/cdr-desk/issues')).toBe(true);
    for (const url of ['http://github.com/', 'https://github.com.evil.io/', 'https://user:pw@github.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'https://example.com/', 'nope']) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });

  it('keeps navigation inside the bundle', () => {
    expect(isInAppUrl('app://bundle/index.html')).toBe(true);
    expect(isInAppUrl('https://example.com/')).toBe(false);
    expect(isInAppUrl('app://other/')).toBe(false);
  });
});

describe('main router', () => {
  isolatedKeyFile();
  const ws = openWorkspace(tempDir());
  const d = createDispatcher(ws, { log: () => {} });
  const logged: string[] = [];
  let hostCalls = 0;
  const route = createRouter({
    host: (channel, request) => (hostCalls++, d.dispatch(channel, request)),
    main: {
      'dialog.saveFile': async () => ({ handle: PICKED, path: '/home/u/calls.xlsx' }),
      'dialog.openFile': async () => ({ handle: null, path: '' }),
    },
    log: (l) => logged.push(l),
  });

  it('forwards a trusted, valid call to the data host and returns its validated answer', async () => {
    expect(await route('accounts.list', ours, {})).toEqual({ ok: true, result: [] });
    expect(hostCalls).toBe(1);
  });

  it('refuses an untrusted sender before looking at the payload', async () => {
    expect(await route('accounts.list', { url: 'https://example.com/', isMainFrame: true }, {})).toEqual({
      ok: false,
      error: 'refused: the request did not come from the app window',
    });
    expect(logged.at(-1)).toMatch(/refused accounts\.list from untrusted frame https:\/\/example\.com\//);
    expect(hostCalls).toBe(1);
  });

  it('refuses a bad payload without bothering the host', async () => {
    const r = await route('accounts.remove', ours, { name: 5 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^accounts\.remove: invalid request: name: /);
    expect(await route('nope', ours, {})).toEqual({ ok: false, error: 'unknown channel "nope"' });
    expect(hostCalls).toBe(1);
  });

  it('answers main channels itself and refuses an answer that breaks the contract', async () => {
    expect(await route('dialog.saveFile', ours, { defaultName: 'calls.xlsx' })).toEqual({ ok: true, result: { handle: PICKED, path: '/home/u/calls.xlsx' } });
    expect(await route('dialog.openFile', ours, {})).toEqual({ ok: false, error: 'dialog.openFile: internal error (the answer did not match the contract)' });
    expect(await route('shell.showItemInFolder', ours, { path: '/x' })).toEqual({ ok: false, error: 'shell.showItemInFolder is not available' });
    expect(hostCalls).toBe(1);
  });
});
