// While1 Voice PBX CDR (seed 002): the PHP http_build_query hash, row mapping (statuses, HH:MM:SS, the repeated
// DST hour pinned by the Asterisk uniqueid), the simulator's protocol (auth, hash, filters, error bodies, path
// prefix) and sync behaviour specific to this API (from_id boundary, windows).
import { PHP } from '../../helpers/tools.ts';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowToCdr, type CdrDbRow } from '../../../electron/data/db/cdrs.ts';
import { mapPbxRow, PBX_EDIT_MARGIN_MS, pbxRequestBody, pbxStatus, PBX_STATUS, uniqueidEpochMs } from '../../../electron/data/providers/pbx-cdr/adapter.ts';
import { httpBuildQuery, parsePhpQuery, type PhpValue } from '../../../electron/data/providers/pbx-cdr/php-query.ts';
import { overlapRanges, startPbxCdrSimulator } from '../../../electron/data/providers/pbx-cdr/simulator.ts';
import type { RunningSimulator } from '../../../electron/data/providers/simulation/types.ts';
import { syncAccounts } from '../../../electron/data/sync/engine.ts';
import { simulatorWorkspace } from '../../helpers/simulator-workspace.ts';

const SEED_PARAMS = {
  page: 1,
  filters: {
    date_between: ['2024-01-01 00:00:00', '2024-01-15 23:59:59'],
    project_id: null, user_id: null, inbound_route_id: null, direction: null, call_status: null, telephone_like: null,
    telephone: null, source: null, destination: null, hour_between: null, from_id: null, uniqueid: null, linkedid: null,
    has_transcription: null, has_monitor_file: null, has_recording_file: null, external_id: null,
  },
};

/** The seed's example result row, verbatim. */
const SEED_ROW = {
  id: '29056', uniqueid: '1710401324.480', linkedid: '1710401324.480', time: '2024-03-14 09:28:44', time_end: '2024-03-14 09:29:00',
  caller_id: '"John Doe" <0312000000>', source: '0312285000', destination: '0700000000', direction: 'OUT',
  channel_formatted: 'PJSIP/john-doe', dstchannel_formatted: '', customer_id: null, user_fullname: 'John Doe', qname: null,
  code: 'outbound', call_status: 'FAILED', call_status_info: 'DS:CONGESTION|HC:34|HI:SIP 503 Service Unavailable',
  call_codes: 'out no answer', accounting_code: null, accounting_value: null, comments: null, monitor_files: null,
  monitor_urls: null, recording_file: null, recording_url: null, transfers: null, project: 'My Project', inbound_route: null,
  inbound_route_id: null, queue_log: null, ivr_log: null, external_id: null, external_info: null, agent_details: null,
  is_recovered: null, transcription_id: null, transcription_text: null, bill_duration: '00:00:00', duration: '00:00:15',
  bill_minutes: 0, ivr_duration: '00:00:00', hold_time: '00:00:00', ring_time: '00:00:00',
};

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

