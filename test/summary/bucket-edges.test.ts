// Calls placed on the edges of local days and hours: one second either side of every offset change of each zone
// and of the local midnights and hours next to it, in zones whose offsets are not whole hours (Tehran, Kathmandu,
// St John's, Lord Howe's 30-minute DST), before 1970, and in old local mean times that are not whole minutes
// (Bucharest +1:44:24 until 1931). A call folded into the neighbouring local hour or day fails here: every day,
// hour and weekday-hour cell is checked against the zone's wall clock (time/zone.ts formatWall), read from the
// calls range by range, in one statement (a time window), and from the running totals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchFilter } from '../../electron/shared/filter.ts';
import { offsetSpans } from '../../electron/data/search/zone-offsets.ts';
import { hourWeekdayMatrix, summarize } from '../../electron/data/summary/summary.ts';
import { formatWall } from '../../electron/data/time/zone.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { addSyntheticAccount, makeCdr, writeSynthetic } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

isolatedKeyFile();
const T = (iso: string) => Date.parse(iso);
const HOUR_MS = 3_600_000;

/** Each account's zone and the years whose edges it gets calls on. */
const ACCOUNTS = [
  { name: 'RO-now', timezone: 'Europe/Bucharest', from: T('2024-01-01T00:00:00Z'), to: T('2025-01-01T00:00:00Z') },
  { name: 'RO-lmt', timezone: 'Europe/Bucharest', from: T('1905-01-01T00:00:00Z'), to: T('1932-01-01T00:00:00Z') },
  { name: 'RO-1965', timezone: 'Europe/Bucharest', from: T('1965-01-01T00:00:00Z'), to: T('1966-01-01T00:00:00Z') },
  { name: 'IR', timezone: 'Asia/Tehran', from: T('2021-01-01T00:00:00Z'), to: T('2023-01-01T00:00:00Z') },
  { name: 'NP', timezone: 'Asia/Kathmandu', from: T('1985-01-01T00:00:00Z'), to: T('1987-01-01T00:00:00Z') },
  { name: 'NL', timezone: 'America/St_Johns', from: T('2023-01-01T00:00:00Z'), to: T('2024-01-01T00:00:00Z') },
  { name: 'LH', timezone: 'Australia/Lord_Howe', from: T('2023-01-01T00:00:00Z'), to: T('2024-01-01T00:00:00Z') },
] as const;

/** Instants one second either side of each offset change, and of the local hours and midnights around it. */
function edgeInstants(zone: string, from: number, to: number): number[] {
  const changes = offsetSpans(zone, from, to).flatMap((s) => (s.until !== null && s.until >= from && s.until < to ? [s.until] : []));
  const out = new Set<number>();
  for (const c of [from + 12 * HOUR_MS, ...changes]) {
    for (const t of [c - 86_400_000, c, c + 86_400_000]) {
      // The local midnight and the start of the local hour at t (the wall clock read at t, moved back to 00:00 and
      // to the whole hour); on the far side of a change they are an offset's difference off, also worth a call.
      const wall = formatWall(zone, t);
      const msIntoDay = ((Number(wall.slice(11, 13)) * 60 + Number(wall.slice(14, 16))) * 60 + Number(wall.slice(17, 19))) * 1000;
      const msIntoHour = msIntoDay % HOUR_MS;
      for (const edge of [t, t - msIntoDay, t - msIntoHour]) for (const d of [-1000, 0, 1000]) out.add(edge + d);
    }
  }
  return [...out].sort((a, b) => a - b);
}

let ws: Workspace;
/** Each call's account zone and start, and its status, as written. */
const written: { account: string; zone: string; t: number; answered: boolean }[] = [];

beforeAll(async () => {
  ws = openWorkspace(tempDir());
  for (const a of ACCOUNTS) {
    const id = await addSyntheticAccount(ws, { name: a.name, provider: 'pbx-cdr', timezone: a.timezone, script: 'en' });
    const calls = edgeInstants(a.timezone, a.from, a.to).map((t, i) => {
      const answered = i % 3 !== 0;
      written.push({ account: a.name, zone: a.timezone, t, answered });
      return makeCdr({ callId: `${a.name}-${i}`, startedAt: t, campaign: i % 2 ? 'Odd' : null, status: answered ? 'answered' : 'busy', billSec: i % 7 });
    });
    writeSynthetic(ws, id, calls);
  }
});
afterAll(() => ws.close());

/** Count per key of the written calls, each read on the wall clock of `tz` (else its account's zone). */
function expectedCounts(tz: string | undefined, key: (wall: string) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of written) {
    const k = key(formatWall(tz ?? c.zone, c.t));
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

const WAYS: [string, { filter: SearchFilter; readCalls: boolean }][] = [
  ['from the calls, range by range', { filter: {}, readCalls: true }],
  ['from the calls, one statement (a time window)', { filter: { from: '1900-01-02', to: '2199-12-30' }, readCalls: true }],
  ['from the running totals where they serve', { filter: {}, readCalls: false }],
];

describe('calls on the edges of local days and hours', () => {
  it('the data has calls on both sides of offset changes, including old local mean times', () => {
    expect(written.length).toBeGreaterThan(300);
    // Bucharest's local mean time: midnight at 22:15:36 UTC, so 22:15:35 is still the day before.
    expect(formatWall('Europe/Bucharest', T('1905-06-01T22:15:35Z'))).toBe('1905-06-01 23:59:59');
    expect(formatWall('Europe/Bucharest', T('1905-06-01T22:15:36Z'))).toBe('1905-06-02 00:00:00');
  });

  for (const [way, { filter, readCalls }] of WAYS) {
    for (const tz of [undefined, 'Asia/Kolkata']) {
      it(`days, hours and the weekday-hour matrix, ${way}, ${tz ?? 'each account\'s zone'}`, () => {
        const days = new Map(summarize(ws, { filter, by: 'day', tz, readCalls }).rows.map((r) => [r.key, r.total]));
        expect(days).toEqual(expectedCounts(tz, (w) => w.slice(0, 10)));
        const hours = new Map(summarize(ws, { filter, by: 'hour', tz, readCalls }).rows.map((r) => [r.key, r.total]));
        expect(hours).toEqual(expectedCounts(tz, (w) => w.slice(11, 13)));

        const cells = new Map<string, number>();
        const answered = new Map<string, number>();
        for (const c of hourWeekdayMatrix(ws, { filter, tz, readCalls }).campaigns) {
          c.total.forEach((row, d) => row.forEach((n, h) => n && cells.set(`${d} ${h}`, (cells.get(`${d} ${h}`) ?? 0) + n)));
          c.answered.forEach((row, d) => row.forEach((n, h) => n && answered.set(`${d} ${h}`, (answered.get(`${d} ${h}`) ?? 0) + n)));
        }
        const cellOf = (wall: string) => `${(new Date(`${wall.slice(0, 10)}T00:00:00Z`).getUTCDay() + 6) % 7} ${Number(wall.slice(11, 13))}`;
        expect(cells).toEqual(expectedCounts(tz, cellOf));
        const wantAnswered = new Map<string, number>();
        for (const c of written.filter((w) => w.answered)) {
          const k = cellOf(formatWall(tz ?? c.zone, c.t));
          wantAnswered.set(k, (wantAnswered.get(k) ?? 0) + 1);
        }
        expect(answered).toEqual(wantAnswered);
      });
    }
  }
});
