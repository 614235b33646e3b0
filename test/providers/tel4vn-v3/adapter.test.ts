// tel4vn-v3: the seed's own JSON as fixtures (served over HTTP and mapped), error bodies, and the adapter against
// its simulator into a real SQLite cache: exact calls, leads that are not calls, campaign stats as reported,
// incremental re-syncs (a lead dialled again keeps its previous call), windows, and a sync killed midway.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../electron/data/errors.ts';
import { HttpClient } from '../../../electron/data/net/http.ts';
import { mapTel4vnLead, TEL4VN_BACKTRACK, TEL4VN_PAGE_LIMIT, TEL4VN_PREFETCH, tel4vnV3, type Tel4vnCursor } from '../../../electron/data/providers/tel4vn-v3/adapter.ts';
import type { AdapterContext, CampaignReport, LeadInfo, SyncPage, SyncWindow } from '../../../electron/data/providers/types.ts';
import { startSimServer, type SimServer } from '../../../electron/data/providers/simulation/server.ts';
import { startTel4vnV3Sim, type Tel4vnSimulator } from '../../../electron/data/providers/tel4vn-v3/simulator.ts';
import type { ExpectedCall } from '../../../electron/data/providers/simulation/types.ts';
import { toIsoUtc } from '../../../electron/data/time/zone.ts';
import { openWorkspace, type Workspace } from '../../../electron/data/workspace.ts';
import { cannedAnswerServer, firstFailure } from '../../helpers/canned-answer.ts';
import { driveAdapter, type DrivenPages } from '../../helpers/drive-adapter.ts';
import { cachedCalls as cached, differences } from '../../helpers/provider-oracle.ts';
import { simulatorWorkspace } from '../../helpers/simulator-workspace.ts';

const ZONE = 'Asia/Ho_Chi_Minh';
const TOKEN = 'seed-token-Zx81';

// ---- the seed's examples, verbatim

const SEED_CAMPAIGNS = `{"data":[
 {"answered":1,"busy":4,"busy_line":0,"campaign_name":"AutocallTTS","campaign_uuid":"fdccdbf2-bc4b-4a0f-a7ea-cb0239daaa7d","cancel":0,"congestion":0,"inbound":0,"invalid":0,"ivr":0,"local":0,"no_answered":1,"not_available":0,"outbound":6,"phone_block":0,"total":6},
 {"answered":0,"busy":0,"busy_line":0,"campaign_name":"AutocallAudio","campaign_uuid":"c2da23c0-9739-4287-828a-7b15cf0fb19e","cancel":0,"congestion":0,"inbound":0,"invalid":0,"ivr":0,"local":0,"no_answered":0,"not_available":0,"outbound":0,"phone_block":0,"total":0},
 {"answered":0,"busy":0,"busy_line":0,"campaign_name":"VoiceOTP110","campaign_uuid":"853b76cc-bffb-4d1b-9f9e-19b1a0fe7894","cancel":0,"congestion":0,"inbound":0,"invalid":0,"ivr":0,"local":0,"no_answered":0,"not_available":0,"outbound":0,"phone_block":0,"total":0},
 {"answered":0,"busy":0,"busy_line":0,"campaign_name":"TestDelete","campaign_uuid":"5ec47358-d062-4385-9fe7-b5e571055f01","cancel":0,"congestion":0,"inbound":0,"invalid":0,"ivr":0,"local":0,"no_answered":0,"not_available":0,"outbound":0,"phone_block":0,"total":0}
]}`;

