// A summary by hour read from the calls (summary/hour-pieces.ts): a status with many calls per hour is read piece
// by local-hour piece, joined in start order with no sort; a sparse one is sorted on its hour. Either way, every
// hour holds exactly the calls whose wall clock in the bucket zone shows it: across a DST change, in a zone 5:45
// ahead, and for calls with no start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchFilter } from '../../electron/shared/filter.ts';
import { summarize } from '../../electron/data/summary/summary.ts';
import { formatWall } from '../../electron/data/time/zone.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import type { NormalizedCdr } from '../../electron/shared/cdr.ts';
import { preparedPlans, preparedWhile } from '../helpers/prepared.ts';
import { addSyntheticAccount, makeCdr, writeSynthetic } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

isolatedKeyFile();
let ws: Workspace;
const calls: NormalizedCdr[] = [];
beforeAll(async () => {
  ws = openWorkspace(tempDir());
  const account = await addSyntheticAccount(ws, { name: 'Bucharest', provider: 'pbx-cdr', timezone: 'Europe/Bucharest', script: 'ro' });
  // Ten days around Bucharest's change to summer time (31 March 2024, 03:00 → 04:00): answered calls every 4 min
  // 17 s (about 14 an hour), a busy call every 7 hours, and two calls with no start.
  const from = Date.UTC(2024, 2, 26);
  for (let t = from, i = 0; t < from + 10 * 86_400_000; t += 257_000, i++) {
    calls.push(makeCdr({ callId: `a-${i}`, status: 'answered', startedAt: t, durationSec: i % 90, billSec: i % 80, direction: i % 3 ? 'out' : 'in' }));
  }
  for (let t = from + 1_800_000, i = 0; t < from + 10 * 86_400_000; t += 7 * 3_600_000, i++) {
    calls.push(makeCdr({ callId: `b-${i}`, status: 'busy', startedAt: t, durationSec: 0, billSec: 0 }));
  }
  calls.push(makeCdr({ callId: 'n-1', status: 'answered', startedAt: null, durationSec: 40, billSec: 35 }));
  calls.push(makeCdr({ callId: 'n-2', status: 'busy', startedAt: null, durationSec: 0, billSec: 0 }));
  writeSynthetic(ws, account, calls);
});
afterAll(() => ws.close());

/** Calls, answered calls and billed seconds (the answered calls' alone here) per hour of the wall clock in `zone`, from the calls themselves. */
function expected(zone: string, pass: (c: NormalizedCdr) => boolean): Map<string | null, [number, number, number]> {
  const out = new Map<string | null, [number, number, number]>();
  for (const c of calls.filter(pass)) {
    const key = c.startedAt === null ? null : formatWall(zone, c.startedAt).slice(11, 13);
    const [n, a, talk] = out.get(key) ?? [0, 0, 0];
    const answered = c.status === 'answered';
    out.set(key, [n + 1, a + (answered ? 1 : 0), talk + (c.billSec ?? 0)]);
  }
  return out;
}

describe('summary by hour, read from the calls piece by piece', () => {
  const cases: [string, SearchFilter, (c: NormalizedCdr) => boolean][] = [
    ['no filter', {}, () => true],
    ['min duration 30', { minDuration: 30 }, (c) => (c.durationSec ?? -1) >= 30],
    ['direction out', { direction: 'out' }, (c) => c.direction === 'out'],
  ];
  for (const zone of ['Europe/Bucharest', 'Asia/Kathmandu', 'UTC']) {
    for (const [label, filter, pass] of cases) {
      it(`${zone}, ${label}: every hour holds the calls its wall clock shows`, () => {
        const rows = summarize(ws, { filter, by: 'hour', tz: zone, readCalls: true }).rows;
        const got = rows.map((r) => [r.key, [r.total, r.answered, r.billSec]]);
        const want = [...expected(zone, pass)].sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : 1));
        expect(got).toEqual(want);
      });
    }
  }

  it('sorts every status on a connection that may not write its temp schema (PRAGMA query_only), to the same hours', () => {
    const want = summarize(ws, { filter: {}, by: 'hour', tz: 'Asia/Kathmandu', readCalls: true }).rows;
    ws.db.pragma('query_only = ON');
    try {
      const statements = preparedWhile(ws.db, () => expect(summarize(ws, { filter: {}, by: 'hour', tz: 'Asia/Kathmandu', readCalls: true }).rows).toEqual(want));
      expect(statements.some((sql) => sql.includes('summary_hour_pieces'))).toBe(false);
    } finally {
      ws.db.pragma('query_only = OFF');
    }
  });

  it('reads a summary by day there too, each range sorted on its days instead of the day pieces, to the same days', () => {
    const want = summarize(ws, { filter: { minDuration: 1 }, by: 'day', tz: 'Asia/Kathmandu' }).rows;
    ws.db.pragma('query_only = ON');
    try {
      const statements = preparedWhile(ws.db, () => expect(summarize(ws, { filter: { minDuration: 1 }, by: 'day', tz: 'Asia/Kathmandu' }).rows).toEqual(want));
      expect(statements.some((sql) => sql.includes('summary_day_pieces'))).toBe(false);
    } finally {
      ws.db.pragma('query_only = OFF');
    }
  });

  it('joins a status with many calls per hour to the pieces with no sort, and sorts a sparse one on its hour', () => {
    const plans = preparedPlans(ws.db, () => summarize(ws, { filter: { minDuration: 1 }, by: 'hour', tz: 'Asia/Kathmandu' }),
      (sql) => /cdrs_account_status_started/.test(sql) && /GROUP BY/.test(sql));
    expect(plans).toContain('SEARCH p USING INTEGER PRIMARY KEY (rowid<?) | SEARCH cdrs USING COVERING INDEX cdrs_account_status_started (account_id=? AND status=? AND started_at>? AND started_at<?)');
    expect(plans).toContain('SEARCH cdrs USING COVERING INDEX cdrs_account_status_started (account_id=? AND status=?) | USE TEMP B-TREE FOR GROUP BY');
  });
});
