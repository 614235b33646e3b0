// voiceotp-v2: the seed's record as a fixture, the `messsage` error shape, unknown ids, token handling, bounded
// concurrency, and the adapter against its simulator into a real SQLite cache.
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowToCdr, type CdrDbRow } from '../../../electron/data/db/cdrs.ts';
import { HttpClient } from '../../../electron/data/net/http.ts';
import { readIdsFile } from '../../../electron/data/accounts/ids-import.ts';
import type { AdapterContext, SyncPage } from '../../../electron/data/providers/types.ts';
import { mapVoiceotpRecord, VOICEOTP_CONCURRENCY, voiceotpStatus, voiceotpV2Adapter } from '../../../electron/data/providers/voiceotp-v2/adapter.ts';
import { startSimServer, type SimServer } from '../../../electron/data/providers/simulation/server.ts';
import type { ExpectedCall, RunningSimulator } from '../../../electron/data/providers/simulation/types.ts';
import { startVoiceotpV2Sim } from '../../../electron/data/providers/voiceotp-v2/simulator.ts';
import { syncAccounts } from '../../../electron/data/sync/engine.ts';
import { toIsoUtc } from '../../../electron/data/time/zone.ts';
import { openWorkspace, type Workspace } from '../../../electron/data/workspace.ts';
import { driveAdapter } from '../../helpers/drive-adapter.ts';
import { simulatorWorkspace } from '../../helpers/simulator-workspace.ts';
import { tempDir } from '../../helpers/tmp.ts';

const SEED_ID = '1_1_1_5_cb76e372-b798-4a88-9c8a-410740f0300d_0987654321';
const SEED_TOKEN = '1ebe8f88MzA1MTNkZjMtZjc3My00MTmY';
/** The seed's example answer, as documented. */
const SEED_BODY = `{
  "data": {
    "campaign_id": "1",
    "code_otp": "M43TUI",
    "created_at": "2021-01-11 11:28:45",
    "duration": 15,
    "ended_at": "2021-01-11 11:29:09",
    "id": "1_1_1_5_cb76e372-b798-4a88-9c8a-410740f0300d_0987654321",
    "keypress": "127",
    "param": "{\\"customer_name\\":\\"Nguyễn Văn A\\",\\"due_amount\\":\\"10.410.000\\",\\"due_days\\":\\"#15\\",\\"template_name\\":\\"thong_bao_no_cuoc_1\\"}",
    "phone_number": "0987654321",
    "started_at": "2021-01-11 11:28:54",
    "status": "ANSWERED",
    "type": "TTS",
    "user_id": "5"
  }
}`;
/** The seed's answer as the record of the call at the end of `path` (an answer is read for its own id only). */
const seedBodyFor = (path: string) => SEED_BODY.replace(SEED_ID, decodeURIComponent(path.split('/').pop()!));
const ACCOUNT = 'Hanoi OTP';
const ZONE = 'Asia/Ho_Chi_Minh';

const clients: HttpClient[] = [];
function client(baseUrl: string, secrets: string[]): HttpClient {
  const c = new HttpClient({ account: ACCOUNT, baseUrl, secrets, retries: 3, backoffMs: 1, maxBackoffMs: 5 });
  clients.push(c);
  return c;
}
afterAll(async () => {
  for (const c of clients) await c.close();
});

function ctxFor(baseUrl: string, token: string, ids: readonly string[]): AdapterContext {
  return {
    account: { name: ACCOUNT, baseUrl, timezone: ZONE },
    secrets: { token },
    http: client(baseUrl, [token]),
    window: { from: null, to: null },
    cursor: null,
    ids,
    signal: new AbortController().signal,
  };
}

async function collect(ctx: AdapterContext): Promise<SyncPage[]> {
  const pages: SyncPage[] = [];
  for await (const p of voiceotpV2Adapter.pages(ctx)) pages.push(p);
  return pages;
}

interface Seen {
  path: string;
  auth: string | undefined;
}

