// The day-summary-index migration on a database holding calls: the index holds one account's calls of one status
// in start order with every summed and filtered column, planner statistics stay complete, and a summary by day
// read from the calls (each local day one range of it) counts every call on its account's wall-clock day.
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/data/db/migrate.ts';
import { DAY_SUMMARY_INDEX, migration014 as daySummaryIndex } from '../../../electron/data/db/migrations/014_day_summary_index.ts';
import { MIGRATIONS } from '../../../electron/data/db/migrations/index.ts';
import { summarize } from '../../../electron/data/summary/summary.ts';
import { formatWall } from '../../../electron/data/time/zone.ts';
import { cacheBefore, writeSortColumnCalls } from '../../helpers/migration-fixture.ts';

describe('day-summary-index migration', () => {
  it('adds the index, keeps statistics complete, and a summary by day from the calls counts every call on its local day', () => {
    const { db, file, before } = cacheBefore(daySummaryIndex);
    writeSortColumnCalls(db, 14);
    db.exec('ANALYZE');

    migrate(db, file, MIGRATIONS.slice(0, before + 1));
    expect(schemaVersion(db)).toBe(before + 1);
    expect(db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').pluck().all(DAY_SUMMARY_INDEX))
      .toEqual(['account_id', 'status', 'started_at', 'bill_sec', 'wait_sec', 'duration_sec', 'direction', 'cost', 'campaign']);
    expect(db.prepare('SELECT count(*) FROM sqlite_stat1 WHERE idx = ?').pluck().get(DAY_SUMMARY_INDEX)).toBe(1);

    // Accounts A (UTC) and B (Tehran, +3:30): each call on its own zone's day; calls with no start in one group.
    const calls = db.prepare('SELECT a.timezone AS zone, c.started_at AS t, c.duration_sec AS d FROM cdrs c JOIN accounts a ON a.id = c.account_id').all() as { zone: string; t: number | null; d: number | null }[];
    const expected = (keep: (d: number | null) => boolean, zone?: string) => {
      const out = new Map<string | null, number>();
      for (const c of calls.filter((x) => keep(x.d))) {
        const day = c.t === null ? null : formatWall(zone ?? c.zone, c.t).slice(0, 10);
        out.set(day, (out.get(day) ?? 0) + 1);
      }
      return out;
    };
    const days = (rows: { key: string | null; total: number }[]) => new Map(rows.map((r) => [r.key, r.total]));
    expect(days(summarize(db, { filter: {}, by: 'day', readCalls: true }).rows)).toEqual(expected(() => true));
    expect(days(summarize(db, { filter: { minDuration: 300 }, by: 'day' }).rows)).toEqual(expected((d) => d !== null && d >= 300));
    expect(days(summarize(db, { filter: { minDuration: 300 }, by: 'day', tz: 'Asia/Kolkata' }).rows))
      .toEqual(expected((d) => d !== null && d >= 300, 'Asia/Kolkata'));
    expect(expected(() => true).get(null)).toBeGreaterThan(0);
    db.close();
  });
});