const SEED_LEADS = `{
    "data": [
        {
            "billsec": 22, "called_count": 4, "campaign_name": "AutocallTTS",
            "cdr_uuid": "93d7d283-1a5c-40ad-bb93-64bb256bd901", "contract_number": "", "duration": 31, "lead_code": "",
            "lead_uuid": "2f8b1c0f-da79-4dfb-959d-1b611cf0cd6a", "lead_name": "", "list_name": "ListAutocall01",
            "phone_number": "0775702541", "press_key": "{}", "record_name": "93d7d283-1a5c-40ad-bb93-64bb256bd901.mp3",
            "recording_url": "/usr/local/freeswitch/recordings/autocall.tel4vn.com/archive/2023/Mar/07",
            "status": "answered",
            "additional": { "data1": 1, "miengiam": "Giảm 50% gốc", "phone_number": "0775702541", "sdt": "0981218709", "ten": "Đỗ Thị Ngà" },
            "start_stamp": "2023-03-07 13:34:26", "end_stamp": "2023-03-07 13:34:57", "answer_stamp": "2023-03-07 13:34:35",
            "created_at": "2023-03-07T13:34:21.310357+07:00", "last_call_time": "2023-03-07T20:36:42+07:00"
        },
        {
            "billsec": 0, "called_count": 4, "campaign_name": "AutocallTTS", "cdr_uuid": "", "contract_number": "",
            "duration": 0, "lead_code": "", "lead_uuid": "32ce7469-18fe-4b71-a6d8-2add7a222383", "lead_name": "",
            "list_name": "ListAutocall01", "phone_number": "0775702541", "press_key": "", "record_name": "", "recording_url": "",
            "status": "",
            "additional": { "data1": 1, "miengiam": "Giảm 50% gốc", "phone_number": "0775702541", "sdt": "0981218709", "ten": "Đỗ Thị Ngà" },
            "start_stamp": "", "end_stamp": "", "answer_stamp": "",
            "created_at": "2023-03-07T10:52:01.102873+07:00", "last_call_time": "2023-03-07T17:52:48+07:00"
        },
        {
            "billsec": 0, "called_count": 4, "campaign_name": "AutocallTTS", "cdr_uuid": "", "contract_number": "",
            "duration": 0, "lead_code": "", "lead_uuid": "fa145343-09ca-4124-baec-069fce2226f5", "lead_name": "",
            "list_name": "ListAutocall01", "phone_number": "0775702541", "press_key": "", "record_name": "", "recording_url": "",
            "status": "",
            "additional": { "data1": 1, "miengiam": "Giảm 50% gốc", "phone_number": "0775702541", "sdt": "0981218709", "ten": "Đỗ Thị Ngà" },
            "start_stamp": "", "end_stamp": "", "answer_stamp": "",
            "created_at": "2023-03-07T10:40:27.27422+07:00", "last_call_time": "2023-03-07T17:43:43+07:00"
        }
    ],
    "limit": 10, "offset": 0, "total": 3
}`;

// ---- harness: the adapter's pages committed into a real cache, one transaction per page (as the engine does)

const clients: HttpClient[] = [];
function client(baseUrl: string, account: string, secrets: string[]): HttpClient {
  const c = new HttpClient({ account, baseUrl, secrets, retries: 2, backoffMs: 1, maxBackoffMs: 5 });
  clients.push(c);
  return c;
}
afterAll(async () => {
  for (const c of clients) await c.close();
});

function ctxFor(account: string, baseUrl: string, token: string, cursor: unknown = null, window: SyncWindow = { from: null, to: null }): AdapterContext {
  return {
    account: { name: account, baseUrl, timezone: ZONE },
    secrets: { token },
    http: client(baseUrl, account, [token]),
    window,
    cursor,
    ids: [],
    signal: new AbortController().signal,
  };
}

/** One sync of `account` through the adapter alone; `stopAfter` pages simulates a crash after that many commits. */
function syncInto(ws: Workspace, account: string, baseUrl: string, token: string, cursor: unknown, opts: { window?: SyncWindow; stopAfter?: number } = {}): Promise<DrivenPages> {
  const pages = tel4vnV3.pages(ctxFor(account, baseUrl, token, cursor, opts.window));
  return driveAdapter(ws.db, ws.accounts.get(account).id, pages, { cursor, stopAfter: opts.stopAfter });
}


const sorted = (xs: ExpectedCall[]) => [...xs].sort((a, b) => (a.callId < b.callId ? -1 : 1));

// ---- the seed, served as documented

