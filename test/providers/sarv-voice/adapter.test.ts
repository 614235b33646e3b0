// sarv-voice: the seed's own example as a fixture, the trailing-comma body, batch shrinking on 019, error codes,
// token redaction, and the adapter against its simulator into a real SQLite cache.
import { writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowToCdr, type CdrDbRow } from '../../../electron/data/db/cdrs.ts';
import { HttpClient } from '../../../electron/data/net/http.ts';
import { readIdsFile } from '../../../electron/data/accounts/ids-import.ts';
import { mapSarvEntry, parseSarvTime, parseTolerantJson, sarvVoiceAdapter } from '../../../electron/data/providers/sarv-voice/adapter.ts';
import type { AdapterContext, SyncPage } from '../../../electron/data/providers/types.ts';
import { startSarvVoiceSim, type SarvSimulator } from '../../../electron/data/providers/sarv-voice/simulator.ts';
import { startSimServer, type SimServer } from '../../../electron/data/providers/simulation/server.ts';
import type { ExpectedCall } from '../../../electron/data/providers/simulation/types.ts';
import { syncAccounts } from '../../../electron/data/sync/engine.ts';
import { toIsoUtc } from '../../../electron/data/time/zone.ts';
import { openWorkspace, type Workspace } from '../../../electron/data/workspace.ts';
import { driveAdapter } from '../../helpers/drive-adapter.ts';
import { simulatorWorkspace } from '../../helpers/simulator-workspace.ts';
import { tempDir } from '../../helpers/tmp.ts';

/** The seed's documented answer, byte for byte in structure: note the comma after "invalid unique id". */
const SEED_BODY = `{
"status":"success",
"code":"000",
"desc":"Request Submitted Successfully",
"data":{
"5950_3_10-u1":{
"status":"success",
"desc":"unique id fetched found",
"data":{
"status":"Dialed",
"report":"Congession",
"contact_number":"9782XXXXXX",
"duration":"0",
"time_start":"10-Oct-2017 2:34:58 PM",
"time_connect":"10-Oct-2017 2:35:11 PM",
"time_end":"10-Oct-2017 2:35:11 PM",
"dtmf":""
}
},
"5950_4_10-u1":{
"status":"success",
"desc":"unique id fetched found",
"data":{
"status":"Dialed",
"report":"Answered",
"contact_number":"8947XXXXXX",
"duration":"1",
"time_start":"10-Oct-2017 2:34:52 PM",
"time_connect":"10-Oct-2017 2:34:57 PM",
"time_end":"10-Oct-2017 2:34:58 PM",
"dtmf":""
}
},
"abcd":{
"status":"error",
"desc":"invalid unique id",
}
}
}`;

const ACCOUNT = 'Jaipur OBD';
const TOKEN = 'abcXYZ-s3cret-t0ken';

function ctxFor(http: HttpClient, secrets: Record<string, string>, ids: readonly string[], cursor: unknown = null): AdapterContext {
  return {
    account: { name: ACCOUNT, baseUrl: 'http://127.0.0.1', timezone: 'Asia/Kolkata' },
    secrets,
    http,
    window: { from: null, to: null },
    cursor,
    ids,
    signal: new AbortController().signal,
  };
}

async function collect(ctx: AdapterContext): Promise<SyncPage[]> {
  const pages: SyncPage[] = [];
  for await (const p of sarvVoiceAdapter.pages(ctx)) pages.push(p);
  return pages;
}

/** A raw server that answers every request with `body` (200) and remembers the requests' bodies. */
async function fixedServer(body: string | ((n: number) => string)): Promise<SimServer & { seen: string[] }> {
  const seen: string[] = [];
  const server = await startSimServer(async (req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    seen.push(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : body(seen.length));
  });
  return Object.assign(server, { seen });
}

const clients: HttpClient[] = [];
function client(baseUrl: string, secrets: string[] = [TOKEN]): HttpClient {
  const c = new HttpClient({ account: ACCOUNT, baseUrl, secrets, retries: 1, backoffMs: 1, maxBackoffMs: 5 });
  clients.push(c);
  return c;
}
afterAll(async () => {
  for (const c of clients) await c.close();
});

