// autodialer-v4: the seed's reports/info example and the vendor's record shape (PROVIDERS.md) as fixtures served
// over HTTP, auth headers exactly as the seed sends them, error bodies, and the adapter against its simulator
// into a real SQLite cache: one call per try, ordered cursor, search refresh of changed records, windows, resume.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../electron/data/errors.ts';
import { HttpClient } from '../../../electron/data/net/http.ts';
import { autodialerV4, type AutodialerCursor } from '../../../electron/data/providers/autodialer-v4/adapter.ts';
import type { AdapterContext, SyncPage, SyncWindow } from '../../../electron/data/providers/types.ts';
import { startAutodialerV4Sim, type AutodialerSimulator } from '../../../electron/data/providers/autodialer-v4/simulator.ts';
import { readRequestBody } from '../../../electron/data/providers/simulation/faults.ts';
import { startSimServer, type SimServer } from '../../../electron/data/providers/simulation/server.ts';
import type { ExpectedCall } from '../../../electron/data/providers/simulation/types.ts';
import { toIsoUtc } from '../../../electron/data/time/zone.ts';
import { openWorkspace, type Workspace } from '../../../electron/data/workspace.ts';
import { cannedAnswerServer, firstFailure } from '../../helpers/canned-answer.ts';
import { driveAdapter, type DrivenPages } from '../../helpers/drive-adapter.ts';
import { cachedCalls as cached } from '../../helpers/provider-oracle.ts';
import { simulatorWorkspace } from '../../helpers/simulator-workspace.ts';

const ZONE = 'Asia/Tehran';
// The seed's own credentials: 'Authorization: Basic c2FkcjpTYWRyQDEyMw==' is base64("sadr:Sadr@123").
const SEED_SECRETS = { apiKey: '9UV0BWKRL83PYIH9Gv1fI85d41lO4S932EeX3wHC47sHjMJOMG', username: 'sadr', password: 'Sadr@123' };

/** seed 000, reports/info, verbatim. */
const SEED_INFO = `{
    "success": 1,
    "message": "Requested operation is done successfully",
    "data": {
        "dcontext": "poll07",
        "amaflags": "DOCUMENTATION",
        "channel": "SIP/dahdi-00000be0",
        "duration": 2,
        "wait": 0
    }
}`;

/** A record in the shape PROVIDERS.md gives, with the documented Jalali/epoch pair and booleans as strings. */
const RECORD = {
  _id: { $oid: '602e50ce305bdd377168a8b0' },
  campaign_id: { $oid: '5ff2a1d3305bdd3771680001' },
  campaign: 'یادآوری اقساط',
  number: '09121234567',
  disposition: 'ANSWERED',
  try: '1',
  billsec: '2',
  wait: '0',
  billsec_hhmmss: '00:00:02',
  start: '1399-11-21 15:10:04',
  end: '1399-11-21 15:10:06',
  date: '1399-11-21 15:10:04',
  alike: 'true',
  tries: [
    {
      cdr_id: { $oid: '602e50ce305bdd377168a8c1' },
      cause: '16',
      'cause-txt': 'Normal Clearing',
      starttime: { $date: { $numberLong: '1612870804000' } },
      disposition: 'ANSWERED',
      wait: 0,
    },
  ],
};

const clients: HttpClient[] = [];
function client(baseUrl: string, account: string, secrets: string[]): HttpClient {
  const c = new HttpClient({ account, baseUrl, secrets, retries: 2, backoffMs: 1, maxBackoffMs: 5 });
  clients.push(c);
  return c;
}
afterAll(async () => {
  for (const c of clients) await c.close();
});

function ctxFor(account: string, baseUrl: string, secrets: Record<string, string>, cursor: unknown = null, window: SyncWindow = { from: null, to: null }): AdapterContext {
  return {
    account: { name: account, baseUrl, timezone: ZONE },
    secrets,
    http: client(baseUrl, account, Object.values(secrets)),
    window,
    cursor,
    ids: [],
    signal: new AbortController().signal,
  };
}

const sorted = (xs: ExpectedCall[]) => [...xs].sort((a, b) => (a.callId < b.callId ? -1 : 1));

