// The fetch layer against a real loopback server: what is retried, what is returned, what is redacted.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../electron/data/net/http.ts';

type Reply = { status: number; type: string; body: string; headers?: Record<string, string> };

describe('HttpClient', () => {
  const replies: Reply[] = [];
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      const r = replies.shift() ?? { status: 200, type: 'application/json', body: '{"ok":true}' };
      res.writeHead(r.status, { 'content-type': r.type, ...r.headers }).end(r.body);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  const client = () => new HttpClient({ account: 'Acme', baseUrl: base, secrets: ['s3cr3t'], backoffMs: 5, retries: 2 });

  it('reads JSON that a PHP server labels text/html', async () => {
    replies.push({ status: 200, type: 'text/html; charset=UTF-8', body: '{"status":"success"}' });
    expect((await client().json({ method: 'GET', path: '/x' })).body).toEqual({ status: 'success' });
  });

  it('retries an HTML error page and a 429 with Retry-After, then succeeds', async () => {
    replies.push({ status: 502, type: 'text/html', body: '<html><body>Bad Gateway</body></html>' });
    replies.push({ status: 429, type: 'application/json', body: '{}', headers: { 'retry-after': '0' } });
    expect((await client().json({ method: 'GET', path: '/x' })).body).toEqual({ ok: true });
  });

  it('gives up after its retries with a message naming the account and no secret', async () => {
    for (let i = 0; i < 3; i++) replies.push({ status: 503, type: 'application/json', body: '{}' });
    const err = await client().request({ method: 'GET', path: '/r', query: { token: 's3cr3t' } }).catch((e: Error) => e);
    expect(String(err)).toMatch(/account "Acme".*failed after 3 tries: HTTP 503/);
    expect(String(err)).not.toContain('s3cr3t');
  });

  it('returns an HTML 404 (a wrong base URL) without retrying, and json() says it is not JSON', async () => {
    replies.push({ status: 404, type: 'text/html', body: '<html>Not Found</html>' });
    const err = await client().json({ method: 'GET', path: '/missing' }).catch((e: Error) => e);
    expect(String(err)).toMatch(/not valid JSON \(HTTP 404/);
    expect(replies).toHaveLength(0);
  });
});
