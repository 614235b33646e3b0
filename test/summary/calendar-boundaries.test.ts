// Summaries by day, week and month at the calendars' edges and across daylight saving. The Jalali dates below
// were checked by hand: Farvardin..Shahrivar have 31 days, Mehr..Bahman 30, Esfand 29 (30 in a leap year such as
// 1403); 1 Farvardin 1403 (Nowruz) was Wednesday 20 March 2024. Tehran kept daylight saving until 2022, changing
// its clocks at the start of 2 Farvardin (the day after Nowruz) and at the end of 30 Shahrivar.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toJalaali } from 'jalaali-js';
import { gregorianDayOf } from '../../electron/shared/calendar.ts';
import { calendarKey } from '../../electron/data/time/calendar.ts';
import { comparePeriods, summarize } from '../../electron/data/summary/summary.ts';
import { formatWall } from '../../electron/data/time/zone.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { addSyntheticAccount, makeCdr, syntheticCdrs, writeSynthetic } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

describe('calendar periods of a day', () => {
  it('days in the Persian calendar, across Nowruz and months of 31, 30 and 29 days', () => {
    const cases: [string, string][] = [
      ['2024-03-19', '1402-12-29'], // last day of Esfand 1402 (29 days: 1402 is not a leap year)
      ['2024-03-20', '1403-01-01'], // Nowruz 1403
      ['2024-04-19', '1403-01-31'], // Farvardin has 31 days
      ['2024-04-20', '1403-02-01'],
      ['2024-10-21', '1403-07-30'], // Mehr has 30 days
      ['2024-10-22', '1403-08-01'],
      ['2025-02-19', '1403-12-01'],
      ['2025-03-20', '1403-12-30'], // Esfand of the leap year 1403 has 30 days
      ['2025-03-21', '1404-01-01'], // Nowruz 1404
    ];
    for (const [gregorian, persian] of cases) {
      expect(calendarKey(gregorian, 'day', 'persian'), gregorian).toBe(persian);
      expect(gregorianDayOf(persian, 'persian'), persian).toBe(gregorian);
    }
    expect(calendarKey('2024-03-20', 'day', 'gregorian')).toBe('2024-03-20');
  });

  it('Persian weeks start on Saturday, Gregorian weeks on Monday, across a year boundary', () => {
    // Nowruz 1403 was a Wednesday: its week began on Saturday 16 March 2024 = 26 Esfand 1402.
    expect(calendarKey('2024-03-20', 'week', 'persian')).toBe('1402-12-26');
    expect(calendarKey('2024-03-16', 'week', 'persian')).toBe('1402-12-26'); // the Saturday itself
    expect(calendarKey('2024-03-22', 'week', 'persian')).toBe('1402-12-26'); // Friday 3 Farvardin, the week's last day
    expect(calendarKey('2024-03-23', 'week', 'persian')).toBe('1403-01-04'); // Saturday: a new week
    expect(calendarKey('2024-03-20', 'week', 'gregorian')).toBe('2024-03-18'); // Monday
    expect(calendarKey('2024-03-17', 'week', 'gregorian')).toBe('2024-03-11'); // a Sunday ends the Gregorian week
    expect(calendarKey('2024-01-01', 'week', 'gregorian')).toBe('2024-01-01');
    expect(calendarKey('2023-12-31', 'week', 'gregorian')).toBe('2023-12-25');
  });

  it('months: YYYY-MM of the calendar, the leap Esfand whole', () => {
    expect(calendarKey('2025-02-19', 'month', 'persian')).toBe('1403-12');
    expect(calendarKey('2025-03-20', 'month', 'persian')).toBe('1403-12');
    expect(calendarKey('2025-03-21', 'month', 'persian')).toBe('1404-01');
    expect(calendarKey('2024-03-19', 'month', 'persian')).toBe('1402-12');
    expect(calendarKey('2024-02-29', 'month', 'gregorian')).toBe('2024-02');
    expect(gregorianDayOf('1403-12', 'persian')).toBe('2025-02-19');
    expect(gregorianDayOf('2024-02', 'gregorian')).toBe('2024-02-01');
  });

  it('refuses a key that is not a day or a month', () => {
    expect(() => gregorianDayOf('1403-1', 'persian')).toThrow(/YYYY-MM-DD/);
  });
});

isolatedKeyFile();
const T = (iso: string) => Date.parse(iso);
let ws: Workspace;
beforeAll(async () => {
  ws = openWorkspace(tempDir());
  const tehran = await addSyntheticAccount(ws, { name: 'Tehran', provider: 'pbx-cdr', timezone: 'Asia/Tehran', script: 'fa' });
  writeSynthetic(ws, tehran, [
    // Nowruz 1401 (Monday 21 March 2022) at +03:30; clocks went forward at the start of 2 Farvardin (20:30Z).
    makeCdr({ callId: 'n1', startedAt: T('2022-03-20T20:15:00Z') }), // 23:45 on 29 Esfand 1400 (a Sunday)
    makeCdr({ callId: 'n2', startedAt: T('2022-03-20T20:45:00Z') }), // 00:15 on 1 Farvardin 1401
    makeCdr({ callId: 'n3', startedAt: T('2022-03-21T20:45:00Z') }), // 01:15 (+04:30) on 2 Farvardin
    // The end of daylight saving: 24:00 on 30 Shahrivar 1401 (19:30Z) became 23:00 again.
    makeCdr({ callId: 'm1', startedAt: T('2022-09-21T19:15:00Z') }), // 23:45 (+04:30) on 30 Shahrivar
    makeCdr({ callId: 'm2', startedAt: T('2022-09-21T19:45:00Z') }), // 23:15 (+03:30) on 30 Shahrivar, the repeated hour
    makeCdr({ callId: 'm3', startedAt: T('2022-09-21T20:45:00Z') }), // 00:15 on 31 Shahrivar 1401 (a Thursday)
    makeCdr({ callId: 'm4', startedAt: T('2022-09-22T20:15:00Z') }), // 23:45 on 31 Shahrivar
    makeCdr({ callId: 'm5', startedAt: T('2022-09-22T20:45:00Z') }), // 00:15 on 1 Mehr 1401 (a Friday)
    makeCdr({ callId: 'x', startedAt: null }), // no start time: its own null key
  ]);
});
afterAll(() => ws.close());