/** A server that answers each request with `answer(path)`, recording paths, Authorization and concurrency. */
async function server(answer: (path: string) => { status: number; body: string; type?: string; delayMs?: number }) {
  const seen: Seen[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const s: SimServer = await startSimServer(async (req, res, url) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    seen.push({ path: url.pathname, auth: req.headers.authorization });
    const a = answer(url.pathname);
    await new Promise((r) => setTimeout(r, a.delayMs ?? 0));
    inFlight--;
    res.writeHead(a.status, { 'content-type': a.type ?? 'application/json' }).end(a.body);
  });
  return Object.assign(s, { seen, maxInFlight: () => maxInFlight });
}

describe('voiceotp-v2: the seed document', () => {
  it('maps the documented record exactly: created_at is the dial, started_at the pick-up', () => {
    const record = (JSON.parse(SEED_BODY) as { data: Record<string, unknown> }).data;
    const c = mapVoiceotpRecord(SEED_ID, record, ZONE, ACCOUNT);
    expect({ ...c, startedAt: toIsoUtc(c.startedAt), answeredAt: toIsoUtc(c.answeredAt), endedAt: toIsoUtc(c.endedAt) }).toEqual({
      callId: SEED_ID,
      campaignId: '1',
      campaign: '1',
      direction: 'out',
      source: null,
      destination: '0987654321',
      status: 'answered',
      providerStatus: 'ANSWERED',
      startedAt: '2021-01-11T04:28:45Z',
      answeredAt: '2021-01-11T04:28:54Z',
      endedAt: '2021-01-11T04:29:09Z',
      durationSec: 15,
      billSec: 15,
      waitSec: 9,
      keypress: null, // "127" is the documented "hung up" default: no key pressed
      agent: '5',
      recording: null,
      contact: 'Nguyễn Văn A', // customer_name inside param
      extraText: 'Nguyễn Văn A 10.410.000 #15 thong_bao_no_cuoc_1',
      raw: record,
    });
    expect((c.raw as { code_otp: string }).code_otp).toBe('M43TUI');
  });

  it('maps every documented disposition, the misspelt NOANWSER included', () => {
    expect(
      ['FAIL', 'ANSWERED', 'NOANWSER', 'BUSY', 'CONGESTION', 'INVALIDNUMBER', 'ERROR', 'CANCEL', '', null, 'RINGING'].map(voiceotpStatus),
    ).toEqual(['failed', 'answered', 'no_answer', 'busy', 'congestion', 'invalid_number', 'failed', 'no_answer', 'unknown', 'unknown', 'unknown']);
  });

  it('a pressed key is kept; an unanswered call has no pick-up time; a bad time names the call', () => {
    const base = (JSON.parse(SEED_BODY) as { data: Record<string, unknown> }).data;
    const busy = mapVoiceotpRecord('b', { ...base, status: 'BUSY', started_at: null, duration: 0, keypress: '1', param: '' }, ZONE, ACCOUNT);
    expect([busy.status, busy.answeredAt, busy.billSec, busy.keypress, busy.extraText]).toEqual(['busy', null, 0, '1', null]);
    expect(() => mapVoiceotpRecord('c', { ...base, created_at: '11/01/2021' }, ZONE, ACCOUNT)).toThrow(
      /account "Hanoi OTP": voiceotp-v2 call c: created_at .*YYYY-MM-DD/,
    );
  });

  it('over HTTP: GET /api/v2/report/{id} with the bare token as Authorization (no Bearer)', async () => {
    const s = await server(() => ({ status: 200, body: SEED_BODY }));
    try {
      const pages = await collect(ctxFor(`${s.baseUrl}/otp`, SEED_TOKEN, [SEED_ID]));
      expect(s.seen).toEqual([{ path: `/otp/api/v2/report/${SEED_ID}`, auth: SEED_TOKEN }]);
      expect(pages[0]!.cdrs.map((c) => c.callId)).toEqual([SEED_ID]);
      expect(pages[0]!.final).toEqual([SEED_ID]);
      expect(pages[0]!.progress).toEqual({ done: 1, total: 1 });
    } finally {
      await s.close();
    }
  });
});

