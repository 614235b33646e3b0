// Summaries by week and month, Gregorian and Persian, over a real cache: each row holds exactly the calls whose
// local day (in the account's zone) falls in that week or month, counted call by call here; Persian days, weeks
// from Saturday and Solar Hijri months; the CLI takes --by week|month --calendar.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../../electron/data/summary/summary.ts';
import { calendarKey, type Calendar } from '../../electron/data/time/calendar.ts';
import { formatWall } from '../../electron/data/time/zone.ts';
import type { NormalizedCdr } from '../../electron/shared/cdr.ts';
import { seededRng } from '../../electron/data/providers/simulation/random.ts';
import { call, fixture, type Fixture } from '../export/fixture.ts';
import { runCli } from '../helpers/run-cli.ts';
import { isolatedKeyFile } from '../helpers/tmp.ts';

const ZONE = 'Asia/Tehran';
const FROM = Date.UTC(2024, 8, 15);
const TO = Date.UTC(2024, 11, 20);
const r = seededRng(1403);
const CALLS: NormalizedCdr[] = Array.from({ length: 400 }, (_, i) => {
  const answered = r.next() < 0.5;
  return call(`c${i}`, { startedAt: FROM + Math.floor(r.next() * (TO - FROM)), status: answered ? 'answered' : 'busy', billSec: answered ? r.int(5, 200) : 0 });
});

describe('summary by week and month', () => {
  let f: Fixture;
  const env = { CDR_DESK_KEY_FILE: isolatedKeyFile() };
  beforeAll(async () => {
    f = await fixture('Tehran', ZONE, CALLS);
  });
  afterAll(() => f.ws.close());

  /** Calls and answered per key, counted call by call from each call's local day. */
  function expected(unit: 'day' | 'week' | 'month', calendar: Calendar): [string, number, number][] {
    const m = new Map<string, [number, number]>();
    for (const c of CALLS) {
      const key = calendarKey(formatWall(ZONE, c.startedAt!).slice(0, 10), unit, calendar);
      const v = m.get(key) ?? [0, 0];
      m.set(key, [v[0] + 1, v[1] + (c.status === 'answered' ? 1 : 0)]);
    }
    return [...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, [n, a]]) => [k, n, a]);
  }

  for (const calendar of ['gregorian', 'persian'] as const) {
    for (const by of ['day', 'week', 'month'] as const) {
      it(`${by}, ${calendar}`, () => {
        const rows = summarize(f.ws, { filter: {}, by, calendar }).rows;
        expect(rows.map((x) => [x.key, x.total, x.answered])).toEqual(expected(by, calendar));
        const billSec = rows.reduce((s, x) => s + x.billSec, 0);
        expect(billSec).toBe(CALLS.reduce((s, c) => s + (c.billSec ?? 0), 0));
      });
    }
  }

  it('Persian months are Solar Hijri (Mehr to Azar 1403 here), weeks start on Saturday', () => {
    const months = summarize(f.ws, { filter: {}, by: 'month', calendar: 'persian' }).rows.map((x) => x.key);
    expect(months).toEqual(['1403-06', '1403-07', '1403-08', '1403-09']);
    const weeks = summarize(f.ws, { filter: {}, by: 'week', calendar: 'persian' }).rows.map((x) => x.key!);
    // Keys are a week apart, Saturdays: 1403-07-28 (Saturday 19 October 2024) is one of them.
    expect(weeks).toContain('1403-07-28');
    expect(weeks.length).toBeGreaterThanOrEqual(13);
  });

  it('cdr-desk summary --by month --calendar persian --json', () => {
    const run = (...args: string[]) => runCli(['--data-dir', f.dir, 'summary', ...args], env);
    const out = run('--by', 'month', '--calendar', 'persian', '--json');
    expect(out.status, out.stderr).toBe(0);
    expect((JSON.parse(out.stdout) as { rows: { key: string; total: number }[] }).rows.map((x) => [x.key, x.total])).toEqual(expected('month', 'persian').map(([k, n]) => [k, n]));
    const bad = run('--by', 'week', '--calendar', 'julian');
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringMatching(/--calendar takes gregorian or persian, got "julian"/)]);
  });
});