/** One sync of `account` through the adapter alone; `stopAfter` pages simulates a crash after that many commits. */
function syncInto(ws: Workspace, account: string, baseUrl: string, secrets: Record<string, string>, cursor: unknown, opts: { window?: SyncWindow; stopAfter?: number } = {}): Promise<DrivenPages> {
  const pages = autodialerV4.pages(ctxFor(account, baseUrl, secrets, cursor, opts.window));
  return driveAdapter(ws.db, ws.accounts.get(account).id, pages, { cursor, stopAfter: opts.stopAfter });
}

describe('autodialer-v4: the seed and the documented record', () => {
  let server: SimServer;
  const seen: { path: string; headers: IncomingMessage['headers']; body: unknown }[] = [];
  beforeAll(async () => {
    server = await startSimServer(async (req: IncomingMessage, res: ServerResponse, url: URL) => {
      const body = JSON.parse((await readRequestBody(req)) || '{}') as { _id?: string };
      seen.push({ path: url.pathname, headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      if (url.pathname.endsWith('/reports/info')) res.end(SEED_INFO);
      else if (url.pathname.endsWith('/reports/ordered/id') && body._id === '') {
        res.end(JSON.stringify({ success: 1, message: '', data: { data: [RECORD], last_id: RECORD._id.$oid } }));
      } else res.end(JSON.stringify({ success: 1, message: '', data: { data: [], last_id: body._id ?? '' } }));
    });
  });
  afterAll(() => server.close());

  it('maps the try: 1399-11-21 15:10:04 Tehran is 2021-02-09T11:40:04Z, duration and wait from reports/info', async () => {
    const pages: SyncPage[] = [];
    for await (const p of autodialerV4.pages(ctxFor('Tehran seed', server.baseUrl, SEED_SECRETS))) pages.push(p);
    const cdrs = pages.flatMap((p) => p.cdrs);
    expect(cdrs).toHaveLength(1);
    const c = cdrs[0]!;
    expect({ ...c, startedAt: toIsoUtc(c.startedAt), answeredAt: toIsoUtc(c.answeredAt), endedAt: toIsoUtc(c.endedAt), raw: undefined }).toEqual({
      callId: '602e50ce305bdd377168a8c1',
      campaignId: '5ff2a1d3305bdd3771680001',
      campaign: 'یادآوری اقساط',
      direction: 'out',
      source: null,
      destination: '09121234567',
      status: 'answered',
      providerStatus: 'ANSWERED',
      startedAt: '2021-02-09T11:40:04Z',
      answeredAt: '2021-02-09T11:40:04Z',
      endedAt: '2021-02-09T11:40:06Z',
      durationSec: 2,
      billSec: 2,
      waitSec: 0,
      keypress: null,
      agent: null,
      recording: null,
      extraText: 'Normal Clearing SIP/dahdi-00000be0',
      raw: undefined,
    });
    expect((c.raw as { info: unknown }).info).toEqual((JSON.parse(SEED_INFO) as { data: unknown }).data);
    // The cursor: the ordered reader's last id, and the record's Jalali date as the latest instant seen.
    const cur = pages[pages.length - 1]!.cursor as AutodialerCursor;
    expect(cur.lastId).toBe('602e50ce305bdd377168a8b0');
    expect(toIsoUtc(cur.hw)).toBe('2021-02-09T11:40:04Z');
  });

  it('sends the seed\'s headers exactly, as JSON POSTs, and asks reports/info with the try\'s cdr_id', () => {
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const s of seen) {
      expect(s.headers['x-apikey']).toBe(SEED_SECRETS.apiKey);
      expect(s.headers.authorization).toBe('Basic c2FkcjpTYWRyQDEyMw==');
      expect(s.headers['content-type']).toBe('application/json');
    }
    expect(seen[0]).toMatchObject({ path: '/api/v4/autodialer/reports/ordered/id', body: { _id: '' } });
    expect(seen.find((s) => s.path.endsWith('/reports/info'))!.body).toEqual({ _id: '602e50ce305bdd377168a8c1' });
    // After the ordered reader, one search asks the dialer's count of all records (the sync's own check).
    const ordered = seen.filter((s) => s.path.endsWith('/reports/ordered/id'));
    expect(ordered[ordered.length - 1]).toMatchObject({ path: '/api/v4/autodialer/reports/ordered/id', body: { _id: '602e50ce305bdd377168a8b0' } });
    // Both spellings of the cursor: the examples send `_id`, the parameter table names `id_`.
    expect(ordered[ordered.length - 1]!.body).toMatchObject({ id_: '602e50ce305bdd377168a8b0' });
    expect(seen[seen.length - 1]).toMatchObject({ path: '/api/v4/autodialer/reports/search', body: { pagination: { start: 0, count: 1 } } });
  });
});

describe('autodialer-v4: provider errors', () => {
  const canned = cannedAnswerServer();
  const failure = () => firstFailure(autodialerV4.pages(ctxFor('Shiraz', canned.baseUrl(), SEED_SECRETS)));

  it('{"success":0,"message":"..."} is a UserError naming the account and the message', async () => {
    canned.answer = { status: 200, body: '{"success":0,"message":"Campaign not found"}' };
    const err = await failure();
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/^account "Shiraz": autodialer-v4 \/api\/v4\/autodialer\/reports\/ordered\/id: Campaign not found \(HTTP 200\)$/);
  });

  it('success as the string "0" is a failure too; a 401 says which secrets to check, never their values', async () => {
    canned.answer = { status: 200, body: '{"success":"0","message":"Something failed"}' };
    expect((await failure()).message).toContain('Something failed');
    canned.answer = { status: 401, body: '{"success":0,"message":"Authentication failed"}' };
    const err = await failure();
    expect(err.message).toContain('Authentication failed (check the API key, username and password) (HTTP 401)');
    for (const v of Object.values(SEED_SECRETS)) expect(err.message).not.toContain(v);
  });

  // A missing secret is named by the accounts layer before any adapter runs (test/accounts/accounts.test.ts).
  it('testConnection fails the same way', async () => {
    canned.answer = { status: 403, body: '{"success":0,"message":"Invalid API key"}' };
    await expect(autodialerV4.testConnection(ctxFor('Shiraz', canned.baseUrl(), SEED_SECRETS))).rejects.toThrow(/account "Shiraz".*Invalid API key/);
  });
});

