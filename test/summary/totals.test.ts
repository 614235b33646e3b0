// The running totals (summary/totals.ts, migration 004) stay equal to the calls through every way a call changes:
// sync writes and rewrites, status/campaign/start changes, deletes, an account's zone changed, an account removed,
// calls written by other means; and summaries read from them equal the same summaries read from the calls.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CdrWriter, prepareCdr } from '../../electron/data/db/cdrs.ts';
import { migrate } from '../../electron/data/db/migrate.ts';
import { MIGRATIONS } from '../../electron/data/db/migrations/index.ts';
import { hourWeekdayMatrix, summarize } from '../../electron/data/summary/summary.ts';
import { NO_START_DAY, rebuildTotals, TOTALS_TABLES, UNKNOWN_HOUR } from '../../electron/data/summary/totals.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import type { SummaryBy } from '../../electron/shared/search.ts';
import { addSyntheticAccount, makeCdr, syntheticCdrs, writeSynthetic } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

isolatedKeyFile();
const T = (iso: string) => Date.parse(iso);
let ws: Workspace;
let ro: number;
let fa: number;

beforeEach(async () => {
  ws = openWorkspace(tempDir());
  ro = await addSyntheticAccount(ws, { name: 'RO', provider: 'pbx-cdr', timezone: 'Europe/Bucharest', script: 'ro' });
  fa = await addSyntheticAccount(ws, { name: 'FA', provider: 'pbx-cdr', timezone: 'Asia/Tehran', script: 'fa' });
  for (const [id, script, zone] of [[ro, 'ro', 'Europe/Bucharest'], [fa, 'fa', 'Asia/Tehran']] as const) {
    writeSynthetic(ws, id, syntheticCdrs({ script, timezone: zone, count: 600, seed: id, from: T('2021-10-01T00:00:00Z'), to: T('2023-04-01T00:00:00Z'), idPrefix: `a${id}` }));
  }
});
afterEach(() => ws.close());

/** Both totals tables, zero rows left out, in a comparable order. */
function totals(): unknown[] {
  return TOTALS_TABLES.map((t) => ws.db.prepare(`SELECT account_id, campaign, status, direction, ${t.bucket}, n, bill, wait, wait_n
    FROM ${t.table} WHERE n <> 0 ORDER BY account_id, campaign, status, direction, ${t.bucket}`).all());
}

