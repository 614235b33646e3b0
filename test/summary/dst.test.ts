// Day/hour buckets across daylight-saving changes: the SQL offsets must agree with the zone's wall clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hourWeekdayMatrix, summarize } from '../../electron/data/summary/summary.ts';
import { offsetSpans } from '../../electron/data/search/zone-offsets.ts';
import { formatWall } from '../../electron/data/time/zone.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { addSyntheticAccount, makeCdr, syntheticCdrs, writeSynthetic } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

isolatedKeyFile();
const T = (iso: string) => Date.parse(iso);
let ws: Workspace;
beforeAll(async () => {
  ws = openWorkspace(tempDir());
  const ro = await addSyntheticAccount(ws, { name: 'Bucharest', provider: 'pbx-cdr', timezone: 'Europe/Bucharest', script: 'ro' });
  writeSynthetic(ws, ro, [
    // Spring forward 31 March 2024 at 01:00Z (03:00 → 04:00 local).
    makeCdr({ callId: 's1', startedAt: T('2024-03-30T22:30:00Z') }), // 00:30 on the 31st (+02:00)
    makeCdr({ callId: 's2', startedAt: T('2024-03-31T20:59:00Z') }), // 23:59 on the 31st (+03:00)
    makeCdr({ callId: 's3', startedAt: T('2024-03-31T21:30:00Z') }), // 00:30 on 1 April (+03:00)
    // Fall back 27 October 2024 at 01:00Z (04:00 → 03:00 local): 03:30 happens twice.
    makeCdr({ callId: 'f1', startedAt: T('2024-10-27T00:30:00Z') }), // 03:30 (+03:00)
    makeCdr({ callId: 'f2', startedAt: T('2024-10-27T01:30:00Z') }), // 03:30 again (+02:00)
    makeCdr({ callId: 'f3', startedAt: T('2024-10-27T21:59:00Z') }), // 23:59 on the 27th (+02:00)
  ]);
});
afterAll(() => ws.close());

describe('buckets across daylight-saving changes', () => {
  it('finds the exact instants a zone changes offset', () => {
    const spans = offsetSpans('Europe/Bucharest', T('2024-01-01T00:00:00Z'), T('2024-12-31T00:00:00Z'));
    expect(spans.map((s) => [s.until && new Date(s.until).toISOString(), s.offsetMs / 3_600_000])).toEqual([
      ['2024-03-31T01:00:00.000Z', 2],
      ['2024-10-27T01:00:00.000Z', 3],
      [null, 2],
    ]);
  });

  it('days follow the local calendar on both sides of each change', () => {
    const days = summarize(ws, { filter: {}, by: 'day' }).rows.map((r) => [r.key, r.total]);
    expect(days).toEqual([['2024-03-31', 2], ['2024-04-01', 1], ['2024-10-27', 3]]);
  });

  it('the repeated hour of the autumn change collects both of its calls', () => {
    const hours = summarize(ws, { filter: { from: '2024-10-27', to: '2024-10-27' }, by: 'hour' }).rows.map((r) => [r.key, r.total]);
    expect(hours).toEqual([['03', 2], ['23', 1]]);
  });

  it('days, hours and the weekday-hour matrix agree with the zone\'s wall clock for calls in zones with and without DST', async () => {
    const zones = ['America/New_York', 'Asia/Tehran', 'Australia/Lord_Howe'];
    for (const [i, zone] of zones.entries()) {
      const id = await addSyntheticAccount(ws, { name: `Z${i}`, provider: 'pbx-cdr', timezone: zone, script: 'en' });
      writeSynthetic(ws, id, syntheticCdrs({ script: 'en', timezone: zone, count: 1500, seed: 7 + i, from: T('2021-06-01T00:00:00Z'), to: T('2022-12-01T00:00:00Z'), idPrefix: `z${i}` }));
    }
    for (const tz of [undefined, 'Europe/Bucharest']) {
      const rows = ws.db.prepare('SELECT c.started_at AS t, a.timezone AS zone FROM cdrs c JOIN accounts a ON a.id = c.account_id WHERE a.name LIKE ?').all('Z%') as { t: number; zone: string }[];
      const byDay = new Map<string, number>();
      const byHour = new Map<string, number>();
      for (const r of rows) {
        const wall = formatWall(tz ?? r.zone, r.t);
        byDay.set(wall.slice(0, 10), (byDay.get(wall.slice(0, 10)) ?? 0) + 1);
        byHour.set(wall.slice(11, 13), (byHour.get(wall.slice(11, 13)) ?? 0) + 1);
      }
      const filter = { accounts: ['Z0', 'Z1', 'Z2'] };
      const day = new Map(summarize(ws, { filter, by: 'day', tz }).rows.map((r) => [r.key, r.total]));
      const hour = new Map(summarize(ws, { filter, by: 'hour', tz }).rows.map((r) => [r.key, r.total]));
      expect(day).toEqual(byDay);
      expect(hour).toEqual(byHour);

      // The heatmap: weekday (Monday first) and hour of each call on the zone's wall clock, all campaigns together.
      const cells = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
      for (const r of rows) {
        const wall = formatWall(tz ?? r.zone, r.t);
        const weekday = (new Date(`${wall.slice(0, 10)}T00:00:00Z`).getUTCDay() + 6) % 7;
        cells[weekday]![Number(wall.slice(11, 13))]!++;
      }
      const matrix = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
      for (const c of hourWeekdayMatrix(ws, { filter, tz }).campaigns) c.total.forEach((row, d) => row.forEach((n, h) => (matrix[d]![h]! += n)));
      expect(matrix).toEqual(cells);
    }
  });
});