describe('tel4vn-v3: the seed document', () => {
  let server: SimServer;
  const queries: URLSearchParams[] = [];
  const auth: (string | undefined)[] = [];
  beforeAll(async () => {
    server = await startSimServer((req: IncomingMessage, res: ServerResponse, url: URL) => {
      queries.push(url.searchParams);
      auth.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/json' });
      if (url.pathname === '/v3/report/call/campaign') res.end(SEED_CAMPAIGNS);
      else if (url.searchParams.get('campaign_uuid') === 'fdccdbf2-bc4b-4a0f-a7ea-cb0239daaa7d') res.end(SEED_LEADS);
      else res.end('{"data":[],"limit":500,"offset":0,"total":0}');
    });
  });
  afterAll(() => server.close());

  it('maps the called lead exactly: status, UTC times, numbers, keypress, recording, names', () => {
    const body = JSON.parse(SEED_LEADS) as { data: Record<string, unknown>[] };
    const cdr = mapTel4vnLead(body.data[0]!, ZONE, { id: 'fdccdbf2-bc4b-4a0f-a7ea-cb0239daaa7d', name: 'AutocallTTS' })!;
    expect({ ...cdr, startedAt: toIsoUtc(cdr.startedAt), answeredAt: toIsoUtc(cdr.answeredAt), endedAt: toIsoUtc(cdr.endedAt), raw: undefined }).toEqual({
      callId: '93d7d283-1a5c-40ad-bb93-64bb256bd901',
      campaignId: 'fdccdbf2-bc4b-4a0f-a7ea-cb0239daaa7d',
      campaign: 'AutocallTTS',
      direction: 'out',
      source: null,
      destination: '0775702541',
      status: 'answered',
      providerStatus: 'answered',
      // start/answer/end stamps are naive Vietnam times (UTC+7); last_call_time (20:36:42+07:00) is not used.
      startedAt: '2023-03-07T06:34:26Z',
      answeredAt: '2023-03-07T06:34:35Z',
      endedAt: '2023-03-07T06:34:57Z',
      durationSec: 31,
      billSec: 22,
      waitSec: null,
      keypress: null,
      agent: null,
      recording: '/usr/local/freeswitch/recordings/autocall.tel4vn.com/archive/2023/Mar/07/93d7d283-1a5c-40ad-bb93-64bb256bd901.mp3',
      contact: null, // lead_name is "" in the seed; the name there is only in the customer's own `additional` fields
      extraText: 'ListAutocall01 Giảm 50% gốc 0775702541 0981218709 Đỗ Thị Ngà',
      raw: undefined,
    });
    expect(cdr.raw).toEqual(body.data[0]);
  });

  it('the two leads never called are not calls', () => {
    const body = JSON.parse(SEED_LEADS) as { data: Record<string, unknown>[] };
    expect(mapTel4vnLead(body.data[1]!, ZONE, { id: null, name: null })).toBeNull();
    expect(mapTel4vnLead(body.data[2]!, ZONE, { id: null, name: null })).toBeNull();
  });

  it('a sync over the seed answers: one call, three leads, four campaigns and their stats as reported', async () => {
    const pages: SyncPage[] = [];
    for await (const p of tel4vnV3.pages(ctxFor('Saigon seed', server.baseUrl, TOKEN))) pages.push(p);
    const cdrs = pages.flatMap((p) => p.cdrs);
    expect(cdrs.map((c) => c.callId)).toEqual(['93d7d283-1a5c-40ad-bb93-64bb256bd901']);
    const leads = pages.flatMap((p) => p.leads ?? []);
    expect(leads.map((l) => [l.leadId, l.callId])).toEqual([
      ['2f8b1c0f-da79-4dfb-959d-1b611cf0cd6a', '93d7d283-1a5c-40ad-bb93-64bb256bd901'],
      ['32ce7469-18fe-4b71-a6d8-2add7a222383', null],
      ['fa145343-09ca-4124-baec-069fce2226f5', null],
    ]);
    const campaigns = pages.flatMap((p) => p.campaigns ?? []);
    expect(campaigns.map((c) => c.name).sort()).toEqual(['AutocallAudio', 'AutocallTTS', 'TestDelete', 'VoiceOTP110']);
    const reports = pages.flatMap((p) => p.campaignReports ?? []);
    expect(reports).toHaveLength(4);
    const tts = reports.find((r) => r.campaignId === 'fdccdbf2-bc4b-4a0f-a7ea-cb0239daaa7d')!;
    expect(tts.campaign).toBe('AutocallTTS');
    expect(tts.stats).toEqual((JSON.parse(SEED_CAMPAIGNS) as { data: unknown[] }).data[0]);
    // Every request carries the Bearer token; the lead report is asked per campaign with limit/offset.
    expect(auth.every((a) => a === `Bearer ${TOKEN}`)).toBe(true);
    const leadQueries = queries.filter((q) => q.has('campaign_uuid'));
    expect(leadQueries).toHaveLength(4);
    expect(leadQueries.every((q) => q.get('offset') === '0' && Number(q.get('limit')) > 0 && q.get('end_time'))).toBe(true);
    // The final cursor remembers the latest activity seen: the call's start (06:34:26Z).
    const last = pages[pages.length - 1]!.cursor as Tel4vnCursor;
    expect(last.run).toBeNull();
    expect(toIsoUtc(last.hw)).toBe('2023-03-07T06:34:26Z');
  });
});

