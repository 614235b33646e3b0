// Every channel of the IPC contract accepts a good request and response and refuses bad ones, both ways.
// The table must name every channel and event: a channel added without samples fails here.
import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, CHANNELS, EVENT_NAMES, EVENTS, apiPaths, buildApi, type Channel, type EventName } from '../../electron/shared/contract.ts';

const view = {
  name: 'Bucharest PBX', provider: 'pbx-cdr', baseUrl: 'https://pbx.example.ro', timezone: 'Europe/Bucharest',
  cdrCount: 12, lastSyncAt: '2024-10-25T06:00:12Z', lastError: null, secretKeys: ['apiKey', 'token'],
  lastVerdict: { status: 'unverified', text: '12 calls stored that the provider gave no count for' }, autoSync: '1h',
};
const coverage = {
  account: 'Bucharest PBX', timezone: 'Europe/Bucharest', byTime: true,
  ranges: [{ from: null, to: '2024-10-25T06:00:12Z', status: 'complete', syncedAt: '2024-10-25T06:00:40Z' }],
  days: [{ day: '2024-10-25', status: 'gap', syncedAt: '2024-10-25T06:00:40Z', calls: 12 }],
};
const cdr = {
  account: 'Bucharest PBX', provider: 'pbx-cdr', callId: '0042', campaign: 'Autumn', direction: 'out',
  source: '+40212345678', destination: '0722000111', status: 'answered', providerStatus: 'ANSWER',
  startedAt: '2024-10-25T06:00:12Z', answeredAt: '2024-10-25T06:00:20Z', endedAt: '2024-10-25T06:01:20Z',
  durationSec: 68, billSec: 60, keypress: null, agent: null, recording: null, contact: null, raw: { id: 42 },
};
const figures = {
  answered: 6, no_answer: 2, busy: 1, congestion: 0, failed: 1, invalid_number: 0, cancelled: 0, pending: 0, unknown: 0,
  total: 10, answerRate: 0.6, avgTalkSec: 41.5, billSec: 249, billMinutes: 4.15, avgWaitSec: null,
};
const row = { key: 'Autumn', ...figures, currency: 'USD', cost: 1.5, costPerAnswered: 0.25, costPerMinute: 0.3614, unpricedCalls: 0 };
const card = { account: 'A', currency: 'USD', billBy: 'billsec', unansweredConnectFee: false,
  rates: [{ prefix: '40', perMinute: '0.05', increment: '1/1', connectFee: '0', minSeconds: null, effectiveFrom: '2024-01-01' }] };
const invoice = { account: 'A', currency: 'USD', from: '2024-03-01', to: '2024-03-31',
  ours: { calls: 3, billedMinutes: 3, billableMinutes: 3, durationMinutes: 3.75, cost: 0.5, pendingCalls: 0, unpricedCalls: 0 },
  difference: { minutes: 0, amount: -0.2 }, cause: { kind: 'rate_change', since: '2024-03-15', count: null, amount: 0.3 } };
const saved = { name: 'Missed today', filter: { statuses: ['no_answer'] }, sort: null, createdAt: '2024-10-25T06:00:12Z', updatedAt: '2024-10-25T06:00:12Z' };
const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const matrix = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
const win = { from: '2024-10-01T00:00:00Z', to: '2024-10-31T23:59:59Z' };
const compareRow = { key: 'Autumn', current: figures, previous: figures, delta: { total: 0, answered: 0, answerRate: 0, avgTalkSec: 0, billSec: 0 } };
const settings = { language: 'fa', displayZone: 'Asia/Tehran', theme: 'dark', updateChannel: 'beta' };
const handle = 'fh-' + 'Ab0_-'.repeat(6) + 'xy';

interface Sample {
  good: unknown[];
  bad: unknown[];
  goodResponse: unknown[];
  badResponse: unknown[];
}

