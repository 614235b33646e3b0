// Summaries (by key, day and hour) and the weekday-hour matrix against figures computed here, call by call, from the rows a search with
// the same filter returns: for filters read range by range (none, accounts, statuses, direction and duration) and
// for those read by one GROUP BY (a time window, free text), in zones with and without daylight saving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_STATUSES } from '../../electron/shared/cdr.ts';
import type { SearchFilter } from '../../electron/shared/filter.ts';
import type { SummaryBy } from '../../electron/shared/search.ts';
import type { CdrDbRow } from '../../electron/data/db/cdrs.ts';
import { compileFilter } from '../../electron/data/search/filter.ts';
import { hourWeekdayMatrix, summarize } from '../../electron/data/summary/summary.ts';
import { formatWall } from '../../electron/data/time/zone.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { addSyntheticAccount, makeCdr, syntheticCdrs, writeSynthetic } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

isolatedKeyFile();
const T = (iso: string) => Date.parse(iso);
let ws: Workspace;

beforeAll(async () => {
  ws = openWorkspace(tempDir());
  const accounts = [
    { name: 'RO', timezone: 'Europe/Bucharest', script: 'ro' },
    { name: 'FA', timezone: 'Asia/Tehran', script: 'fa' },
    { name: 'LH', timezone: 'Australia/Lord_Howe', script: 'en' }, // DST of 30 minutes
  ] as const;
  for (const [i, a] of accounts.entries()) {
    const id = await addSyntheticAccount(ws, { ...a, provider: 'pbx-cdr' });
    writeSynthetic(ws, id, syntheticCdrs({ script: a.script, timezone: a.timezone, count: 1200, seed: 11 + i, from: T('2021-09-01T00:00:00Z'), to: T('2022-11-30T00:00:00Z'), idPrefix: a.name }));
    // Edge keys: no campaign, an empty campaign name, no start time, wait given for some calls of a group only.
    writeSynthetic(ws, id, [
      makeCdr({ callId: `${a.name}-e1`, startedAt: T('2022-03-27T00:30:00Z'), billSec: 7, waitSec: 3, agent: 'X' }),
      makeCdr({ callId: `${a.name}-e2`, campaign: '', status: 'busy', startedAt: T('2022-10-30T00:59:59Z'), billSec: 0 }),
      makeCdr({ callId: `${a.name}-e3`, campaign: 'Edge', startedAt: null, billSec: 4, waitSec: 0 }),
      makeCdr({ callId: `${a.name}-e4`, campaign: 'Edge', startedAt: T('2022-04-03T15:45:00Z'), billSec: 9 }),
    ]);
  }
});
afterAll(() => ws.close());

type Row = CdrDbRow & { account_name: string; account_timezone: string };
/** The stored calls a search with `filter` matches (the engine's own filter compiler), with their account's name and zone. */
function rowsOf(filter: SearchFilter): Row[] {
  const f = compileFilter(ws, filter);
  return ws.db
    .prepare(`SELECT c.*, a.name AS account_name, a.timezone AS account_timezone FROM cdrs c JOIN accounts a ON a.id = c.account_id
              WHERE c.id IN (SELECT id FROM cdrs WHERE ${f.where})`)
    .all(...f.params) as Row[];
}

/** The KPIs of a set of calls, computed one call at a time as SUMMARY_DEFINITIONS words them. */
function expected(rows: Row[]) {
  const answered = rows.filter((r) => r.status === 'answered');
  const waits = rows.filter((r) => r.wait_sec !== null);
  const sum = (xs: Row[], f: (r: Row) => number | null) => xs.reduce((s, r) => s + (f(r) ?? 0), 0);
  const bill = sum(rows, (r) => r.bill_sec);
  return {
    total: rows.length,
    ...Object.fromEntries(CALL_STATUSES.map((s) => [s, rows.filter((r) => r.status === s).length])),
    answerRate: Math.round((answered.length / rows.length) * 1e4) / 1e4,
    avgTalkSec: answered.length ? Math.round((sum(answered, (r) => r.bill_sec) / answered.length) * 100) / 100 : 0,
    billSec: bill,
    billMinutes: Math.round((bill / 60) * 100) / 100,
    avgWaitSec: waits.length ? Math.round((sum(waits, (r) => r.wait_sec) / waits.length) * 100) / 100 : null,
    // No account here has a rate card (docs/costs.md): no currency, no cost, every call unpriced.
    currency: null, cost: null, costPerAnswered: null, costPerMinute: null, unpricedCalls: rows.length,
  };
}