// ---- error bodies

describe('tel4vn-v3: provider errors', () => {
  const canned = cannedAnswerServer();
  const failure = () => firstFailure(tel4vnV3.pages(ctxFor('Hanoi', canned.baseUrl(), TOKEN)));

  it('{"error":"..."} becomes a UserError naming the account and the provider message', async () => {
    canned.answer = { status: 404, body: '{"error": "campaign is not found"}' };
    const err = await failure();
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/^account "Hanoi": tel4vn-v3 .*campaign is not found/);
  });

  it('{"error":[...]} lists every item', async () => {
    canned.answer = { status: 400, body: '{"error":[{"field":"start_time","message":"invalid time"},"limit must be a number"]}' };
    const err = await failure();
    expect(err.message).toContain('start_time: invalid time; limit must be a number');
  });

  it('an error body with HTTP 200 is still an error', async () => {
    canned.answer = { status: 200, body: '{"error":"internal problem"}' };
    expect((await failure()).message).toContain('internal problem');
  });

  it('a rejected token says so, without the token', async () => {
    canned.answer = { status: 401, body: '{"error":"token is invalid or expired"}' };
    const err = await failure();
    expect(err.message).toMatch(/token is invalid or expired \(is the token right\?\) \(HTTP 401\)/);
    expect(err.message).not.toContain(TOKEN);
  });

  // A missing token is named by the accounts layer before any adapter runs (test/accounts/accounts.test.ts).
  it('testConnection fails the same way', async () => {
    canned.answer = { status: 401, body: '{"error":"token is invalid or expired"}' };
    await expect(tel4vnV3.testConnection(ctxFor('Hanoi', canned.baseUrl(), TOKEN))).rejects.toThrow(/account "Hanoi".*token is invalid/);
  });
});

// ---- against the simulator