const S: Record<Channel, Sample> = {
  'accounts.list': { good: [{}], bad: [{ x: 1 }, 'all'], goodResponse: [[], [view]], badResponse: [[{ ...view, provider: 'skype' }], null] },
  'accounts.add': {
    good: [{ name: 'A', provider: 'tel4vn-v3', baseUrl: 'https://x.vn', secrets: { token: 't' } }],
    bad: [{ name: '', provider: 'tel4vn-v3', baseUrl: 'https://x.vn', secrets: {} }, { name: 'A', provider: 'nope', baseUrl: 'u', secrets: {} }],
    goodResponse: [view],
    badResponse: [{ ...view, cdrCount: -1 }, { name: 'x' }],
  },
  'accounts.edit': {
    good: [{ name: 'A', patch: { baseUrl: 'https://y.vn' } }, { name: 'A', patch: { secrets: { token: 'new' } } }, { name: 'A', patch: { autoSync: 'daily@07:30' } }],
    bad: [{ name: 'A' }, { name: 'A', patch: { provider: 'pbx-cdr' } }, { name: 'A', patch: { autoSync: 'daily@25:00' } }, { name: 'A', patch: { autoSync: '2h' } }],
    goodResponse: [view],
    badResponse: [[view]],
  },
  'accounts.remove': { good: [{ name: 'A' }], bad: [{}, { name: 'a/b' }], goodResponse: [null], badResponse: [{ removed: true }] },
  'accounts.test': {
    good: [{ name: 'A' }], bad: [{ account: 'A' }],
    goodResponse: [{ ok: true, message: 'connected' }], badResponse: [{ ok: 'yes', message: 'connected' }],
  },
  'accounts.coverage': {
    good: [{ name: 'A' }, { name: 'A', from: '2024-10-01', to: '2024-10-31' }],
    bad: [{}, { name: 'A', from: '1 Oct' }, { name: 'A', month: '2024-10' }],
    goodResponse: [coverage, { ...coverage, byTime: false, ranges: [], days: [] }],
    badResponse: [{ ...coverage, days: [{ day: '2024-10-25', status: 'partly', syncedAt: null, calls: 0 }] }, { ...view, lastVerdict: { status: 'fine', text: '' } }],
  },
  'sync.start': {
    good: [{}, { accounts: ['A', 'B'], from: '2024-10-01', to: '2024-10-31' }], bad: [{ accounts: 'A' }, { ids: ['1'] }],
    goodResponse: [{ jobId: 'sync-1' }], badResponse: [{ jobId: '' }, {}],
  },
  'sync.cancel': { good: [{ jobId: 'sync-1' }], bad: [{}, { jobId: 7 }], goodResponse: [null], badResponse: [false] },
  'sync.auto.status': {
    good: [{}], bad: [{ name: 'A' }],
    goodResponse: [[], [{ name: 'A', setting: '1h', next: '2024-10-25T07:00:12Z', last: { at: '2024-10-25T06:00:12Z', verdict: 'unverified' }, running: false, paused: false }]],
    badResponse: [[{ name: 'A', setting: '1h', next: null, last: { at: '2024-10-25T06:00:12Z', verdict: 'fine' }, running: false, paused: false }]],
  },
  'sync.auto.online': { good: [{ online: false }], bad: [{}, { online: 'yes' }], goodResponse: [null], badResponse: [true] },
  'ids.import': {
    good: [{ account: 'A', text: '1\n2\n3' }, { account: 'A', file: handle }],
    bad: [{ account: 'A' }, { account: 'A', text: '1', file: handle }, { text: '1' }, { account: 'A', file: '/home/u/ids.csv' }],
    goodResponse: [{ jobId: 'sync-2' }], badResponse: [{ job: 'sync-2' }],
  },
  'search.query': {
    good: [{ filter: {} }, { filter: { text: 'ion', statuses: ['answered'] }, sort: { field: 'startedAt', desc: true }, limit: 200, after: 'c1' }],
    bad: [{}, { filter: { statuses: ['picked_up'] } }, { filter: {}, limit: 0 }, { filter: { colour: 'red' } }],
    goodResponse: [{ total: 1, rows: [cdr], next: 'c1' }, { total: 0, rows: [], next: null }],
    badResponse: [{ total: 1, rows: [{ ...cdr, startedAt: '25/10/2024' }], next: null }, { rows: [] }],
  },
  'search.saved.list': {
    good: [{}], bad: [[]],
    goodResponse: [[saved]], badResponse: [[{ ...saved, filter: { statuses: ['x'] } }], [{ name: 'x' }]],
  },
  'search.saved.save': {
    good: [{ name: 'Missed', filter: { statuses: ['no_answer'] }, sort: { field: 'durationSec', desc: false } }],
    bad: [{ name: 'Missed' }, { name: ' ', filter: {} }],
    goodResponse: [saved], badResponse: [{ filter: {} }],
  },
  'search.saved.delete': { good: [{ name: 'Missed' }], bad: [{ name: '' }], goodResponse: [null], badResponse: [{}] },
  'summary.get': {
    good: [{ filter: {}, by: 'campaign' }, { filter: { accounts: ['A'] }, by: 'hour', tz: 'Asia/Tehran' }], bad: [{ filter: {}, by: 'minute' }, { filter: 3, by: 'day' }],
    goodResponse: [{ rows: [row] }], badResponse: [{ rows: [{ ...row, busy: -1 }] }, { rows: [{ key: 'x' }] }],
  },
  'summary.matrix': {
    good: [{ filter: {}, tz: 'Asia/Tehran' }], bad: [{ filter: {}, by: 'day' }],
    goodResponse: [{ weekdays, campaigns: [{ campaign: 'Autumn', total: matrix, answered: matrix }] }],
    badResponse: [{ weekdays, campaigns: [{ campaign: 'Autumn', total: matrix.slice(1), answered: matrix }] }, { weekdays: [], campaigns: [] }],
  },
  'summary.compare': {
    good: [{ filter: { from: '2024-10-01', to: '2024-10-31' } }, { filter: {}, by: 'campaign' }],
    bad: [{ filter: {}, by: 'day' }, {}],
    goodResponse: [{ current: win, previous: win, overall: compareRow, rows: [compareRow] }], badResponse: [{ current: win, rows: [] }],
  },
  'summary.providerReported': {
    good: [{ account: 'A' }], bad: [{}, { account: '' }],
    goodResponse: [{ account: 'A', reason: 'why', rows: [{ campaignId: '7', campaign: 'Autumn', syncedAt: '2024-10-25T06:00:12Z', windowFrom: null, windowTo: null, reported: { total_call: 120 }, local: figures }] }],
    badResponse: [{ account: 'A', reason: 'why', rows: [{ campaign: 'Autumn' }] }],
  },
  'rates.get': { good: [{ account: 'A' }], bad: [{}], goodResponse: [card], badResponse: [{ ...card, billBy: 'minutes' }] },
  'rates.billing': {
    good: [{ account: 'A', patch: { currency: 'EUR' } }, { account: 'A', patch: { billBy: 'duration', unansweredConnectFee: true } }],
    bad: [{ account: 'A', patch: { billBy: 'ring' } }, { account: 'A', patch: { rate: 1 } }],
    goodResponse: [card], badResponse: [{ ...card, rates: [{ prefix: '40' }] }],
  },
  'rates.import': {
    good: [{ account: 'A', file: handle }, { account: 'A', text: 'prefix,per_minute\n', replace: true }],
    bad: [{ account: 'A' }, { account: 'A', text: 'x', file: handle }, { account: 'A', file: '/home/u/rates.xlsx' }],
    goodResponse: [{ imported: 2, card }], badResponse: [{ imported: -1, card }],
  },
  'rates.clear': { good: [{ account: 'A' }], bad: [{ account: '' }], goodResponse: [card], badResponse: [null] },
  'rates.csv': { good: [{ account: 'A' }], bad: [{}], goodResponse: [{ csv: 'prefix\n' }], badResponse: [{ text: '' }] },
  'rates.checkInvoice': {
    good: [{ account: 'A', from: '2024-03-01', to: '2024-03-31', minutes: 3, amount: 0.3 }],
    bad: [{ account: 'A', from: '2024-03-01', to: '2024-03-31', minutes: -3, amount: 0.3 }, { account: 'A', minutes: 1, amount: 1 }],
    goodResponse: [invoice], badResponse: [{ ...invoice, cause: { kind: 'weather' } }],
  },
  'alerts.list': {
    good: [{}, { account: 'A', day: '2026-12-05' }],
    bad: [{ day: '5 Dec' }, { account: '' }, { x: 1 }],
    goodResponse: [{ alerts: [] }, { alerts: [{ account: 'A', campaign: null, day: '2026-12-05', kpi: 'answerRate', value: 0.25, baseline: 0.5, direction: 'down' }] }],
    badResponse: [{ alerts: [{ account: 'A', campaign: 'c', day: '2026-12-05', kpi: 'cost', value: 1, baseline: 2, direction: 'down' }] }, null],
  },
  'export.start': {
    good: [{ account: 'A', format: 'xlsx', out: handle }, { account: 'A', format: 'xlsx', out: handle, rightToLeft: true }, { account: 'A', format: 'csv', out: handle, filter: { campaign: 'x' }, tz: 'UTC', columns: ['Call ID'], separator: ';' }],
    bad: [
      { account: 'A', format: 'pdf', out: handle }, { account: 'A', format: 'xlsx', out: handle, rightToLeft: 'yes' }, { account: 'A', format: 'csv', out: handle, separator: '|' }, { account: 'A', format: 'csv' }, { format: 'csv', out: handle },
      { account: 'A', format: 'xlsx', out: '/home/u/a.xlsx' }, { account: 'A', format: 'csv', out: 'C:\\out\\a.csv' }, { account: 'A', format: 'csv', out: `${handle}/../x` },
    ],
    goodResponse: [{ jobId: 'export-1' }], badResponse: [{ jobId: null }],
  },
  'export.cancel': { good: [{ jobId: 'export-1' }], bad: [{ job: 'x' }], goodResponse: [null], badResponse: ['ok'] },
  'demo.start': { good: [{}], bad: [{ providers: ['x'] }], goodResponse: [{ accounts: ['Demo PBX'] }], badResponse: [{ accounts: 'Demo' }] },
  'settings.get': { good: [{}], bad: [{ language: 'en' }], goodResponse: [settings], badResponse: [{ ...settings, language: 'de' }, { language: 'en' }] },
  'settings.set': {
    good: [{ language: 'vi' }, { displayZone: null }, {}, { updateChannel: 'beta' }], bad: [{ theme: 'pink' }, { fontSize: 12 }, { updateChannel: 'nightly' }],
    goodResponse: [settings], badResponse: [{ ...settings, theme: 'pink' }],
  },
  'app.info': {
    good: [{}], bad: [{ verbose: true }],
    goodResponse: [{ name: 'CDR Desk', version: '0.1.0', shell: 'electron', platform: 'win32', dataDir: 'C:\\d', secretStore: 'keychain', secretWarning: null }],
    badResponse: [{ name: 'CDR Desk', version: '0.1.0', shell: 'web', platform: 'win32', dataDir: 'd', secretStore: 'k', secretWarning: null }],
  },
  'dialog.saveFile': {
    good: [{}, { title: 'Export', defaultName: 'calls.xlsx', filters: [{ name: 'Excel', extensions: ['xlsx'] }] }],
    bad: [{ filters: [{ name: 'x', extensions: ['a b'] }] }, { defaultPath: '/etc' }],
    goodResponse: [{ handle, path: '/home/u/calls.xlsx' }, { handle: null, path: null }], badResponse: [{ path: '/home/u/calls.xlsx' }, { handle: '/home/u/calls.xlsx', path: '/home/u/calls.xlsx' }, {}],
  },
  'dialog.openFile': {
    good: [{ filters: [{ name: 'Ids', extensions: ['txt', 'csv', 'xlsx'] }] }], bad: [{ multiple: true }],
    goodResponse: [{ handle, path: '/home/u/ids.csv' }], badResponse: [{ paths: [] }, { path: '/home/u/ids.csv' }],
  },
  'shell.showItemInFolder': { good: [{ path: '/home/u/a.xlsx' }], bad: [{ path: '' }], goodResponse: [null], badResponse: [true] },
  'shell.openExternal': {
    good: [{ url: 'https://github.com/cdr-desk' }], bad: [{ url: 'http://example.com' }, { url: 'file:///etc/passwd' }, { url: 'javascript:alert(1)' }],
    goodResponse: [null], badResponse: [{}],
  },
  'app.openLogFolder': { good: [{}], bad: [{ path: '/tmp' }], goodResponse: [null], badResponse: ['opened'] },
};