const keys = (by: 'day' | 'week' | 'month', calendar?: 'gregorian' | 'persian', tz?: string) =>
  summarize(ws, { filter: { accounts: ['Tehran'] }, by, calendar, tz }).rows.map((r) => [r.key, r.total]);

describe('summaries by day, week and month', () => {
  it('Persian days, weeks and months follow Tehran\'s wall clock on both sides of each daylight-saving change', () => {
    expect(keys('day', 'persian')).toEqual([
      ['1400-12-29', 1], ['1401-01-01', 1], ['1401-01-02', 1], ['1401-06-30', 2], ['1401-06-31', 2], ['1401-07-01', 1],
      [null, 1],
    ]);
    expect(keys('month', 'persian')).toEqual([['1400-12', 1], ['1401-01', 2], ['1401-06', 4], ['1401-07', 1], [null, 1]]);
    // 29 Esfand 1400 was a Sunday: its week began on Saturday 28 Esfand and holds Nowruz and 2 Farvardin too.
    // 30 Shahrivar (Wednesday) to 1 Mehr (Friday) share the week of Saturday 26 Shahrivar.
    expect(keys('week', 'persian')).toEqual([['1400-12-28', 3], ['1401-06-26', 5], [null, 1]]);
  });

  it('Gregorian weeks start on Monday and months are the Gregorian ones; the default calendar is Gregorian', () => {
    expect(keys('week')).toEqual([['2022-03-14', 1], ['2022-03-21', 2], ['2022-09-19', 5], [null, 1]]);
    expect(keys('month', 'gregorian')).toEqual([['2022-03', 3], ['2022-09', 5], [null, 1]]);
    expect(keys('day')).toEqual(keys('day', 'gregorian'));
  });

  it('a period is made of days of the zone asked for', () => {
    // In UTC, n1 and n2 both fall on 20 March 2022 = 29 Esfand 1400, and m5 on 22 September = 31 Shahrivar.
    expect(keys('month', 'persian', 'UTC')).toEqual([['1400-12', 2], ['1401-01', 1], ['1401-06', 5], [null, 1]]);
  });

  it('the figures of a period are the sums of its calls, from the running totals or the calls themselves', async () => {
    const id = await addSyntheticAccount(ws, { name: 'Many', provider: 'pbx-cdr', timezone: 'Asia/Tehran', script: 'fa' });
    writeSynthetic(ws, id, syntheticCdrs({ script: 'fa', timezone: 'Asia/Tehran', count: 2000, seed: 19, from: T('2021-01-01T00:00:00Z'), to: T('2023-01-01T00:00:00Z'), idPrefix: 'm' }));
    const calls = ws.db.prepare("SELECT started_at AS t, status FROM cdrs WHERE account_id = ? AND started_at IS NOT NULL").all(id) as { t: number; status: string }[];
    // Oracle: each call's Jalali wall date in Tehran, through jalaali-js directly.
    const expected = { week: new Map<string, [number, number]>(), month: new Map<string, [number, number]>() };
    for (const c of calls) {
      const wall = formatWall('Asia/Tehran', c.t).slice(0, 10);
      const [y, m, d] = wall.split('-').map(Number) as [number, number, number];
      const { jy, jm } = toJalaali(y, m, d);
      const saturday = new Date(Date.UTC(y, m - 1, d) - ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1) % 7) * 86_400_000);
      const w = toJalaali(saturday.getUTCFullYear(), saturday.getUTCMonth() + 1, saturday.getUTCDate());
      const weekKey = `${w.jy}-${String(w.jm).padStart(2, '0')}-${String(w.jd).padStart(2, '0')}`;
      const monthKey = `${jy}-${String(jm).padStart(2, '0')}`;
      for (const [map, key] of [[expected.week, weekKey], [expected.month, monthKey]] as const) {
        const [n, a] = map.get(key) ?? [0, 0];
        map.set(key, [n + 1, a + (c.status === 'answered' ? 1 : 0)]);
      }
    }
    for (const by of ['week', 'month'] as const) {
      for (const readCalls of [false, true]) {
        const rows = summarize(ws, { filter: { accounts: ['Many'] }, by, calendar: 'persian', readCalls }).rows.filter((r) => r.key !== null);
        expect(new Map(rows.map((r) => [r.key!, [r.total, r.answered]])), `${by} readCalls=${readCalls}`).toEqual(expected[by]);
        expect(rows.map((r) => r.key)).toEqual([...rows.map((r) => r.key)].sort()); // in calendar order
      }
    }
    // Every Persian week key is a Saturday.
    const weeks = summarize(ws, { filter: { accounts: ['Many'] }, by: 'week', calendar: 'persian' }).rows;
    for (const r of weeks.filter((r) => r.key)) expect(new Date(`${gregorianDayOf(r.key!, 'persian')}T00:00:00Z`).getUTCDay(), r.key!).toBe(6);
  });

  it('refuses a period comparison by week or month, naming the cause', () => {
    expect(() => comparePeriods(ws, { filter: { from: '2022-03-01', to: '2022-03-31' }, by: 'month' as 'campaign' })).toThrow(/cannot be compared by month/);
  });
});