describe('PHP http_build_query and the api_hash', () => {
  it("reproduces the seed's api_hash ff9a6b157cb1f79db73e7507635f878a with key your_api_key", () => {
    expect(md5(httpBuildQuery(SEED_PARAMS) + 'your_api_key')).toBe('ff9a6b157cb1f79db73e7507635f878a');
    expect(httpBuildQuery(SEED_PARAMS)).toBe(
      'page=1&filters%5Bdate_between%5D%5B0%5D=2024-01-01+00%3A00%3A00&filters%5Bdate_between%5D%5B1%5D=2024-01-15+23%3A59%3A59',
    );
    const { params } = pbxRequestBody(1, { date_between: ['2024-01-01 00:00:00', '2024-01-15 23:59:59'] }, 'your_api_key');
    expect(params.api_hash).toBe('ff9a6b157cb1f79db73e7507635f878a');
  });

  it('drops nulls and empty arrays, writes booleans as 1/0, encodes like PHP urlencode', () => {
    expect(httpBuildQuery({ a: null, b: [], c: true, d: false, e: 'ăâîșț ~*', f: { g: [1, { h: 'x y' }] } })).toBe(
      'c=1&d=0&e=%C4%83%C3%A2%C3%AE%C8%99%C8%9B+%7E%2A&f%5Bg%5D%5B0%5D=1&f%5Bg%5D%5B1%5D%5Bh%5D=x+y',
    );
  });

  it('parses a PHP form body back into the same parameters', () => {
    const { body, params } = pbxRequestBody(3, { from_id: 29056, direction: 'IN' }, 'k');
    const parsed = parsePhpQuery(body);
    expect(parsed.api_hash).toBe(params.api_hash);
    const { api_hash: _h, ...rest } = parsed;
    expect(md5(httpBuildQuery(rest as Record<string, PhpValue>) + 'k')).toBe(params.api_hash);
  });

  const php = PHP.path ?? 'php';
  if (PHP.missing) {
    it.skip(`matches PHP on random parameters (skipped: ${PHP.missing})`, () => {});
  } else {
    it('matches PHP (php -r http_build_query) on 300 random parameter sets', () => {
      const scalar = fc.oneof(
        fc.constant(null),
        fc.boolean(),
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.integer({ min: -10_000_000, max: 10_000_000 }).map((n) => n / 100),
        fc.string({ unit: 'grapheme', maxLength: 12 }),
        fc.constantFrom('2024-10-27 03:30:00', 'NO ANSWER', 'a&b=c', '[x]', '~!*()\'', 'Ștefan Țăranu', '+40 7xx', ''),
      );
      const key = fc.oneof(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }), fc.constantFrom('page', 'filters', 'date_between', 'ș k'));
      const value = fc.letrec<{ v: unknown }>((tie) => ({
        v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(key, tie('v'), { maxKeys: 3 })),
      })).v;
      const cases = fc.sample(fc.dictionary(key, value, { maxKeys: 5 }), { numRuns: 300, seed: 42 }) as Record<string, PhpValue>[];
      const dir = mkdtempSync(join(tmpdir(), 'php-hbq-'));
      try {
        const input = join(dir, 'cases.json');
        writeFileSync(input, JSON.stringify(cases));
        const out = execFileSync(php, ['-r', `$c = json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR); echo json_encode(array_map(fn($p) => http_build_query($p), $c));`, input], {
          encoding: 'utf8',
        });
        const expected = JSON.parse(out) as string[];
        expect(expected.length).toBe(cases.length);
        const mismatches = cases.map((c, i) => ({ c, php: expected[i], ours: httpBuildQuery(c) })).filter((m) => m.php !== m.ours);
        expect(mismatches.slice(0, 3)).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('mapping a While1 CDR row', () => {
  it("maps the seed's example row", () => {
    const c = mapPbxRow(SEED_ROW, 'Europe/Bucharest');
    expect(c).toMatchObject({
      callId: '29056', campaign: 'My Project', direction: 'out', source: '0312285000', destination: '0700000000',
      status: 'failed', providerStatus: 'FAILED', durationSec: 15, billSec: 0, waitSec: 0, agent: 'John Doe', answeredAt: null,
      recording: null,
    });
    // The uniqueid's epoch is exactly the call's time in Bucharest (UTC+2 in March).
    expect(new Date(c.startedAt!).toISOString()).toBe('2024-03-14T07:28:44.000Z');
    expect(c.startedAt).toBe(uniqueidEpochMs(SEED_ROW.uniqueid));
    expect(new Date(c.endedAt!).toISOString()).toBe('2024-03-14T07:29:00.000Z');
    expect(c.extraText).toContain('John Doe');
    expect(c.raw).toEqual(SEED_ROW);
  });

  it('uses the uniqueid to pick the right instant in the repeated hour (2024-10-27 03:00-04:00 Bucharest)', () => {
    const first = Date.UTC(2024, 9, 27, 0, 30, 0); // 03:30 EEST (UTC+3)
    const second = Date.UTC(2024, 9, 27, 1, 30, 0); // 03:30 EET (UTC+2)
    for (const at of [first, second]) {
      const row = { ...SEED_ROW, uniqueid: `${at / 1000}.12`, time: '2024-10-27 03:30:00', time_end: '2024-10-27 03:31:40',
        call_status: 'ANSWERED', duration: '00:01:40', bill_duration: '00:01:30' };
      const c = mapPbxRow(row, 'Europe/Bucharest');
      expect(c.startedAt).toBe(at);
      expect(c.endedAt).toBe(at + 100_000);
      expect(c.answeredAt).toBe(at + 10_000);
      expect(c.status).toBe('answered');
    }
    // A call that starts in the first 03:xx and ends in the second: the end follows the duration.
    const row = { ...SEED_ROW, uniqueid: `${Date.UTC(2024, 9, 27, 0, 50) / 1000}.1`, time: '2024-10-27 03:50:00', time_end: '2024-10-27 03:10:00', duration: '00:20:00' };
    const c = mapPbxRow(row, 'Europe/Bucharest');
    expect(c.endedAt! - c.startedAt!).toBe(20 * 60_000);
  });

  it('maps every documented status with the table, and keeps unknown text as unknown', () => {
    expect(['ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED', 'CONGESTION'].map(pbxStatus)).toEqual(['answered', 'no_answer', 'busy', 'failed', 'congestion']);
    expect(pbxStatus('no answer')).toBe('no_answer');
    expect(pbxStatus('CANCEL')).toBe('cancelled');
    expect(pbxStatus('SOMETHING NEW')).toBe('unknown');
    expect(pbxStatus(null)).toBe('unknown');
    expect(Object.keys(PBX_STATUS).length).toBeGreaterThanOrEqual(5);
  });

  it('keeps numbers as text, reads IN as inbound and prefers recording_url', () => {
    const c = mapPbxRow({ ...SEED_ROW, direction: 'IN', source: '+40721000111', destination: 312285000, recording_file: 'a.wav', recording_url: 'https://x/a.wav' }, 'Europe/Bucharest');
    expect(c).toMatchObject({ direction: 'in', source: '+40721000111', destination: '312285000', recording: 'https://x/a.wav' });
    expect(mapPbxRow({ ...SEED_ROW, recording_file: 'a.wav' }, 'Europe/Bucharest').recording).toBe('a.wav');
  });

  it('names the call and the field when a time is malformed', () => {
    expect(() => mapPbxRow({ ...SEED_ROW, time: '14/03/2024' }, 'Europe/Bucharest')).toThrow(/call 29056: .*14\/03\/2024/);
  });
});

describe('the While1 simulator speaks the documented protocol', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startPbxCdrSimulator({ seed: 11, calls: 250 });
  });
  afterAll(() => sim.close());

  async function post(body: string, token = sim.secrets.token!, type = 'application/x-www-form-urlencoded', path = '/api/cdr') {
    const res = await fetch(`${sim.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body });
    return { status: res.status, text: await res.text() };
  }

  it('serves behind a path prefix and pages 100 rows with the seed pagination object', async () => {
    expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pbx$/);
    const r = await post(pbxRequestBody(2, {}, sim.secrets.apiKey!).body);
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text);
    expect(Object.keys(body)).toEqual(['has_error', 'messages', 'pagination', 'results']);
    expect(body.pagination).toEqual({ row_count: 250, page_size: 100, current_page: 2, max_page: 3 });
    expect(body.results).toHaveLength(100);
    expect(Object.keys(body.results[0])).toEqual(Object.keys(SEED_ROW));
    expect(typeof body.results[0].id).toBe('string');
    const outside = await fetch(sim.baseUrl.replace(/\/pbx$/, '') + '/api/cdr', { method: 'POST' });
    expect(outside.status).toBe(404);
  });

  it('answers a wrong token, a wrong hash and an unknown filter with the seed error shape', async () => {
    const good = pbxRequestBody(1, {}, sim.secrets.apiKey!).body;
    const badToken = await post(good, 'nope');
    expect(badToken.status).toBe(401);
    expect(JSON.parse(badToken.text)).toEqual({ has_error: true, messages: ['Invalid API token'], pagination: [], results: [] });
    const badHash = await post(pbxRequestBody(1, {}, 'wrong key').body);
    expect(badHash.status).toBe(403);
    expect(JSON.parse(badHash.text).messages).toEqual(['Invalid api_hash']);
    const params = { page: 1, filters: { from_idxx: '5' } };
    const body = httpBuildQuery({ ...params, api_hash: md5(httpBuildQuery(params) + sim.secrets.apiKey) });
    expect(JSON.parse((await post(body)).text)).toEqual({ has_error: true, messages: ['Invalid filter: from_idxx'], pagination: [], results: [] });
  });

  it('accepts the JSON form of the request (nulls included) and filters from_id as >= id', async () => {
    const params = { page: 1, filters: { ...SEED_PARAMS.filters, date_between: null, from_id: '29100' } };
    const json = JSON.stringify({ ...params, api_hash: md5(httpBuildQuery(params) + sim.secrets.apiKey) });
    const r = JSON.parse((await post(json, sim.secrets.token, 'application/json')).text);
    expect(r.has_error).toBe(false);
    expect(r.results[0].id).toBe('29100');
    expect(r.results.every((x: { id: string }) => Number(x.id) >= 29100)).toBe(true);
  });

  it('generates Romanian names with diacritics and calls in the October repeated hour', () => {
    expect(sim.expected.some((c) => /[ăâîșțĂÂÎȘȚ]/.test(c.agent ?? ''))).toBe(true);
    const [range] = overlapRanges('Europe/Bucharest', Date.UTC(2024, 9, 1), Date.UTC(2024, 10, 1));
    expect(range).toEqual([Date.UTC(2024, 9, 27, 0), Date.UTC(2024, 9, 27, 2)]);
    const inOverlap = sim.expected.filter((c) => {
      const t = Date.parse(c.startedAt!);
      return t >= range![0] && t < range![1];
    });
    // Both readings of 03:xx occur: before and after the clocks go back.
    expect(inOverlap.some((c) => Date.parse(c.startedAt!) < Date.UTC(2024, 9, 27, 1))).toBe(true);
    expect(inOverlap.some((c) => Date.parse(c.startedAt!) >= Date.UTC(2024, 9, 27, 1))).toBe(true);
  });

  it('mutates: added calls get new, higher ids; updates touch recent calls (late transcription, comments)', () => {
    const before = Math.max(...sim.expected.map((c) => Number(c.callId)));
    const added = sim.mutate('add', 4);
    expect(added.map((c) => Number(c.callId))).toEqual([before + 1, before + 2, before + 3, before + 4]);
    const changed = sim.mutate('update', 3);
    expect(changed).toHaveLength(3);
    expect(sim.expected.length).toBe(254);
  });
});

describe('syncing a While1 PBX', () => {
  const fx = simulatorWorkspace(() => startPbxCdrSimulator({ seed: 5, calls: 450 }), ['PBX', 'PBX window']);

  const http = { backoffMs: 5, maxBackoffMs: 50 };
  const cursorOf = (name: string) =>
    JSON.parse(fx.ws.db.prepare("SELECT cursor FROM sync_state WHERE account_id = ? AND stream = 'default'").pluck().get(fx.ws.accounts.get(name).id) as string);

  it('keeps from_id as the cursor and does not duplicate the boundary row', async () => {
    const [r] = await syncAccounts(fx.ws, { accounts: ['PBX'], http });
    expect(r).toMatchObject({ error: null, inserted: 450 });
    const maxId = Math.max(...fx.sim.expected.map((c) => Number(c.callId)));
    expect(cursorOf('PBX').lastId).toBe(maxId);
    const before = fx.sim.faults.requests;
    const [again] = await syncAccounts(fx.ws, { accounts: ['PBX'], http });
    // Only the re-read of the edit margin before the newest call comes back, and the boundary row of
    // `from_id >= id` (stored again, not duplicated).
    const newest = Math.max(...fx.sim.expected.map((c) => Date.parse(c.startedAt!)));
    const recent = (ms: number) => fx.sim.expected.filter((c) => Date.parse(c.startedAt!) >= newest - ms).length;
    expect(again).toMatchObject({ error: null, inserted: 0, updated: 0 });
    expect(again!.fetched).toBeGreaterThanOrEqual(recent(PBX_EDIT_MARGIN_MS));
    expect(again!.fetched).toBeLessThanOrEqual(recent(PBX_EDIT_MARGIN_MS) + 1);
    expect(again!.fetched).toBeLessThan(450);
    expect(fx.sim.faults.requests - before).toBeLessThanOrEqual(3);
  });

  it('a --from/--to window in the account zone (a bare --to date covers its whole day) reads exactly those calls', async () => {
    const [r] = await syncAccounts(fx.ws, { accounts: ['PBX window'], from: '2024-10-26', to: '2024-10-27', http });
    expect(r!.error).toBeNull();
    // Bucharest: 2024-10-26 00:00 EEST = 10-25T21:00Z; end of 10-27 (a 25-hour day) = 10-27T22:00Z.
    const want = fx.sim.expected.filter((c) => {
      const t = Date.parse(c.startedAt!);
      return t >= Date.UTC(2024, 9, 25, 21) && t < Date.UTC(2024, 9, 27, 22);
    });
    expect(want.length).toBeGreaterThan(10);
    const a = fx.ws.accounts.get('PBX window');
    const rows = (fx.ws.db.prepare('SELECT * FROM cdrs WHERE account_id = ? ORDER BY call_id').all(a.id) as CdrDbRow[]).map((x) => rowToCdr(x, a));
    expect(rows.map((x) => x.callId)).toEqual(want.map((c) => c.callId).sort());
    // The windowed run has its own cursor: the account's regular incremental stream is untouched.
    const streams = fx.ws.db.prepare('SELECT stream FROM sync_state WHERE account_id = ?').pluck().all(a.id);
    expect(streams).toEqual([expect.stringMatching(/^window:/)]);
  });

  it('reports a provider error message (has_error) naming the account', async () => {
    await fx.ws.accounts.add({ name: 'PBX bad key', provider: 'pbx-cdr', baseUrl: fx.sim.baseUrl, timezone: fx.sim.timezone, secrets: { ...fx.sim.secrets, apiKey: 'wrong-api-key' } });
    const [r] = await syncAccounts(fx.ws, { accounts: ['PBX bad key'], http });
    expect(r!.error).toBe('account "PBX bad key": pbx-cdr /api/cdr: Invalid api_hash (check the token and API key) (HTTP 403)');
  });
});
