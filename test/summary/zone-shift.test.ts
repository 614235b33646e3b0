// How many hours another zone is ahead of an account's own at every instant of its calls (summary/zone-shift.ts):
// whole and the same at each call, or none; and summaries in such a zone read from the running totals, moved, equal
// the same read from the calls.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hourWeekdayMatrix, summarize } from '../../electron/data/summary/summary.ts';
import { hoursAhead } from '../../electron/data/summary/zone-shift.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import type { SummaryBy } from '../../electron/shared/search.ts';
import { addSyntheticAccount, makeCdr, syntheticCdrs, writeSynthetic } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

isolatedKeyFile();
const T = (iso: string) => Date.parse(iso);
let ws: Workspace;
beforeEach(() => {
  ws = openWorkspace(tempDir());
});
afterEach(() => ws.close());

/** An account in `timezone` with calls started at each of `starts` (null: a call that never started). */
async function accountWith(name: string, timezone: string, starts: (string | null)[]) {
  const id = await addSyntheticAccount(ws, { name, provider: 'pbx-cdr', timezone, script: 'en' });
  writeSynthetic(ws, id, starts.map((s, i) => makeCdr({ callId: `${name}-${i}`, startedAt: s === null ? null : T(s), durationSec: 30, billSec: 20 })));
  return { id, name, timezone };
}

describe('hours a zone is ahead of an account\'s', () => {
  it('the same whole number at every call, across either zone\'s changes of offset', async () => {
    // Both change at 01:00 UTC on the same days: Paris is an hour behind Bucharest, winter and summer.
    const ro = await accountWith('RO', 'Europe/Bucharest', ['2024-01-10T10:00:00Z', '2024-07-10T10:00:00Z', '2024-12-10T10:00:00Z']);
    expect(hoursAhead(ws.db, ro, 'Europe/Paris')).toBe(-1);
    expect(hoursAhead(ws.db, ro, 'Europe/Athens')).toBe(0);
    expect(hoursAhead(ws.db, ro, 'Europe/Bucharest')).toBe(0);
    // UTC: two hours behind in winter, three in summer.
    expect(hoursAhead(ws.db, ro, 'UTC')).toBeNull();
  });

  it('counted over the account\'s calls only: a span within one offset of each zone', async () => {
    const summer = await accountWith('RO summer', 'Europe/Bucharest', ['2024-04-02T00:00:00Z', '2024-09-30T23:00:00Z']);
    expect(hoursAhead(ws.db, summer, 'UTC')).toBe(-3);
    const winter = await accountWith('RO winter', 'Europe/Bucharest', ['2024-11-01T00:00:00Z', '2025-03-01T00:00:00Z']);
    expect(hoursAhead(ws.db, winter, 'UTC')).toBe(-2);
    // A call on either side of the change of 31 March 2024 (01:00 UTC).
    const across = await accountWith('RO across', 'Europe/Bucharest', ['2024-03-31T00:59:59Z', '2024-03-31T01:00:00Z']);
    expect(hoursAhead(ws.db, across, 'UTC')).toBeNull();
  });

  it('none when the gap is not whole hours; any (0) for an account whose calls never started', async () => {
    // Tehran has kept +3:30 since 2022, Kabul +4:30.
    const ir = await accountWith('IR', 'Asia/Tehran', ['2024-02-01T08:00:00Z', '2024-08-01T08:00:00Z']);
    expect(hoursAhead(ws.db, ir, 'Asia/Kabul')).toBe(1);
    expect(hoursAhead(ws.db, ir, 'UTC')).toBeNull();
    expect(hoursAhead(ws.db, ir, 'Asia/Kolkata')).toBe(2); // +5:30
    expect(hoursAhead(ws.db, ir, 'Asia/Kathmandu')).toBeNull(); // +5:45
    const none = await accountWith('none', 'Asia/Tehran', [null, null]);
    expect(hoursAhead(ws.db, none, 'UTC')).toBe(0);
  });
});

describe('summaries in a zone whole hours off an account\'s', () => {
  it('read from its totals, moved, equal the same read from the calls', async () => {
    for (const [name, timezone, script] of [['RO', 'Europe/Bucharest', 'ro'], ['VN', 'Asia/Ho_Chi_Minh', 'vi'], ['IR', 'Asia/Tehran', 'fa']] as const) {
      const id = await addSyntheticAccount(ws, { name, provider: 'pbx-cdr', timezone, script });
      writeSynthetic(ws, id, syntheticCdrs({ script, timezone, count: 400, seed: id, from: T('2023-10-01T00:00:00Z'), to: T('2024-12-01T00:00:00Z'), idPrefix: name }));
    }
    // Paris and Athens line up with Bucharest, Bangkok and UTC with Saigon, Kabul with Tehran; each zone reads the other accounts' calls.
    for (const tz of ['Europe/Paris', 'Europe/Athens', 'Asia/Bangkok', 'UTC', 'Asia/Kabul']) {
      for (const by of ['hour', 'day', 'week'] as SummaryBy[]) {
        for (const filter of [{}, { statuses: ['answered' as const] }, { accounts: ['VN'] }]) {
          expect(summarize(ws, { filter, by, tz }).rows, `${JSON.stringify(filter)} by ${by} in ${tz}`).toEqual(summarize(ws, { filter, by, tz, readCalls: true }).rows);
        }
      }
      expect(hourWeekdayMatrix(ws, { filter: {}, tz }), `matrix in ${tz}`).toEqual(hourWeekdayMatrix(ws, { filter: {}, tz, readCalls: true }));
    }
  });
});