describe('voiceotp-v2: errors and unknown ids', () => {
  const badRequest = (error: string, code = 400) => JSON.stringify({ messsage: 'Bad Request', code, status: false, data: { error } });

  it('documented "not found" answers (400 or 404) are unknown ids, not failures', async () => {
    const s = await server((p) =>
      p.endsWith('/a') ? { status: 400, body: badRequest('cdr not found') } : p.endsWith('/b') ? { status: 404, body: badRequest('whatever', 404) } : { status: 200, body: SEED_BODY },
    );
    try {
      const pages = await collect(ctxFor(s.baseUrl, SEED_TOKEN, ['a', SEED_ID, 'b', 'a']));
      expect(pages[0]!.notFound).toEqual(['a', 'b']);
      expect(pages[0]!.cdrs).toHaveLength(1);
      expect(s.seen).toHaveLength(3); // duplicates asked once
    } finally {
      await s.close();
    }
  });

  it('a rejected token stops the sync at once with one line naming the account, without the token', async () => {
    const s = await server(() => ({ status: 401, body: JSON.stringify({ messsage: 'Unauthorized', code: 401, status: false, data: { error: `bad token ${SEED_TOKEN}` } }) }));
    try {
      const ids = Array.from({ length: 40 }, (_, i) => `id-${i}`);
      const err = (await collect(ctxFor(s.baseUrl, SEED_TOKEN, ids)).catch((e: Error) => e)) as Error;
      expect(err.message).toMatch(/^account "Hanoi OTP": voiceotp-v2 \/api\/v2\/report\/id-\d+: Unauthorized: bad token \*\*\* \(is the access token right\?\) \(HTTP 401\)$/);
      expect(err.message).not.toContain(SEED_TOKEN);
      // The refusal stops the workers: no more than the requests already in flight.
      await new Promise((r) => setTimeout(r, 30));
      expect(s.seen.length).toBeLessThanOrEqual(VOICEOTP_CONCURRENCY);
    } finally {
      await s.close();
    }
  });

  it('another documented 400 is an error naming the id; an HTML 404 is a wrong base URL, not unknown ids', async () => {
    const s = await server((p) =>
      p.startsWith('/api/') ? { status: 400, body: badRequest('campaign is locked') } : { status: 404, body: '<html>nginx</html>', type: 'text/html' },
    );
    try {
      await expect(collect(ctxFor(s.baseUrl, SEED_TOKEN, ['x1']))).rejects.toThrow(/voiceotp-v2 \/api\/v2\/report\/x1: Bad Request: campaign is locked \(HTTP 400\)/);
      await expect(collect(ctxFor(`${s.baseUrl}/wrong`, SEED_TOKEN, ['x1']))).rejects.toThrow(/not found under the base URL http:\/\/127\.0\.0\.1:\d+\/wrong .*\(HTTP 404\)/);
      // testConnection: a documented answer about the id means the token works.
      await expect(voiceotpV2Adapter.testConnection(ctxFor(s.baseUrl, SEED_TOKEN, []))).resolves.toBeUndefined();
      await expect(voiceotpV2Adapter.testConnection(ctxFor(`${s.baseUrl}/wrong`, SEED_TOKEN, []))).rejects.toThrow(/the API's address/);
    } finally {
      await s.close();
    }
  });

  it('a record that cannot be read stops the sync: no further requests start once one failed', async () => {
    const bad = (p: string) => seedBodyFor(p).replace('"created_at": "2021-01-11 11:28:45"', '"created_at": "yesterday"');
    const s = await server((p) => ({ status: 200, body: p.endsWith('/id-0') ? bad(p) : seedBodyFor(p), delayMs: p.endsWith('/id-0') ? 0 : 10 }));
    try {
      const ids = Array.from({ length: 60 }, (_, i) => `id-${i}`);
      await expect(collect(ctxFor(s.baseUrl, SEED_TOKEN, ids))).rejects.toThrow(/voiceotp-v2 call id-0: created_at "yesterday"/);
      expect(s.seen.length).toBeLessThanOrEqual(2 * VOICEOTP_CONCURRENCY);
    } finally {
      await s.close();
    }
  });

  it(`keeps at most ${VOICEOTP_CONCURRENCY} requests in flight`, async () => {
    const s = await server((p) => ({ status: 200, body: seedBodyFor(p), delayMs: 15 }));
    try {
      const ids = Array.from({ length: 30 }, (_, i) => `id-${i}`);
      const pages = await collect(ctxFor(s.baseUrl, SEED_TOKEN, ids));
      expect(pages.flatMap((p) => p.cdrs.map((c) => c.callId))).toEqual(ids);
      expect(s.maxInFlight()).toBe(VOICEOTP_CONCURRENCY);
    } finally {
      await s.close();
    }
  });
});

describe('voiceotp-v2 against its simulator', () => {
  const fx = simulatorWorkspace(() => startVoiceotpV2Sim({ seed: 7, calls: 230 }));
  let accountId: number;

  beforeAll(async () => {
    accountId = await fx.addAccount(ACCOUNT);
  });

  async function run(ids: readonly string[]) {
    const ctx = ctxFor(fx.sim.baseUrl, fx.sim.secrets.token!, ids);
    return driveAdapter(fx.ws.db, accountId, voiceotpV2Adapter.pages(ctx));
  }

  function stored(): Map<string, ExpectedCall> {
    const rows = fx.ws.db.prepare('SELECT * FROM cdrs WHERE account_id = ?').all(accountId) as CdrDbRow[];
    return new Map(
      rows.map((r) => {
        const { account: _a, provider: _p, keypress: _k, recording: _r, raw: _raw, ...rest } = rowToCdr(r, { name: ACCOUNT, provider: 'voiceotp-v2' });
        return [rest.callId, rest];
      }),
    );
  }

  it('syncs every imported id exactly and reports the unknown ones', async () => {
    const t = await run(fx.sim.ids);
    expect(t.pages).toBe(Math.ceil(fx.sim.ids.length / 100));
    expect(t.inserted).toBe(fx.sim.expected.length);
    expect(t.notFound.sort()).toEqual([...fx.sim.unknownIds].sort());
    const rows = stored();
    for (const e of fx.sim.expected) expect(rows.get(e.callId)).toEqual(e);
    expect(t.final.sort()).toEqual(fx.sim.expected.filter((e) => e.status !== 'pending').map((e) => e.callId).sort());
    // Vietnamese names from `param` are searchable text.
    const texts = fx.ws.db.prepare('SELECT extra_text FROM cdrs WHERE account_id = ?').pluck().all(accountId) as string[];
    expect(texts.some((x) => /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i.test(x))).toBe(true);
  });

  it('a re-run changes nothing; calls in progress that finish are updated; new calls are added', async () => {
    const pending = fx.sim.expected.filter((e) => e.status === 'pending').map((e) => e.callId);
    expect(pending.length).toBeGreaterThan(2);
    const again = await run(pending);
    expect([again.inserted, again.updated, again.final.length]).toEqual([0, 0, 0]);
    const changed = fx.sim.mutate('update', 2);
    const added = fx.sim.mutate('add', 3);
    const t = await run([...pending, ...added.map((a) => a.callId)]);
    expect([t.inserted, t.updated]).toEqual([3, 2]);
    const rows = stored();
    for (const c of [...changed, ...added]) expect(rows.get(c.callId)).toEqual(c);
  });

  it('rides out 429 with Retry-After, an HTML 502 and a truncated body', async () => {
    fx.sim.faults.enqueue({ kind: 'status', status: 429, retryAfterSec: 0 }, { kind: 'html', status: 502 }, { kind: 'truncate' });
    const ids = fx.sim.expected.slice(0, 6).map((e) => e.callId);
    const before = fx.sim.faults.requests;
    const t = await run(ids);
    expect([t.inserted, t.updated, t.notFound.length]).toEqual([0, 0, 0]);
    expect(fx.sim.faults.requests - before).toBe(ids.length + 3);
  });

  it('the simulator refuses a Bearer-prefixed token the way the API does', async () => {
    const res = await fetch(`${fx.sim.baseUrl}/api/v2/report/${encodeURIComponent(fx.sim.ids[0]!)}`, { headers: { authorization: `Bearer ${fx.sim.secrets.token}` } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ messsage: 'Unauthorized', code: 401, status: false, data: { error: 'token is invalid or expired' } });
  });
});

describe('voiceotp-v2 through the sync engine, ids imported from an XLSX file', () => {
  const NAME = 'OTP via engine';
  const fx = simulatorWorkspace(() => startVoiceotpV2Sim({ seed: 3, calls: 80 }), [NAME]);

  const sync = async (ids?: readonly string[]) => (await syncAccounts(fx.ws, { accounts: [NAME], ids, http: { backoffMs: 1, retries: 2 } }))[0]!;

  it('imports the call_id column, syncs exactly, and later refreshes only the calls still in progress', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Kết quả');
    sheet.addRow(['Số điện thoại', 'call_id', 'Khách hàng']);
    for (const id of fx.sim.ids) sheet.addRow([id.split('_').pop() ?? '', id, 'Nguyễn Văn A']);
    const xlsx = join(tempDir('otp-ids-'), 'campaign.xlsx');
    await book.xlsx.writeFile(xlsx);
    const ids = await readIdsFile(xlsx);
    expect(ids).toEqual(fx.sim.ids);

    const first = await sync(ids);
    expect(first).toMatchObject({ error: null, inserted: fx.sim.expected.length, updated: 0, notFound: fx.sim.unknownIds.length });
    const pending = fx.sim.expected.filter((e) => e.status === 'pending');
    const before = fx.sim.faults.requests;
    const second = await sync();
    expect(second).toMatchObject({ error: null, fetched: pending.length, inserted: 0, updated: 0, notFound: 0 });
    expect(fx.sim.faults.requests - before).toBe(pending.length);

    const changed = fx.sim.mutate('update', 2);
    expect(await sync()).toMatchObject({ error: null, inserted: 0, updated: 2 });
    const a = fx.ws.accounts.get(NAME);
    for (const c of changed) {
      const row = fx.ws.db.prepare('SELECT * FROM cdrs WHERE account_id = ? AND call_id = ?').get(a.id, c.callId) as CdrDbRow;
      const { account: _a, provider: _p, keypress: _k, recording: _r, raw: _raw, ...rest } = rowToCdr(row, a);
      expect(rest).toEqual(c);
    }
  });
});