const E: Record<EventName, { good: unknown; bad: unknown[] }> = {
  'sync.progress': {
    good: { jobId: 'sync-1', account: 'A', done: 3, total: 10, fetched: 300, inserted: 250, updated: 50, rate: 12.5, etaSec: 40 },
    bad: [{ jobId: 'sync-1', account: 'A', done: -1, total: 10, fetched: 0, inserted: 0, updated: 0, rate: null, etaSec: null }, { jobId: 'sync-1' }],
  },
  'export.progress': { good: { jobId: 'export-1', done: 100, total: null }, bad: [{ jobId: 'export-1', done: 1.5, total: null }] },
  'file.dropped': { good: { handle, name: 'ids.csv' }, bad: [{ handle: '/home/u/ids.csv', name: 'ids.csv' }, { handle, name: '' }, { handle, name: 'x', path: '/x' }] },
  'job.done': {
    good: { jobId: 'export-1', kind: 'export', ok: true, cancelled: false, error: null, result: { file: '/x.xlsx', rows: 100 } },
    bad: [{ jobId: 'export-1', kind: 'import', ok: true, cancelled: false, error: null, result: null }],
  },
};

describe('IPC contract', () => {
  it('has samples for exactly its channels and events', () => {
    expect(Object.keys(S).sort()).toEqual([...CHANNEL_NAMES].sort());
    expect(Object.keys(E).sort()).toEqual([...EVENT_NAMES].sort());
  });

  for (const name of CHANNEL_NAMES) {
    const spec = CHANNELS[name];
    const s = S[name];
    it(`${name}: accepts good requests and responses, refuses bad ones`, () => {
      for (const r of s.good) expect(spec.request.safeParse(r).error?.issues ?? null, JSON.stringify(r)).toBeNull();
      for (const r of s.bad) expect(spec.request.safeParse(r).success, `request ${JSON.stringify(r)}`).toBe(false);
      for (const r of s.goodResponse) expect(spec.response.safeParse(r).error?.issues ?? null, JSON.stringify(r)).toBeNull();
      for (const r of s.badResponse) expect(spec.response.safeParse(r).success, `response ${JSON.stringify(r)}`).toBe(false);
    });
  }

  for (const name of EVENT_NAMES) {
    it(`event ${name}: accepts a good payload, refuses bad ones`, () => {
      expect(EVENTS[name].safeParse(E[name].good).success).toBe(true);
      for (const b of E[name].bad) expect(EVENTS[name].safeParse(b).success).toBe(false);
    });
  }

  it('never lets a secret out: account views drop secret values', () => {
    const out = CHANNELS['accounts.list'].response.parse([{ ...view, secrets: { token: 's3cret' } }]);
    expect(JSON.stringify(out)).not.toContain('s3cret');
  });

  it('builds window.api with one function per channel at its dotted path', async () => {
    const calls: [string, unknown][] = [];
    const api = buildApi(async (c, r) => (calls.push([c, r]), 'answer'), () => () => {}) as unknown as Record<string, Record<string, unknown>>;
    for (const { channel, path } of apiPaths()) {
      const fn = path.reduce<unknown>((node, p) => (node as Record<string, unknown>)[p], api);
      expect(typeof fn, channel).toBe('function');
    }
    await (api.search!.saved as Record<string, () => Promise<unknown>>).list!();
    expect(calls).toEqual([['search.saved.list', {}]]);
    expect(() => (api.on as unknown as (e: string, l: () => void) => void)('nope', () => {})).toThrow(/unknown event/);
  });
});
