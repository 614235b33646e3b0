// The per-account pacer against a real loopback server: a 429 with Retry-After pauses every request of the
// account (retries of requests already in flight and new ones), and no more than `concurrency` are ever in flight.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../electron/data/net/http.ts';

type Handler = (path: string, hit: number) => { status: number; delayMs?: number; headers?: Record<string, string> };

async function serve(handler: Handler): Promise<{ base: string; arrivals: { path: string; at: number }[]; maxInFlight: () => number; close: () => Promise<void> }> {
  const arrivals: { path: string; at: number }[] = [];
  const hits = new Map<string, number>();
  let inFlight = 0;
  let max = 0;
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '';
    arrivals.push({ path, at: Date.now() });
    inFlight++;
    max = Math.max(max, inFlight);
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    const r = handler(path, hit);
    setTimeout(() => {
      inFlight--;
      res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers }).end('{"ok":true}');
    }, r.delayMs ?? 0);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    maxInFlight: () => max,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

describe('the account pacer', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });

  it('a 429 with Retry-After pauses all of the account: in-flight requests retry only after it, new ones wait too', async () => {
    let refusedAt = 0;
    const s = await serve((path, hit) => {
      if (path === '/a' && hit === 1) {
        refusedAt = Date.now();
        return { status: 429, headers: { 'retry-after': '1' } };
      }
      // b, c and d are in flight when a's 429 comes back; their 503 would be retried after a 5 ms backoff.
      if (hit === 1 && path !== '/e') return { status: 503, delayMs: 60 };
      return { status: 200 };
    });
    closers.push(s.close);
    const http = new HttpClient({ account: 'Paced', baseUrl: s.base, concurrency: 4, backoffMs: 5, maxBackoffMs: 5_000, retries: 3 });
    closers.push(() => http.close());
    const started = Date.now();
    const first = ['/a', '/b', '/c', '/d'].map((path) => http.request({ method: 'GET', path }));
    // A new request of the same account, sent while the pause is on.
    await new Promise((r) => setTimeout(r, 150));
    expect(refusedAt).toBeGreaterThan(0);
    const late = http.request({ method: 'GET', path: '/e' });
    const answers = await Promise.all([...first, late]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);

    const firstTries = s.arrivals.slice(0, 4).map((a) => a.path).sort();
    expect(firstTries).toEqual(['/a', '/b', '/c', '/d']);
    expect(s.arrivals[0]!.at - started).toBeLessThan(1_000);
    const after = s.arrivals.slice(4);
    expect(after.map((a) => a.path).sort()).toEqual(['/a', '/b', '/c', '/d', '/e']);
    // Nothing reached the provider during the second it asked for (timers may fire a few ms early).
    for (const a of after) expect(a.at - refusedAt, `${a.path} came ${a.at - refusedAt} ms after the 429`).toBeGreaterThanOrEqual(990);
  });

  it('no more than the descriptor concurrency is ever in flight', async () => {
    const s = await serve(() => ({ status: 200, delayMs: 20 }));
    closers.push(s.close);
    const http = new HttpClient({ account: 'Narrow', baseUrl: s.base, concurrency: 2, backoffMs: 5, retries: 1 });
    closers.push(() => http.close());
    await Promise.all(Array.from({ length: 10 }, (_, i) => http.request({ method: 'GET', path: `/p${i}` })));
    expect(s.arrivals).toHaveLength(10);
    expect(s.maxInFlight()).toBe(2);
  });

  it('a request aborted while it waits for a slot leaves the queue and the others go on', async () => {
    const s = await serve(() => ({ status: 200, delayMs: 40 }));
    closers.push(s.close);
    const http = new HttpClient({ account: 'Cancel', baseUrl: s.base, concurrency: 1, backoffMs: 5, retries: 1 });
    closers.push(() => http.close());
    const abort = new AbortController();
    const a = http.request({ method: 'GET', path: '/a' });
    const b = http.request({ method: 'GET', path: '/b', signal: abort.signal });
    const c = http.request({ method: 'GET', path: '/c' });
    abort.abort(new Error('cancelled by the user'));
    await expect(b).rejects.toThrow('cancelled by the user');
    expect((await a).status).toBe(200);
    expect((await c).status).toBe(200);
    expect(s.arrivals.map((x) => x.path)).toEqual(['/a', '/c']);
  });
});