describe('voiceotp-v2: an answer is about its own id only', () => {
  it('a record of another call is neither stored nor counted unknown: the id stays asked and unanswered, with a problem', async () => {
    const s = await server((p) => ({ status: 200, body: p.endsWith('/wrong') ? SEED_BODY : seedBodyFor(p) }));
    try {
      const pages = await collect(ctxFor(s.baseUrl, SEED_TOKEN, ['a1', 'wrong', 'a2']));
      expect(pages[0]!.asked).toEqual(['a1', 'wrong', 'a2']);
      expect(pages[0]!.cdrs.map((c) => c.callId)).toEqual(['a1', 'a2']);
      expect(pages[0]!.notFound).toEqual([]);
      expect(pages[0]!.problems).toEqual([`call id wrong was answered with the record of call ${SEED_ID}`]);
    } finally {
      await s.close();
    }
  });

  it('a list in `data` is read for the id asked', async () => {
    const other = JSON.parse(seedBodyFor('/other')).data;
    const s = await server((p) => ({ status: 200, body: JSON.stringify({ data: [other, JSON.parse(seedBodyFor(p)).data] }) }));
    try {
      const pages = await collect(ctxFor(s.baseUrl, SEED_TOKEN, ['b1']));
      expect(pages[0]!.cdrs.map((c) => c.callId)).toEqual(['b1']);
    } finally {
      await s.close();
    }
  });

  it('a bare 404 page counts as unknown once another answer proved the URL, and blames the URL when none did', async () => {
    const page404 = { status: 404, body: '<html><body>Not Found</body></html>', type: 'text/html' };
    const s = await server((p) => (p.includes('/gone') ? page404 : { status: 200, body: seedBodyFor(p) }));
    try {
      const pages = await collect(ctxFor(s.baseUrl, SEED_TOKEN, ['k1', 'gone-1', 'k2', 'gone-2']));
      expect(pages[0]!.cdrs.map((c) => c.callId)).toEqual(['k1', 'k2']);
      expect(pages[0]!.notFound).toEqual(['gone-1', 'gone-2']);
      await expect(collect(ctxFor(s.baseUrl, SEED_TOKEN, ['gone-3', 'gone-4']))).rejects.toThrow(
        /^account "Hanoi OTP": voiceotp-v2 \/api\/v2\/report\/gone-3: not found under the base URL http:\/\/127\.0\.0\.1:\d+ .*\(HTTP 404\)$/,
      );
    } finally {
      await s.close();
    }
  });
});
