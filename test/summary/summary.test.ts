import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMMARY_DEFINITIONS, SummaryResponse } from '../../electron/shared/search.ts';
import { comparePeriods, hourWeekdayMatrix, providerReported, summarize } from '../../electron/data/summary/summary.ts';
import type { Workspace } from '../../electron/data/workspace.ts';
import { isolatedKeyFile } from '../helpers/tmp.ts';
import { searchFixture, T } from '../search/fixture.ts';

isolatedKeyFile();
let ws: Workspace;
beforeAll(async () => {
  ws = await searchFixture();
});
afterAll(() => ws.close());

describe('summary KPIs', () => {
  it('computes each KPI per group exactly as the definitions say', () => {
    const { rows } = summarize(ws, { filter: {}, by: 'campaign' });
    expect(SummaryResponse.parse({ rows })).toBeTruthy();
    const tet = rows.find((r) => r.key === 'Khuyến mãi Tết')!;
    // vn-1 answered (bill 22, wait 9), vn-2 busy (bill 0, no wait).
    expect(tet).toMatchObject({ total: 2, answered: 1, busy: 1, no_answer: 0, answerRate: 0.5, avgTalkSec: 22, billSec: 22, billMinutes: 0.37, avgWaitSec: 9 });
    const oft = rows.find((r) => r.key === 'Ofertă de toamnă')!;
    expect(oft).toMatchObject({ total: 2, answered: 1, invalid_number: 1, answerRate: 0.5, avgTalkSec: 55, billSec: 55, avgWaitSec: null });
    const none = rows.find((r) => r.key === null)!;
    expect(none).toMatchObject({ total: 1, failed: 1, answerRate: 0, avgTalkSec: 0 });
    expect(rows.reduce((s, r) => s + r.total, 0)).toBe(8);
    expect(Object.keys(SUMMARY_DEFINITIONS)).toEqual(expect.arrayContaining(['answerRate', 'avgTalkSec', 'billSec', 'billMinutes', 'avgWaitSec']));
  });

  it('groups by status (in the normalized order), agent and account', () => {
    expect(summarize(ws, { filter: {}, by: 'status' }).rows.map((r) => [r.key, r.total])).toEqual([
      ['answered', 3], ['no_answer', 1], ['busy', 1], ['failed', 1], ['invalid_number', 1], ['cancelled', 1],
    ]);
    expect(summarize(ws, { filter: { statuses: ['answered'] }, by: 'agent' }).rows.map((r) => r.key).sort()).toEqual(['Elena Șerban', 'Đinh Công Tráng', null].sort());
    expect(summarize(ws, { filter: {}, by: 'account' }).rows.map((r) => [r.key, r.total])).toEqual([['Saigon', 4], ['Bucharest', 2], ['Tehran', 2]]);
  });

  it('gives an empty list, never NaN, when nothing matches', () => {
    expect(summarize(ws, { filter: { from: '2030-01-01' }, by: 'day' }).rows).toEqual([]);
    const cmp = comparePeriods(ws, { filter: { from: '2030-01-01', to: '2030-01-31' } });
    expect(cmp.rows).toEqual([]);
    expect(cmp.overall.current).toMatchObject({ total: 0, answerRate: 0, avgTalkSec: 0, billMinutes: 0, avgWaitSec: null });
    expect(JSON.stringify(cmp)).not.toMatch(/NaN|null,"answerRate"/);
    expect(hourWeekdayMatrix(ws, { filter: { from: '2030-01-01' } }).campaigns).toEqual([]);
  });

  it('refuses an unknown grouping, zone or filter', () => {
    expect(() => summarize(ws, { filter: {}, by: 'year' as never })).toThrow(/unknown grouping "year"/);
    expect(() => summarize(ws, { filter: {}, by: 'day', tz: 'Europe/Atlantis' })).toThrow(/unknown time zone "Europe\/Atlantis"/);
    expect(() => summarize(ws, { filter: { statuses: ['ok' as never] }, by: 'day' })).toThrow(/unknown status "ok"/);
  });
});

describe('day and hour buckets', () => {
  it('puts each call in its own account\'s local day by default, or in --tz', () => {
    // 7 March local everywhere except vn-3 (00:00 on the 8th in Saigon) and ro-2 (10:00 on the 8th in Bucharest).
    const own = summarize(ws, { filter: {}, by: 'day' }).rows.map((r) => [r.key, r.total]);
    expect(own).toEqual([['2024-03-07', 5], ['2024-03-08', 2], [null, 1]]);
    // In UTC: vn-1 06:34, ir-1 05:00, vn-2 16:59, vn-3 17:00, ir-2 20:29, ro-1 21:30 on the 7th; ro-2 on the 8th.
    const utc = summarize(ws, { filter: {}, by: 'day', tz: 'UTC' }).rows.map((r) => [r.key, r.total]);
    expect(utc).toEqual([['2024-03-07', 6], ['2024-03-08', 1], [null, 1]]);
    expect(summarize(ws, { filter: { accounts: ['Tehran'] }, by: 'hour' }).rows.map((r) => r.key)).toEqual(['08', '23']);
  });
});