describe('autodialer-v4: adapter against its simulator, into a real cache', () => {
  const fx = simulatorWorkspace(() => startAutodialerV4Sim({ seed: 5, calls: 400 }));
  let n = 0;

  async function account(): Promise<string> {
    const name = `Tehran ${++n}`;
    await fx.addAccount(name);
    return name;
  }

  it('generates records with several tries, Persian campaign names and every disposition', () => {
    expect(fx.sim.recordCount()).toBeLessThan(fx.sim.expected.length);
    expect(fx.sim.expected.some((e) => /[\u0600-\u06FF]/.test(e.campaign ?? ''))).toBe(true);
    expect(new Set(fx.sim.expected.map((e) => e.providerStatus))).toEqual(
      new Set(['ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED', 'CONGESTION', 'LOST', 'CHANUNAVAIL', 'RINGING']),
    );
  });

  let main: string;
  let cursor: unknown = null;
  it('stores one call per try, exactly, enriching every try from reports/info', async () => {
    main = await account();
    const info0 = fx.sim.infoRequests();
    const r = await syncInto(fx.ws, main, fx.sim.baseUrl, fx.sim.secrets, null);
    cursor = r.cursor;
    expect(cached(fx.ws, main)).toEqual(sorted(fx.sim.expected));
    expect(r.inserted).toBe(fx.sim.expected.length);
    expect(fx.sim.infoRequests() - info0).toBe(fx.sim.expected.length);
    expect((cursor as AutodialerCursor).lastId).toMatch(/^[0-9a-f]{24}$/);
  });

  it('a second sync changes nothing and re-reads only the overlap window', async () => {
    const info0 = fx.sim.infoRequests();
    const r = await syncInto(fx.ws, main, fx.sim.baseUrl, fx.sim.secrets, cursor);
    cursor = r.cursor;
    expect({ inserted: r.inserted, updated: r.updated }).toEqual({ inserted: 0, updated: 0 });
    expect(fx.sim.infoRequests() - info0).toBeLessThan(fx.sim.expected.length / 4);
    expect(cached(fx.ws, main)).toEqual(sorted(fx.sim.expected));
  });

  it('new records and new tries of known records are added once', async () => {
    const added = fx.sim.mutate('add', 6);
    const r = await syncInto(fx.ws, main, fx.sim.baseUrl, fx.sim.secrets, cursor);
    cursor = r.cursor;
    expect({ inserted: r.inserted, updated: r.updated }).toEqual({ inserted: 6, updated: 0 });
    expect(added).toHaveLength(6);
    expect(cached(fx.ws, main)).toEqual(sorted(fx.sim.expected));
  });

  it('a try that was ringing and has ended is updated in place, and its sibling tries are untouched', async () => {
    const changed = fx.sim.mutate('update', 3);
    expect(changed).toHaveLength(3);
    const r = await syncInto(fx.ws, main, fx.sim.baseUrl, fx.sim.secrets, cursor);
    cursor = r.cursor;
    expect({ inserted: r.inserted, updated: r.updated }).toEqual({ inserted: 0, updated: 3 });
    expect(cached(fx.ws, main)).toEqual(sorted(fx.sim.expected));
  });

  it('a sync killed midway resumes after the last committed ordered page, exactly', async () => {
    const name = await account();
    const first = await syncInto(fx.ws, name, fx.sim.baseUrl, fx.sim.secrets, null, { stopAfter: 3 });
    const partial = cached(fx.ws, name).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(fx.sim.expected.length);
    const second = await syncInto(fx.ws, name, fx.sim.baseUrl, fx.sim.secrets, first.cursor);
    expect(second.inserted).toBe(fx.sim.expected.length - partial);
    expect(second.fetched).toBe(fx.sim.expected.length - partial);
    expect(cached(fx.ws, name)).toEqual(sorted(fx.sim.expected));
  });

  it('an explicit window reads reports/search (Gregorian minutes in Tehran) and returns that window', async () => {
    const name = await account();
    const starts = fx.sim.expected.map((e) => Date.parse(e.startedAt!)).sort((a, b) => a - b);
    const from = starts[Math.floor(starts.length / 3)]!;
    const to = starts[Math.floor((2 * starts.length) / 3)]!;
    const r = await syncInto(fx.ws, name, fx.sim.baseUrl, fx.sim.secrets, null, { window: { from, to } });
    expect((r.cursor as AutodialerCursor).search).toBeNull();
    const got = cached(fx.ws, name);
    const truth = new Map(fx.sim.expected.map((e) => [e.callId, e]));
    for (const c of got) expect(c).toEqual(truth.get(c.callId));
    // A record is in the window by its last change: its latest try started in the window (to the minute).
    const latestInWindow = fx.sim.expected.filter((e) => {
      const t = Date.parse(e.startedAt!);
      return t >= from && t <= to;
    });
    expect(got.length).toBeGreaterThan(latestInWindow.length / 2);
    expect(got.length).toBeLessThan(fx.sim.expected.length);
  });

  it('wrong credentials fail with the provider message and no rows', async () => {
    const name = await account();
    await expect(syncInto(fx.ws, name, fx.sim.baseUrl, { ...fx.sim.secrets, password: 'nope' }, null)).rejects.toThrow(/account "Tehran \d+": autodialer-v4 .*Authentication failed.*HTTP 401/);
    await expect(syncInto(fx.ws, name, fx.sim.baseUrl, { ...fx.sim.secrets, apiKey: 'nope' }, null)).rejects.toThrow(/Invalid API key.*HTTP 403/);
    expect(cached(fx.ws, name)).toEqual([]);
  });
});

describe('autodialer-v4: records from the years Tehran still kept summer time', () => {
  const fx = simulatorWorkspace(() => startAutodialerV4Sim({ seed: 21, calls: 150, start: Date.UTC(2020, 8, 18), end: Date.UTC(2020, 8, 23) }), ['Mashhad']);
  it('syncs exactly across the night the clocks went back (1399-06-30, 2020-09-20) and again changes nothing', async () => {
    const first = await syncInto(fx.ws, 'Mashhad', fx.sim.baseUrl, fx.sim.secrets, null);
    expect(cached(fx.ws, 'Mashhad')).toEqual(sorted(fx.sim.expected));
    // The cursor's high-water mark comes from the records' Jalali dates: it is the latest record's change.
    const latest = Math.max(...fx.sim.expected.map((e) => Date.parse(e.startedAt!)));
    expect((first.cursor as AutodialerCursor).hw).toBe(latest);
    const again = await syncInto(fx.ws, 'Mashhad', fx.sim.baseUrl, fx.sim.secrets, first.cursor);
    expect({ inserted: again.inserted, updated: again.updated }).toEqual({ inserted: 0, updated: 0 });
  });
});