describe('tel4vn-v3: adapter against its simulator, into a real cache', () => {
  const fx = simulatorWorkspace(() => startTel4vnV3Sim({ seed: 11, calls: 700 }));
  let n = 0;

  async function account(): Promise<string> {
    const name = `Saigon ${++n}`;
    await fx.addAccount(name);
    return name;
  }

  it('generates several campaigns, Vietnamese names, leads never called and calls as strings and numbers', () => {
    expect(fx.sim.campaignCount).toBeGreaterThanOrEqual(4);
    expect(fx.sim.uncalledLeads()).toBeGreaterThan(0);
    expect(fx.sim.leadCount()).toBe(fx.sim.expected.length + fx.sim.uncalledLeads());
    expect(new Set(fx.sim.expected.map((e) => e.status)).size).toBeGreaterThanOrEqual(6);
  });

  let main: string;
  let cursor: unknown = null;
  it('syncs every call exactly; leads never called are leads, not calls; stats stored per campaign', async () => {
    main = await account();
    const r = await syncInto(fx.ws, main, fx.sim.baseUrl, fx.sim.secrets.token!, null);
    cursor = r.cursor;
    expect(cached(fx.ws, main)).toEqual(sorted(fx.sim.expected));
    expect(r.inserted).toBe(fx.sim.expected.length);
    expect(r.leads).toHaveLength(fx.sim.leadCount());
    expect(r.leads.filter((l) => l.callId === null)).toHaveLength(fx.sim.uncalledLeads());
    expect(r.reports).toHaveLength(fx.sim.campaignCount);
    // The provider's stats count every attempt (earlier ones too), so they are at least the calls we see.
    const outbound = r.reports.reduce((s, x) => s + Number(x.stats.outbound), 0);
    expect(outbound).toBeGreaterThanOrEqual(fx.sim.expected.length);
    for (const x of r.reports) expect(Object.keys(x.stats)).toEqual(expect.arrayContaining(['answered', 'busy', 'no_answered', 'total', 'campaign_uuid']));
  });

  it('a second sync changes nothing and re-reads only the overlap window', async () => {
    const r = await syncInto(fx.ws, main, fx.sim.baseUrl, fx.sim.secrets.token!, cursor);
    cursor = r.cursor;
    expect({ inserted: r.inserted, updated: r.updated }).toEqual({ inserted: 0, updated: 0 });
    expect(r.fetched).toBeLessThan(fx.sim.expected.length / 4);
    expect(cached(fx.ws, main)).toEqual(sorted(fx.sim.expected));
  });

  it('a lead dialled again: its new call is added and its previous call stays', async () => {
    const before = cached(fx.ws, main).length;
    const added = fx.sim.mutate('add', 6);
    const r = await syncInto(fx.ws, main, fx.sim.baseUrl, fx.sim.secrets.token!, cursor);
    cursor = r.cursor;
    expect({ inserted: r.inserted, updated: r.updated }).toEqual({ inserted: added.length, updated: 0 });
    expect(cached(fx.ws, main)).toHaveLength(before + added.length);
    expect(cached(fx.ws, main)).toEqual(sorted(fx.sim.expected));
    // The lead rows now point at the new calls.
    const leadCalls = new Set(r.leads.map((l) => l.callId));
    for (const a of added) expect(leadCalls.has(a.callId)).toBe(true);
  });

  it('a call that was ringing and has ended is updated in place', async () => {
    const changed = fx.sim.mutate('update', 3);
    expect(changed.length).toBe(3);
    const r = await syncInto(fx.ws, main, fx.sim.baseUrl, fx.sim.secrets.token!, cursor);
    cursor = r.cursor;
    expect({ inserted: r.inserted, updated: r.updated }).toEqual({ inserted: 0, updated: 3 });
    expect(cached(fx.ws, main)).toEqual(sorted(fx.sim.expected));
  });

  it('a sync killed midway resumes at the committed campaign and offset, exactly', async () => {
    const name = await account();
    const first = await syncInto(fx.ws, name, fx.sim.baseUrl, fx.sim.secrets.token!, null, { stopAfter: 2 });
    const partial = cached(fx.ws, name).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(fx.sim.expected.length);
    const run = (first.cursor as Tel4vnCursor).run!;
    expect(run.current ?? run.done.length).toBeTruthy();
    const before = fx.sim.faults.requests;
    const second = await syncInto(fx.ws, name, fx.sim.baseUrl, fx.sim.secrets.token!, first.cursor);
    expect(second.inserted).toBe(fx.sim.expected.length - partial);
    expect(cached(fx.ws, name)).toEqual(sorted(fx.sim.expected));
    // Resumed, not restarted: the rows already committed were not asked for again.
    expect(second.fetched - (fx.sim.expected.length - partial)).toBeGreaterThanOrEqual(0);
    expect(second.fetched - (fx.sim.expected.length - partial)).toBeLessThanOrEqual(TEL4VN_BACKTRACK);
    expect(fx.sim.faults.requests - before).toBeGreaterThan(1);
  });

  it('an explicit window sends naive Vietnam times and returns only that window', async () => {
    const name = await account();
    const starts = fx.sim.expected.map((e) => Date.parse(e.startedAt!)).sort((a, b) => a - b);
    const from = starts[Math.floor(starts.length / 3)]!;
    const to = starts[Math.floor((2 * starts.length) / 3)]!;
    await syncInto(fx.ws, name, fx.sim.baseUrl, fx.sim.secrets.token!, null, { window: { from, to } });
    // Each lead shows its latest call: the window holds the calls that are their lead's latest and start in it.
    const got = cached(fx.ws, name);
    expect(got.length).toBeGreaterThan(0);
    for (const c of got) {
      const t = Date.parse(c.startedAt!);
      expect(t >= from && t <= to).toBe(true);
    }
    const want = fx.sim.expected.filter((e) => {
      const t = Date.parse(e.startedAt!);
      return t >= from && t <= to;
    });
    // Calls in the window that a later attempt of the same lead replaced are not listed by a windowed read.
    const truth = new Map(want.map((e) => [e.callId, e]));
    for (const c of got) expect(c).toEqual(truth.get(c.callId));
    expect(got.length).toBeGreaterThan(want.length * 0.9);
  });

  it('a wrong token fails with the provider message, naming the account, never the token', async () => {
    const name = await account();
    await expect(syncInto(fx.ws, name, fx.sim.baseUrl, 'wrong-token-123', null)).rejects.toThrow(/account "Saigon \d+": tel4vn-v3 .*token is invalid or expired.*HTTP 401/);
    expect(cached(fx.ws, name)).toEqual([]);
  });
});