/** What the totals would be if counted afresh from the calls (counted in a transaction then rolled back). */
function recounted(): unknown[] {
  class Rollback extends Error {}
  let fresh: unknown[] = [];
  try {
    ws.db.transaction(() => {
      for (const id of ws.db.prepare('SELECT id FROM accounts').pluck().all() as number[]) rebuildTotals(ws.db, id);
      fresh = totals();
      throw new Rollback();
    })();
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return fresh;
}

/** Summaries and the matrix read from the totals equal the same read from the calls. */
function bothWays(): void {
  for (const by of ['campaign', 'status', 'account', 'hour', 'day'] as SummaryBy[]) {
    expect(summarize(ws, { filter: {}, by }).rows, `by ${by}`).toEqual(summarize(ws, { filter: {}, by, readCalls: true }).rows);
  }
  expect(hourWeekdayMatrix(ws, { filter: { direction: 'out' } })).toEqual(hourWeekdayMatrix(ws, { filter: { direction: 'out' }, readCalls: true }));
  // In one account's zone: that account's totals and the other's calls (groups.ts, zoneParts) add up to all calls.
  for (const by of ['hour', 'day', 'week', 'month'] as SummaryBy[]) {
    const opts = { filter: {}, by, tz: 'Asia/Tehran' };
    expect(summarize(ws, opts).rows, `by ${by} in Tehran`).toEqual(summarize(ws, { ...opts, readCalls: true }).rows);
  }
  expect(hourWeekdayMatrix(ws, { filter: { statuses: ['answered', 'busy'] }, tz: 'Europe/Bucharest' }))
    .toEqual(hourWeekdayMatrix(ws, { filter: { statuses: ['answered', 'busy'] }, tz: 'Europe/Bucharest', readCalls: true }));
}

describe('running totals', () => {
  it('equal the calls after writes, rewrites, changes and deletes', () => {
    expect(totals()).toEqual(recounted());
    const writer = new CdrWriter(ws.db);
    // Changed calls: a new status, campaign, start (across the autumn change), bill and wait.
    const changed = ws.db.prepare('SELECT call_id FROM cdrs WHERE account_id = ? ORDER BY id LIMIT 5').pluck().all(ro) as string[];
    writer.write(ro, [
      makeCdr({ callId: changed[0]!, status: 'busy', campaign: 'Moved', startedAt: T('2022-10-30T00:30:00Z'), billSec: 0, waitSec: 4 }),
      makeCdr({ callId: changed[1]!, status: 'answered', campaign: null, startedAt: T('2022-10-30T01:30:00Z'), billSec: 61 }),
      makeCdr({ callId: changed[2]!, status: 'failed', startedAt: null }),
      makeCdr({ callId: 'new-1', campaign: '', direction: null, startedAt: T('2022-03-27T00:59:59Z'), billSec: 5, waitSec: 0 }),
      makeCdr({ callId: 'new-1', campaign: '', direction: null, startedAt: T('2022-03-27T01:00:00Z'), billSec: 6, waitSec: 1 }), // same page, changed
    ]);
    ws.db.prepare('DELETE FROM cdrs WHERE call_id = ?').run(changed[3]!);
    // One column at a time, by plain SQL: the triggers follow any writer.
    for (const [column, value] of [['status', 'congestion'], ['campaign', 'Other'], ['direction', 'in'], ['started_at', T('2022-07-01T00:00:00Z')],
      ['bill_sec', 999], ['wait_sec', 7], ['account_id', fa]] as const) {
      ws.db.prepare(`UPDATE cdrs SET ${column} = ? WHERE call_id = ?`).run(value, changed[4]!);
    }
    expect(totals()).toEqual(recounted());
    bothWays();
    // A sync run again changes nothing.
    const before = totals();
    writer.write(ro, [makeCdr({ callId: 'new-1', campaign: '', direction: null, startedAt: T('2022-03-27T01:00:00Z'), billSec: 6, waitSec: 1 })]);
    expect(totals()).toEqual(before);
  });

  it('count pages written together once, a call repeated in a later page as a change', () => {
    const counts = new CdrWriter(ws.db).writePrepared(ro, [
      [makeCdr({ callId: 'p-1', status: 'busy', startedAt: T('2022-10-30T00:30:00Z') })],
      [makeCdr({ callId: 'p-1', status: 'answered', billSec: 30, startedAt: T('2022-10-30T01:30:00Z') }), makeCdr({ callId: 'p-2', startedAt: null })],
    ].map((page) => page.map(prepareCdr)));
    expect(counts).toEqual([{ inserted: 1, updated: 0 }, { inserted: 1, updated: 1 }]);
    expect(totals()).toEqual(recounted());
    // The search index took the repeated call once, with its latest text.
    expect(() => ws.db.prepare("INSERT INTO cdrs_fts(cdrs_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
    bothWays();
  });

  it('count hours again in an account\'s new zone', async () => {
    const tehranHours = hourWeekdayMatrix(ws, { filter: { accounts: ['RO'] }, tz: 'Asia/Tehran' });
    await ws.accounts.edit('RO', { timezone: 'Asia/Tehran' });
    expect(totals()).toEqual(recounted());
    expect(hourWeekdayMatrix(ws, { filter: { accounts: ['RO'] } })).toEqual(tehranHours);
    bothWays();
  });

  it('go with a removed account', async () => {
    await ws.accounts.remove('FA');
    expect(ws.db.prepare('SELECT count(*) FROM cdrs_totals WHERE account_id = ?').pluck().get(fa)).toBe(0);
    expect(ws.db.prepare('SELECT count(*) FROM account_zone_spans WHERE account_id = ?').pluck().get(fa)).toBe(0);
    expect(totals()).toEqual(recounted());
  });

  it('count a call whose start no zone span covers at an unknown hour, and hours then come from the calls', () => {
    writeSynthetic(ws, ro, [makeCdr({ callId: 'typo', campaign: 'Far', startedAt: T('2250-06-01T10:00:00Z') })]); // past 2199
    expect(ws.db.prepare('SELECT n FROM cdrs_totals WHERE how = ?').pluck().get(UNKNOWN_HOUR)).toBe(1);
    expect(totals()).toEqual(recounted());
    bothWays();
    const far = hourWeekdayMatrix(ws, { filter: { campaign: 'Far' } }).campaigns[0]!;
    expect(far.total[5]![13]).toBe(1); // Saturday 13:00 in Bucharest (+03:00 in June)
  });

  it('count calls written by other means (not counted) once a sync reaches their year', () => {
    const other = new BetterSqlite3(ws.db.name);
    other.prepare(`INSERT INTO cdrs (account_id, call_id, campaign, status, started_at, raw, first_seen_at, updated_at)
                   VALUES (?, 'outside', 'Far', 'answered', ?, '{}', 0, 0)`).run(ro, T('2019-06-01T10:00:00Z'));
    other.close();
    expect(totals()).not.toEqual(recounted());
    writeSynthetic(ws, ro, [makeCdr({ callId: 'same-year', startedAt: T('2019-02-01T00:00:00Z') })]);
    expect(totals()).toEqual(recounted());
    bothWays();
  });
});

describe('migration 4', () => {
  it('counts the calls already cached', () => {
    const file = join(tempDir(), 'cdr-desk.sqlite');
    const db = new BetterSqlite3(file);
    migrate(db, file, MIGRATIONS.slice(0, 3));
    db.prepare("INSERT INTO accounts (id, name, provider, base_url, timezone, created_at, updated_at) VALUES (1, 'Tehran', 'pbx-cdr', 'http://x', 'Asia/Tehran', 0, 0)").run();
    const insert = db.prepare(`INSERT INTO cdrs (account_id, call_id, campaign, status, started_at, bill_sec, raw, first_seen_at, updated_at)
                               VALUES (1, ?, ?, ?, ?, ?, '{}', 0, 0)`);
    insert.run('a', 'C', 'answered', T('2024-03-20T20:29:00Z'), 30); // Wednesday 23:59 in Tehran (+03:30)
    insert.run('b', 'C', 'answered', T('2024-03-20T20:30:00Z'), 10); // Thursday 00:00
    insert.run('c', 'C', 'busy', null, null);
    migrate(db, file);
    expect(db.prepare('SELECT how, status, n, bill FROM cdrs_totals ORDER BY how').all()).toEqual([
      { how: -1, status: 'busy', n: 1, bill: 0 },
      { how: 2 * 24 + 23, status: 'answered', n: 1, bill: 30 },
      { how: 3 * 24, status: 'answered', n: 1, bill: 10 },
    ]);
    const day = (iso: string) => Date.parse(iso) / 86_400_000;
    expect(db.prepare('SELECT day, n FROM cdrs_day_totals ORDER BY day').all()).toEqual([
      { day: NO_START_DAY, n: 1 }, { day: day('2024-03-20'), n: 1 }, { day: day('2024-03-21'), n: 1 },
    ]);
    db.close();
  });
});

describe('time-zone data', () => {
  it('hours are counted again when the workspace opens with other tz data than they were counted with', () => {
    const counted = totals();
    ws.db.prepare("UPDATE zone_data SET version = '1999a'").run();
    ws.db.prepare('UPDATE account_zone_spans SET offset_ms = offset_ms + 3600000').run(); // as if 1999a had other offsets
    ws.db.prepare('UPDATE cdrs_totals SET n = n + 5').run(); // anything but the true count
    ws.close();
    ws = openWorkspace(ws.dataDir);
    expect(ws.db.prepare('SELECT version FROM zone_data').pluck().all()).toEqual([process.versions.tz ?? '']);
    expect(totals()).toEqual(counted);
    bothWays();
  });
});