describe('sarv-voice: the seed document', () => {
  it('its body is not strict JSON, and the tolerant parser reads it', () => {
    expect(() => JSON.parse(SEED_BODY)).toThrow();
    const body = parseTolerantJson(SEED_BODY) as { data: Record<string, { status: string; desc: string }> };
    expect(Object.keys(body.data)).toEqual(['5950_3_10-u1', '5950_4_10-u1', 'abcd']);
    expect(body.data.abcd).toEqual({ status: 'error', desc: 'invalid unique id' });
  });

  it('removes trailing commas only outside strings', () => {
    expect(parseTolerantJson('{"a":[1,2,],"b":"x,}","c":"q\\",]", }')).toEqual({ a: [1, 2], b: 'x,}', c: 'q",]' });
    expect(parseTolerantJson('[ {"k" : ",]" , } ,\n ]')).toEqual([{ k: ',]' }]);
    expect(() => parseTolerantJson('{"a":1,,}')).toThrow();
  });

  it('maps the two documented calls exactly (statuses, UTC times, numbers as text)', () => {
    const body = parseTolerantJson(SEED_BODY) as { data: Record<string, Parameters<typeof mapSarvEntry>[1]> };
    const congested = mapSarvEntry('5950_3_10-u1', body.data['5950_3_10-u1']!, 'Asia/Kolkata', ACCOUNT);
    expect({ ...congested, startedAt: toIsoUtc(congested.startedAt), endedAt: toIsoUtc(congested.endedAt) }).toMatchObject({
      callId: '5950_3_10-u1', status: 'congestion', providerStatus: 'Congession', destination: '9782XXXXXX', direction: 'out',
      startedAt: '2017-10-10T09:04:58Z', answeredAt: null, endedAt: '2017-10-10T09:05:11Z', durationSec: 0, billSec: 0,
      keypress: null, waitSec: null,
    });
    const answered = mapSarvEntry('5950_4_10-u1', body.data['5950_4_10-u1']!, 'Asia/Kolkata', ACCOUNT);
    expect([answered.status, answered.providerStatus, answered.destination]).toEqual(['answered', 'Answered', '8947XXXXXX']);
    expect([answered.startedAt, answered.answeredAt, answered.endedAt].map(toIsoUtc)).toEqual([
      '2017-10-10T09:04:52Z', '2017-10-10T09:04:57Z', '2017-10-10T09:04:58Z',
    ]);
    expect([answered.durationSec, answered.billSec, answered.waitSec]).toEqual([1, 1, 5]);
    expect(answered.raw).toEqual(body.data['5950_4_10-u1']);
  });

  it('reads 12-hour times at noon and midnight, in the account zone, and refuses junk', () => {
    expect(toIsoUtc(parseSarvTime('1-Jan-2024 12:00:00 AM', 'Asia/Kolkata'))).toBe('2023-12-31T18:30:00Z');
    expect(toIsoUtc(parseSarvTime('1-Jan-2024 12:05:09 PM', 'Asia/Kolkata'))).toBe('2024-01-01T06:35:09Z');
    expect(toIsoUtc(parseSarvTime('10-Oct-2017 2:34:58 PM', 'UTC'))).toBe('2017-10-10T14:34:58Z');
    expect(parseSarvTime('', 'Asia/Kolkata')).toBeNull();
    expect(() => parseSarvTime('31-Feb-2024 1:00:00 PM', 'Asia/Kolkata')).toThrow(/not a valid time/);
    expect(() => parseSarvTime('2024-01-01 13:00', 'Asia/Kolkata')).toThrow(/10-Oct-2017/);
  });

  it('over HTTP: the documented answer gives two final calls and one unknown id, posting the documented form', async () => {
    const server = await fixedServer(SEED_BODY);
    try {
      const pages = await collect(ctxFor(client(server.baseUrl), { username: 'jaipur', token: TOKEN }, ['5950_3_10-u1', '5950_4_10-u1', 'abcd']));
      expect(pages).toHaveLength(1);
      expect(pages[0]!.cdrs.map((c) => [c.callId, c.status])).toEqual([['5950_3_10-u1', 'congestion'], ['5950_4_10-u1', 'answered']]);
      expect(pages[0]!.notFound).toEqual(['abcd']);
      expect(pages[0]!.final).toEqual(['5950_3_10-u1', '5950_4_10-u1']);
      expect(Object.fromEntries(new URLSearchParams(server.seen[0]))).toEqual({
        username: 'jaipur', token: TOKEN, unique_ids: '5950_3_10-u1,5950_4_10-u1,abcd',
      });
    } finally {
      await server.close();
    }
  });
});