// ---- prefetched paging

describe('tel4vn-v3: lead pages prefetched', () => {
  // Every answer slowed: requests that overlap are seen overlapping.
  const fx = simulatorWorkspace(() => startTel4vnV3Sim({ seed: 12, calls: 6000, faults: { every: { n: 1, fault: { kind: 'slow', delayMs: 15 } } } }), ['Prefetch']);
  it('keeps several lead requests in flight, asks exactly the offsets of one-at-a-time paging, and syncs exactly', async () => {
    const base = client(fx.sim.baseUrl, 'Prefetch', [fx.sim.secrets.token!]);
    let inFlight = 0;
    let peak = 0;
    const offsets = new Map<string, number[]>();
    const totals = new Map<string, number>();
    const json = (async (req: Parameters<HttpClient['json']>[0], parse?: Parameters<HttpClient['json']>[1]) => {
      if (req.path !== '/v3/report/call/lead') return base.json(req, parse);
      const q = req.query as Record<string, string | number>;
      const camp = String(q.campaign_uuid);
      offsets.set(camp, [...(offsets.get(camp) ?? []), Number(q.offset)]);
      peak = Math.max(peak, ++inFlight);
      try {
        const res = await base.json(req, parse);
        totals.set(camp, Number((res.body as { total: number }).total));
        return res;
      } finally {
        inFlight--;
      }
    }) as HttpClient['json'];
    const http = new Proxy(base, { get: (t, k) => (k === 'json' ? json : (Reflect.get(t, k) as unknown)) });
    const ctx = { ...ctxFor('Prefetch', fx.sim.baseUrl, fx.sim.secrets.token!), http };
    await driveAdapter(fx.ws.db, fx.ws.accounts.get('Prefetch').id, tel4vnV3.pages(ctx), { cursor: null });

    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(TEL4VN_PREFETCH);
    expect(differences(cached(fx.ws, 'Prefetch'), fx.sim.expected)).toEqual([]);
    // The offsets one request at a time would ask: full pages, each next one backed up, until `total` is reached.
    let paged = 0;
    for (const [camp, total] of totals) {
      const want: number[] = [];
      for (let at = 0; ; at += TEL4VN_PAGE_LIMIT - TEL4VN_BACKTRACK) {
        want.push(at);
        if (at + TEL4VN_PAGE_LIMIT >= total) break;
      }
      if (want.length > 2) paged++;
      expect([...offsets.get(camp)!].sort((a, b) => a - b)).toEqual(want);
    }
    expect(paged).toBeGreaterThan(0);
  });
});
