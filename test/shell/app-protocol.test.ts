// app:// serves only the renderer folder: traversal (raw, encoded, double-encoded, backslashes), absolute
// paths, other hosts and unknown files all end in a 404.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appFileFor, serveAppUrl } from '../../electron/main/app-protocol.ts';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/security.ts';
import { resolveAppPath } from '../../electron/shared/app-path.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('resolveAppPath', () => {
  it.each([
    ['/', 'index.html'],
    ['', 'index.html'],
    ['/index.html', 'index.html'],
    ['/assets/app-1a2b.js', 'assets/app-1a2b.js'],
    ['/./assets//x.css', 'assets/x.css'],
    ['/fonts/Vazirmatn%20Bold.woff2', 'fonts/Vazirmatn Bold.woff2'],
  ])('%s → %s', (input, path) => expect(resolveAppPath(input)).toEqual({ ok: true, path }));

  it.each([
    ['/../etc/passwd', 'parent segment'],
    ['/assets/../../secret', 'parent segment'],
    ['/%2e%2e/%2e%2e/etc/passwd', 'parent segment'],
    ['/%2E%2E%2Fetc%2Fpasswd', 'parent segment'],
    ['/..%5c..%5cwindows%5cwin.ini', 'backslash'],
    ['/C:/Windows/win.ini', 'drive letter'],
    ['/c%3A/Windows', 'drive letter'],
    ['/index.html%00.png', 'NUL byte'],
    ['/%E0%A4%A', 'bad percent-encoding'],
    ['/.env', 'hidden file'],
  ])('refuses %s (%s)', (input, reason) => expect(resolveAppPath(input)).toEqual({ ok: false, reason }));
});

describe('app:// handler', () => {
  const base = tempDir();
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>CDR Desk</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'export {}');
  writeFileSync(join(base, 'secret.txt'), 'outside the bundle');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));

  it('serves the bundle with its type and the strict CSP', async () => {
    const r = await serveAppUrl(root, 'app://bundle/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect((await serveAppUrl(root, 'app://bundle/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it.each([
    'app://bundle/../secret.txt',
    'app://bundle/%2e%2e/secret.txt',
    'app://bundle/assets/%2E%2E/%2E%2E/secret.txt',
    'app://bundle/..%2fsecret.txt',
    'app://bundle/assets/link.txt',
    `app://bundle/${join(base, 'secret.txt')}`,
    `app://bundle//${join(base, 'secret.txt')}`,
    'app://bundle/missing.js',
    'app://bundle/assets',
    'app://elsewhere/index.html',
    'file:///etc/passwd',
    'not a url',
  ])('answers 404 for %s', async (url) => {
    const r = await serveAppUrl(root, url);
    expect(r.status).toBe(404);
    expect(String(r.body)).not.toContain('outside the bundle');
  });

  it('maps an absolute-looking path inside the bundle, never outside', () => {
    expect(appFileFor(root, 'app://bundle//etc/passwd')).toBe(join(root, 'etc', 'passwd'));
    expect(appFileFor(root, 'app://bundle/%2Fetc%2Fpasswd')).toBe(join(root, 'etc', 'passwd'));
  });
});