describe('sarv-voice: errors', () => {
  it.each([
    ['001', /error 001, a required parameter is missing/],
    ['002', /error 002, a required parameter is blank/],
    ['003', /IP address is not in the account's Sarv whitelist/],
    ['004', /invalid user type/],
    ['005', /error 005, invalid credentials \(check the username and token\)/],
    ['006', /user is inactive/],
    ['011', /error 011 \("Something else happened"\)/],
  ])('code %s becomes one clear line naming the account and user, never the token', async (code, message) => {
    const server = await fixedServer(`{"status":"error","code":"${code}","desc":"Something else happened"}`);
    try {
      const err = await collect(ctxFor(client(server.baseUrl), { username: 'jaipur', token: TOKEN }, ['x'])).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      const text = (err as Error).message;
      expect(text).toMatch(message);
      expect(text).toContain(`account "${ACCOUNT}"`);
      expect(text).toContain('"jaipur"');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('\n');
    } finally {
      await server.close();
    }
  });

  it('refuses a body that is not JSON even tolerantly, naming the account, without the token', async () => {
    const server = await fixedServer(`{"status":"success","data":{"x":${TOKEN}}`);
    try {
      const err = (await collect(ctxFor(client(server.baseUrl), { username: 'u', token: TOKEN }, ['x'])).catch((e: Error) => e)) as Error;
      expect(err.message).toMatch(/not valid JSON/);
      expect(err.message).not.toContain(TOKEN);
    } finally {
      await server.close();
    }
  });

  it('a GET with the token in the query string is redacted in every failure message', async () => {
    const server = await startSimServer((_req, res) => void res.writeHead(503).end('down'));
    try {
      const http = client(server.baseUrl);
      const err = (await http
        .request({ method: 'GET', path: '/api/voice/fetch_report.php', query: { username: 'u', token: TOKEN, unique_ids: 'a,b' } })
        .catch((e: Error) => e)) as Error;
      expect(err.message).toMatch(/failed after 2 tries: HTTP 503/);
      expect(err.message).toContain('token=***');
      expect(err.message).not.toContain(TOKEN);
      // Even a client that was not told the secret scrubs `token=` from URLs.
      expect(client(server.baseUrl, []).redact(`GET ${server.baseUrl}/x?username=u&token=${TOKEN}&unique_ids=1`)).not.toContain(TOKEN);
    } finally {
      await server.close();
    }
  });
});

describe('sarv-voice against its simulator', () => {
  const fx = simulatorWorkspace(() => startSarvVoiceSim({ seed: 42, calls: 150, maxIdsPerCall: 7 }));
  let accountId: number;

  beforeAll(async () => {
    accountId = await fx.addAccount(ACCOUNT);
  });

  /** One sync run through the adapter, committing each page like the engine does. */
  async function run(ids: readonly string[], cursor: unknown = null) {
    const http = client(fx.sim.baseUrl, Object.values(fx.sim.secrets));
    const ctx = { ...ctxFor(http, fx.sim.secrets, ids, cursor), account: { name: ACCOUNT, baseUrl: fx.sim.baseUrl, timezone: fx.sim.timezone } };
    return driveAdapter(fx.ws.db, accountId, sarvVoiceAdapter.pages(ctx));
  }

  function stored(): Map<string, ExpectedCall> {
    const rows = fx.ws.db.prepare('SELECT * FROM cdrs WHERE account_id = ?').all(accountId) as CdrDbRow[];
    return new Map(
      rows.map((r) => {
        const c = rowToCdr(r, { name: ACCOUNT, provider: 'sarv-voice' });
        const { account: _a, provider: _p, keypress: _k, recording: _r, raw: _raw, ...rest } = c;
        return [c.callId, rest];
      }),
    );
  }

  it('syncs every imported id exactly, shrinking the batch on 019 and reporting unknown ids', async () => {
    const before = fx.sim.limitRefusals;
    const t = await run(fx.sim.ids);
    // 20 → 10 → 5: two refusals, then 5 ids a request.
    expect(fx.sim.limitRefusals - before).toBe(2);
    expect(t.cursor).toEqual({ batch: 5 });
    expect(t.inserted).toBe(fx.sim.expected.length);
    expect(t.notFound.sort()).toEqual([...fx.sim.unknownIds].sort());
    expect(fx.sim.unknownIds).toContain('abcd');
    const rows = stored();
    expect(rows.size).toBe(fx.sim.expected.length);
    for (const e of fx.sim.expected) expect(rows.get(e.callId)).toEqual(e);
    const pending = fx.sim.expected.filter((e) => e.status === 'pending').map((e) => e.callId);
    expect(pending.length).toBeGreaterThan(0);
    expect(t.final.sort()).toEqual(fx.sim.expected.filter((e) => e.status !== 'pending').map((e) => e.callId).sort());
  });

  it('a second run starts at the learned batch, changes nothing, and a pending call that got answered is updated', async () => {
    const pendingIds = fx.sim.expected.filter((e) => e.status === 'pending').map((e) => e.callId);
    const before = fx.sim.limitRefusals;
    const again = await run(pendingIds, { batch: 5 });
    expect(fx.sim.limitRefusals).toBe(before);
    expect([again.inserted, again.updated]).toEqual([0, 0]);

    const changed = fx.sim.mutate('update', 3);
    expect(changed.length).toBe(3);
    const t = await run(pendingIds, { batch: 5 });
    expect(t.updated).toBe(3);
    expect(t.final.sort()).toEqual(changed.map((c) => c.callId).sort());
    const rows = stored();
    for (const c of changed) expect(rows.get(c.callId)).toEqual(c);
  });

  it('new calls imported later are added', async () => {
    const added = fx.sim.mutate('add', 4);
    const t = await run(added.map((c) => c.callId), { batch: 5 });
    expect(t.inserted).toBe(4);
    const rows = stored();
    for (const c of added) expect(rows.get(c.callId)).toEqual(c);
  });

  it('a wrong token is error 005 naming the account, and the token never shows', async () => {
    const http = client(fx.sim.baseUrl, ['wrong-token-123']);
    const err = (await collect(ctxFor(http, { username: fx.sim.secrets.username!, token: 'wrong-token-123' }, fx.sim.ids.slice(0, 3))).catch(
      (e: Error) => e,
    )) as Error;
    expect(err.message).toMatch(new RegExp(`account "${ACCOUNT}": sarv-voice /api/voice/fetch_report.php: Sarv refused .* user "demo.sarv": error 005, invalid credentials`));
    expect(err.message).not.toContain('wrong-token-123');
    await expect(sarvVoiceAdapter.testConnection(ctxFor(client(fx.sim.baseUrl), fx.sim.secrets, []))).resolves.toBeUndefined();
  });

  it('a base URL that is not a Sarv panel says so instead of failing on JSON', async () => {
    const wrong = `${fx.sim.baseUrl}/panel`;
    const err = (await collect(ctxFor(client(wrong), fx.sim.secrets, ['x'])).catch((e: Error) => e)) as Error;
    expect(err.message).toBe(`account "${ACCOUNT}": sarv-voice /api/voice/fetch_report.php: not found under the base URL http://127.0.0.1 (is http://127.0.0.1 the API's address?) (HTTP 404)`);
  });

  it('retries a 503 with Retry-After and a truncated answer, then succeeds', async () => {
    fx.sim.faults.enqueue({ kind: 'status', status: 503, retryAfterSec: 0 }, { kind: 'truncate' });
    const ids = fx.sim.expected.slice(0, 3).map((e) => e.callId);
    const http = new HttpClient({ account: ACCOUNT, baseUrl: fx.sim.baseUrl, secrets: [fx.sim.secrets.token!], retries: 3, backoffMs: 1, maxBackoffMs: 5 });
    clients.push(http);
    const pages: SyncPage[] = [];
    for await (const p of sarvVoiceAdapter.pages({ ...ctxFor(http, fx.sim.secrets, ids, { batch: 5 }), account: { name: ACCOUNT, baseUrl: fx.sim.baseUrl, timezone: fx.sim.timezone } })) {
      pages.push(p);
    }
    expect(pages.flatMap((p) => p.cdrs.map((c) => c.callId))).toEqual(ids);
  });

  it('the simulator also answers the seed’s GET form and multipart POST', async () => {
    const id = fx.sim.expected[0]!.callId;
    const q = new URLSearchParams({ ...fx.sim.secrets, unique_ids: `${id},abcd` });
    const viaGet = await fetch(`${fx.sim.baseUrl}/api/voice/fetch_report.php?${q}`).then((r) => r.text());
    expect(viaGet).toContain('"desc":"invalid unique id",\n}');
    const form = new FormData();
    for (const [k, v] of Object.entries({ ...fx.sim.secrets, unique_ids: id })) form.append(k, v);
    const viaMultipart = parseTolerantJson(await fetch(`${fx.sim.baseUrl}/api/voice/fetch_report.php`, { method: 'POST', body: form }).then((r) => r.text()));
    expect(viaMultipart).toMatchObject({ status: 'success', code: '000', data: { [id]: { status: 'success' } } });
    const blank = await fetch(`${fx.sim.baseUrl}/api/voice/fetch_report.php?username=a&token=&unique_ids=1`).then((r) => r.json());
    expect(blank).toEqual({ status: 'error', code: '002', desc: 'Parameter is blank.' });
  });
});

describe('sarv-voice through the sync engine, ids imported from a CSV file', () => {
  const NAME = 'Sarv via engine';
  const fx = simulatorWorkspace(() => startSarvVoiceSim({ seed: 99, calls: 60, maxIdsPerCall: 12 }), [NAME]);

  const sync = async (ids?: readonly string[]) => (await syncAccounts(fx.ws, { accounts: [NAME], ids, http: { backoffMs: 1, retries: 2 } }))[0]!;
  const states = () =>
    Object.fromEntries(
      (fx.ws.db.prepare('SELECT state, count(*) n FROM known_ids GROUP BY state').all() as { state: string; n: number }[]).map((r) => [r.state, r.n]),
    );

  it('imports, syncs, remembers pending ids and refreshes them later', async () => {
    const csv = join(tempDir('sarv-ids-'), 'export.csv');
    writeFileSync(csv, `contact,unique_id\n${fx.sim.ids.map((id, i) => `98${i},${id}`).join('\n')}\n`);
    const ids = await readIdsFile(csv);
    expect(ids).toEqual(fx.sim.ids);
    const first = await sync(ids);
    expect(first).toMatchObject({ error: null, fetched: fx.sim.expected.length, inserted: fx.sim.expected.length, updated: 0, notFound: fx.sim.unknownIds.length });
    const pending = fx.sim.expected.filter((e) => e.status === 'pending').length;
    expect(states()).toEqual({ final: fx.sim.expected.length - pending, pending, not_found: fx.sim.unknownIds.length });

    const before = fx.sim.faults.requests;
    const second = await sync();
    expect(second).toMatchObject({ error: null, fetched: pending, inserted: 0, updated: 0, notFound: 0 });
    // Only the pending ids were asked again, at the learned batch size (no more 019 refusals).
    expect(fx.sim.faults.requests - before).toBe(Math.ceil(pending / 10)); // 20 was refused, 10 accepted

    const changed = fx.sim.mutate('update', 2);
    const third = await sync();
    expect(third).toMatchObject({ error: null, inserted: 0, updated: 2 });
    expect(states().final).toBe(fx.sim.expected.length - pending + 2);
    const a = fx.ws.accounts.get(NAME);
    for (const c of changed) {
      const row = fx.ws.db.prepare('SELECT * FROM cdrs WHERE account_id = ? AND call_id = ?').get(a.id, c.callId) as CdrDbRow;
      const { account: _a, provider: _p, keypress: _k, recording: _r, raw: _raw, ...rest } = rowToCdr(row, a);
      expect(rest).toEqual(c);
    }
  });
});

describe('sarv-voice: unknown ids in any shape, and the readings the document leaves open', () => {
  const IDS = ['k1', 'k2', 'bad', 'k3', 'k4', 'k5'];
  const entry = (id: string) =>
    `"${id}":{"status":"success","desc":"unique id fetched found","data":{"status":"Dialed","report":"Answered","contact_number":"98${id}","duration":"3","time_start":"10-Oct-2017 2:34:52 PM","time_connect":"10-Oct-2017 2:34:57 PM","time_end":"10-Oct-2017 2:35:00 PM","dtmf":""}}`;
  /** Answers like Sarv for the asked ids, with `unknown(asked)` deciding how a batch holding `bad` is answered. */
  async function sarvLike(unknown: (asked: string[]) => { status: number; body: string } | null) {
    const seen: string[][] = [];
    const server = await startSimServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const asked = (new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('unique_ids') ?? '').split(',');
      seen.push(asked);
      const special = asked.includes('bad') ? unknown(asked) : null;
      if (special) return void res.writeHead(special.status, { 'content-type': 'text/html' }).end(special.body);
      res.writeHead(200).end(`{"status":"success","code":"000","data":{${asked.filter((id) => id !== 'bad').map(entry).join(',')}}}`);
    });
    return Object.assign(server, { seen });
  }

  it.each([
    ['an error envelope for the whole batch', () => ({ status: 200, body: '{"status":"error","desc":"Invalid Unique Id"}' })],
    ['a 404 page for the whole batch', () => ({ status: 404, body: '<html><body>Not Found</body></html>' })],
    ['leaving the id out', () => null],
  ])('%s: the known ids of the batch are stored and the unknown one counted', async (_label, unknown) => {
    const server = await sarvLike(unknown);
    try {
      const pages = await collect(ctxFor(client(server.baseUrl), { username: 'u', token: TOKEN }, IDS));
      expect(pages.flatMap((p) => p.cdrs.map((c) => c.callId)).sort()).toEqual(['k1', 'k2', 'k3', 'k4', 'k5']);
      expect(pages.flatMap((p) => p.notFound)).toEqual(['bad']);
      // Split (or asked alone) until `bad` stands alone: a handful of requests, not one per id.
      expect(server.seen.length).toBeLessThanOrEqual(5);
      expect(server.seen).toContainEqual(['bad']);
    } finally {
      await server.close();
    }
  });

  it('a server that silently answers only the first ids: the rest are asked again, fewer at a time', async () => {
    const seen: string[][] = [];
    const server = await startSimServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const asked = (new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('unique_ids') ?? '').split(',');
      seen.push(asked);
      res.writeHead(200).end(`{"status":"success","code":"000","data":{${asked.slice(0, 2).map(entry).join(',')}}}`);
    });
    try {
      const pages = await collect(ctxFor(client(server.baseUrl), { username: 'u', token: TOKEN }, ['k1', 'k2', 'k3', 'k4', 'k5']));
      expect(pages.flatMap((p) => p.cdrs.map((c) => c.callId))).toEqual(['k1', 'k2', 'k3', 'k4', 'k5']);
      expect(seen).toEqual([['k1', 'k2', 'k3', 'k4', 'k5'], ['k3', 'k4'], ['k5']]);
      expect(pages.at(-1)!.cursor).toEqual({ batch: 2 });
    } finally {
      await server.close();
    }
  });
});