const FILTERS: [string, SearchFilter][] = [
  ['no filter', {}],
  ['two accounts', { accounts: ['RO', 'LH'] }],
  ['two statuses', { statuses: ['answered', 'busy'] }],
  ['direction and duration', { direction: 'out', minDuration: 20 }],
  ['campaign', { campaign: 'Edge' }],
  ['time window (one GROUP BY)', { from: '2022-03-01', to: '2022-06-30' }],
  ['free text (one GROUP BY)', { text: 'Sondaj' }],
];

describe('summaries equal figures computed call by call', () => {
  const keyOf: Record<Exclude<SummaryBy, 'day' | 'week' | 'month' | 'hour'>, (r: Row) => string | null> = {
    campaign: (r) => r.campaign,
    status: (r) => r.status,
    agent: (r) => r.agent,
    account: (r) => r.account_name,
  };
  for (const [name, filter] of FILTERS) {
    it(`by campaign, status, agent and account: ${name}`, () => {
      const rows = rowsOf(filter);
      expect(rows.length).toBeGreaterThan(0);
      for (const [by, key] of Object.entries(keyOf) as [keyof typeof keyOf, (r: Row) => string | null][]) {
        const groups = new Map<string | null, Row[]>();
        for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
        const want = new Map([...groups].map(([k, rs]) => [k, { key: k, ...expected(rs) }]));
        const got = new Map(summarize(ws, { filter, by }).rows.map((r) => [r.key, r]));
        expect(got, `by ${by}`).toEqual(want);
      }
    });
  }
});

describe('day and hour buckets equal each call\'s wall clock', () => {
  for (const [name, filter] of FILTERS) {
    for (const tz of [undefined, 'Europe/Bucharest']) {
      it(`${name}, ${tz ?? 'each account\'s zone'}`, () => {
        const wall = (r: Row) => (r.started_at === null ? null : formatWall(tz ?? r.account_timezone, r.started_at));
        const rows = rowsOf(filter);
        for (const [by, key] of [['day', (r: Row) => wall(r)?.slice(0, 10) ?? null], ['hour', (r: Row) => wall(r)?.slice(11, 13) ?? null]] as const) {
          const groups = new Map<string | null, Row[]>();
          for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
          const want = new Map([...groups].map(([k, rs]) => [k, { key: k, ...expected(rs) }]));
          const got = new Map(summarize(ws, { filter, by, tz }).rows.map((r) => [r.key, r]));
          expect(got, `by ${by}`).toEqual(want);
        }
      });
    }
  }
});

describe('the weekday-hour matrix equals the wall clock of each call', () => {
  for (const [name, filter] of FILTERS) {
    for (const tz of [undefined, 'Europe/Bucharest']) {
      it(`${name}, ${tz ?? 'each account\'s zone'}`, () => {
        const want = new Map<string | null, { total: number[][]; answered: number[][] }>();
        for (const r of rowsOf(filter)) {
          if (r.started_at === null) continue;
          const wall = formatWall(tz ?? r.account_timezone, r.started_at);
          const weekday = (new Date(`${wall.slice(0, 10)}T00:00:00Z`).getUTCDay() + 6) % 7;
          const hour = Number(wall.slice(11, 13));
          let m = want.get(r.campaign);
          if (!m) want.set(r.campaign, (m = { total: grid(), answered: grid() }));
          m.total[weekday]![hour]!++;
          if (r.status === 'answered') m.answered[weekday]![hour]!++;
        }
        const got = new Map(hourWeekdayMatrix(ws, { filter, tz }).campaigns.map((c) => [c.campaign, { total: c.total, answered: c.answered }]));
        expect(got).toEqual(want);
      });
    }
  }
});

const grid = () => Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
