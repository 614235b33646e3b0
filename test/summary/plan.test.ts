// The plans summaries rely on for speed (EXPLAIN QUERY PLAN of every statement they prepare): the running totals
// when they hold the answer; else one seek per (account, campaign[, status]) range of a covering index (per local
// day for days, per local hour for a status with many calls per hour), and no sort except for sparse hour buckets.
import type { Database } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hourWeekdayMatrix, summarize } from '../../electron/data/summary/summary.ts';
import type { Workspace } from '../../electron/data/workspace.ts';
import { isolatedKeyFile } from '../helpers/tmp.ts';
import { searchFixture } from '../search/fixture.ts';
import { preparedPlans, preparedWhile, runWhile } from '../helpers/prepared.ts';

isolatedKeyFile();
let ws: Workspace;
beforeAll(async () => {
  ws = await searchFixture();
});
afterAll(() => ws.close());

/** The plan of each statement prepared with "campaign IS ?" (a range) while fn runs. */
function rangePlans(db: Database, fn: () => unknown): string[] {
  return preparedPlans(db, fn, (sql) => /campaign IS \?/.test(sql));
}

/** Every statement with a GROUP BY prepared while fn runs. */
const groupingSql = (db: Database, fn: () => unknown) => preparedWhile(db, fn).filter((sql) => /GROUP BY/.test(sql));

describe('summary plans', () => {
  it('campaign, status, agent and account: one covering-index range per account, campaign and status, no sort', () => {
    for (const by of ['campaign', 'status', 'agent', 'account'] as const) {
      const plans = rangePlans(ws.db, () => summarize(ws, { filter: { statuses: ['answered', 'busy'] }, by, readCalls: true }));
      expect(plans.length).toBeGreaterThan(0);
      for (const p of plans) {
        expect(p).toBe('SEARCH cdrs USING COVERING INDEX cdrs_summary (account_id=? AND campaign=? AND status=?)');
      }
    }
  });

  it('hour: one range of the day index per account and status, a status this sparse sorting only its own hours', () => {
    // A status with many calls per hour is joined to local-hour pieces instead, no sort (hour-pieces.test.ts).
    const plans = preparedPlans(ws.db, () => summarize(ws, { filter: {}, by: 'hour', readCalls: true }),
      (sql) => /cdrs_account_status_started/.test(sql) && /GROUP BY/.test(sql));
    expect(plans.length).toBeGreaterThan(0);
    for (const p of plans) expect(p).toBe('SEARCH cdrs USING COVERING INDEX cdrs_account_status_started (account_id=? AND status=?) | USE TEMP B-TREE FOR GROUP BY');
  });

  it('day: each local day one range of the day index per account and status, no sort', () => {
    const plans = preparedPlans(ws.db, () => summarize(ws, { filter: { minDuration: 1 }, by: 'day' }), (sql) => /cdrs_account_status_started/.test(sql));
    expect(plans.length).toBeGreaterThan(0);
    for (const p of plans) expect(p).not.toContain('TEMP B-TREE');
    expect(plans).toContain('SEARCH p USING INTEGER PRIMARY KEY (rowid<?) | CORRELATED SCALAR SUBQUERY 1 | SEARCH cdrs USING COVERING INDEX cdrs_account_status_started (account_id=? AND status=? AND started_at>? AND started_at<?)');
  });

  it('the matrix: one cdrs_summary range per account, campaign and status, each sorting only its own hours of the week', () => {
    const plans = rangePlans(ws.db, () => hourWeekdayMatrix(ws, { filter: {}, readCalls: true }));
    expect(plans.length).toBeGreaterThan(0);
    for (const p of plans) {
      expect(p).toBe('SEARCH cdrs USING COVERING INDEX cdrs_summary (account_id=? AND campaign=? AND status=?) | USE TEMP B-TREE FOR GROUP BY');
    }
  });

  it('ranges of one account and status test neither the filter\'s accounts nor its statuses on every call', () => {
    const filter = { accounts: ['Bucharest', 'Saigon'], statuses: ['answered' as const, 'busy' as const], minDuration: 1 };
    const ranges = runWhile(ws.db, () => {
      for (const by of ['campaign', 'agent', 'hour', 'day'] as const) summarize(ws, { filter, by });
      hourWeekdayMatrix(ws, { filter });
    }).filter((r) => /account_id = \? AND/.test(r.sql) && /GROUP BY|sum\(/.test(r.sql));
    expect(ranges.length).toBeGreaterThan(0);
    for (const r of ranges) expect(r.sql).not.toMatch(/account_id IN \(|status IN \(/);
  });

  it('the whole cache, or one filtered by account, status, campaign or direction: the running totals', () => {
    const grouped = groupingSql(ws.db, () => {
      for (const by of ['campaign', 'status', 'account', 'hour', 'day'] as const) summarize(ws, { filter: { statuses: ['answered'], direction: 'out' }, by });
      hourWeekdayMatrix(ws, { filter: {} });
    });
    expect(grouped).toHaveLength(6);
    for (const sql of grouped) expect(sql).toMatch(/FROM cdrs_(day_)?totals\s+WHERE/);
  });

  it('hours and days in one account\'s zone: that account from its totals, one whole hours off it at each of its calls its hours from its totals, the others from the calls', () => {
    const idOf = (name: string) => ws.db.prepare('SELECT id FROM accounts WHERE name = ?').pluck().get(name) as number;
    const [bucharest, saigon, tehran] = [idOf('Bucharest'), idOf('Saigon'), idOf('Tehran')];
    const grouped = groupingSql(ws.db, () => {
      for (const by of ['hour', 'day'] as const) summarize(ws, { filter: { direction: 'out' }, by, tz: 'Europe/Bucharest' });
      hourWeekdayMatrix(ws, { filter: {}, tz: 'Europe/Bucharest' });
    });
    const fromTotals = grouped.filter((sql) => /FROM cdrs_(day_)?totals\s+WHERE/.test(sql));
    // Bucharest: hours, days and the matrix. Saigon's calls all fall in Bucharest's winter, UTC+7 against UTC+2:
    // its hours are Bucharest's moved by five (zone-shift.ts), its days are not Bucharest's days.
    expect(fromTotals.filter((sql) => sql.includes(`AND account_id IN (${bucharest})`))).toHaveLength(3);
    expect(fromTotals.filter((sql) => sql.includes(`AND account_id IN (${saigon})`))).toHaveLength(2);
    expect(fromTotals).toHaveLength(5);
    // Tehran is three and a half hours ahead of UTC: its hours straddle Bucharest's. The calls are read range by
    // range, the account a parameter of each.
    const fromCalls = runWhile(ws.db, () => {
      for (const by of ['hour', 'day'] as const) summarize(ws, { filter: { direction: 'out' }, by, tz: 'Europe/Bucharest' });
      hourWeekdayMatrix(ws, { filter: {}, tz: 'Europe/Bucharest' });
    }).filter((r) => /GROUP BY/.test(r.sql) && /FROM cdrs\b(?!_)/.test(r.sql));
    expect(fromCalls.length).toBeGreaterThan(0);
    for (const r of fromCalls) expect(r.args).not.toContain(bucharest);
    // Each range is one account's: the accounts of its part are not tested again on every call.
    for (const r of fromCalls) expect(r.sql).not.toMatch(/account_id IN \(/);
    expect(fromCalls.some((r) => r.args.includes(tehran))).toBe(true);
  });
});