describe('hour-by-weekday matrix', () => {
  it('counts calls and answered calls per local weekday (Monday first) and hour, per campaign', () => {
    const m = hourWeekdayMatrix(ws, { filter: {} });
    expect(m.weekdays[0]).toBe('Mon');
    const tet = m.campaigns.find((c) => c.campaign === 'Khuyến mãi Tết')!;
    // 7 March 2024 was a Thursday: vn-1 at 13:34 local (answered), vn-2 at 23:59 (busy).
    expect(tet.total[3]![13]).toBe(1);
    expect(tet.answered[3]![13]).toBe(1);
    expect(tet.total[3]![23]).toBe(1);
    expect(tet.answered[3]![23]).toBe(0);
    const sum = m.campaigns.flatMap((c) => c.total.flat()).reduce((a, b) => a + b, 0);
    expect(sum).toBe(7); // every call with a start time
  });
});

describe('period comparison', () => {
  it('compares a period with the same-length period just before it, with deltas', () => {
    const cmp = comparePeriods(ws, { filter: { accounts: ['Saigon'], from: '2024-03-08', to: '2024-03-08' } });
    expect(cmp.current).toEqual({ from: '2024-03-07T17:00:00Z', to: '2024-03-08T17:00:00Z' });
    expect(cmp.previous).toEqual({ from: '2024-03-06T17:00:00Z', to: '2024-03-07T17:00:00Z' });
    expect(cmp.overall.current.total).toBe(1); // vn-3
    expect(cmp.overall.previous.total).toBe(2); // vn-1, vn-2
    expect(cmp.overall.delta).toMatchObject({ total: -1, answered: -1, answerRate: -0.5, avgTalkSec: -22 });
    const tet = cmp.rows.find((r) => r.key === 'Khuyến mãi Tết')!;
    expect(tet.current.total).toBe(0);
    expect(tet.previous.total).toBe(2);
  });

  it('needs both ends of the period, of one kind', () => {
    expect(() => comparePeriods(ws, { filter: { from: '2024-03-08' } })).toThrow(/needs both --from and --to/);
    expect(() => comparePeriods(ws, { filter: { from: '2024-03-08', to: '2024-03-09T00:00:00Z' } })).toThrow(/of one kind/);
    expect(() => comparePeriods(ws, { filter: { from: '2024-03-08', to: '2024-03-09' }, by: 'day' as never })).toThrow(/by day/);
  });
});

describe('provider-reported figures', () => {
  it('shows tel4vn-v3\'s last synced campaign report beside the local figures, with the reason they differ', () => {
    const add = ws.db.prepare(
      `INSERT INTO campaign_reports (account_id, campaign_id, campaign, synced_at, window_from, window_to, stats)
       VALUES ((SELECT id FROM accounts WHERE name = 'Saigon'), ?, ?, ?, ?, ?, ?)`,
    );
    add.run('c-tet', 'Khuyến mãi Tết', T('2024-03-09T00:00:00Z'), null, null, JSON.stringify({ total: 3, answered: 1 }));
    add.run('c-tet', 'Khuyến mãi Tết', T('2024-03-10T00:00:00Z'), null, null, JSON.stringify({ total: 6, answered: 1, busy: 4, no_answered: 1 }));
    add.run('c-no', 'Nhắc nợ', T('2024-03-10T00:00:00Z'), T('2024-03-08T00:00:00Z'), T('2024-03-09T00:00:00Z'), JSON.stringify({ total: 2 }));
    const r = providerReported(ws, { account: 'saigon' });
    expect(r.reason).toMatch(/counts every dialling attempt.*latest attempt/);
    expect(r.rows.map((x) => [x.campaignId, x.syncedAt, x.reported.total, x.local.total])).toEqual([
      ['c-tet', '2024-03-10T00:00:00Z', 6, 2],
      ['c-no', '2024-03-10T00:00:00Z', 2, 0], // vn-3 is before the report's window
    ]);
    expect(r.rows[0]!.local).toMatchObject({ answered: 1, busy: 1 });
    expect(() => providerReported(ws, { account: 'Bucharest' })).toThrow(/publishes no campaign report/);
    expect(() => providerReported(ws, { account: 'Nowhere' })).toThrow(/no such account/);
  });
});
