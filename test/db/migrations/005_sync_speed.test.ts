// Migration 5 (sync speed) on a version-4 database holding calls: the cdrs_week index (and its planner statistics)
// gone, and the hour x weekday matrix read from the calls the same as before, and as counted here call by call.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/data/db/migrate.ts';
import { MIGRATIONS } from '../../../electron/data/db/migrations/index.ts';
import { hourWeekdayMatrix, WEEKDAYS } from '../../../electron/data/summary/summary.ts';
import type { SearchFilter } from '../../../electron/shared/filter.ts';
import { tempDir } from '../../helpers/tmp.ts';

const ZONES = { 1: 'Europe/Bucharest', 2: 'Asia/Tehran' } as const; // both changed offset over these calls' span
const FROM = Date.UTC(2021, 9, 1);
const TO = Date.UTC(2023, 3, 1);
type Call = { account: 1 | 2; campaign: string | null; status: string; startedAt: number | null };

/** The matrix counted call by call in JS, each call at its own local weekday and hour. */
function expected(calls: Call[], zoneOf: (c: Call) => string): ReturnType<typeof hourWeekdayMatrix> {
  const byCampaign = new Map<string | null, { total: number[][]; answered: number[][] }>();
  const grid = () => Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  for (const c of calls) {
    if (c.startedAt === null) continue;
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zoneOf(c), weekday: 'short', hour: '2-digit', hourCycle: 'h23' }).formatToParts(c.startedAt);
    const weekday = WEEKDAYS.indexOf(parts.find((p) => p.type === 'weekday')!.value as (typeof WEEKDAYS)[number]);
    const hour = Number(parts.find((p) => p.type === 'hour')!.value);
    let m = byCampaign.get(c.campaign);
    if (!m) byCampaign.set(c.campaign, (m = { total: grid(), answered: grid() }));
    m.total[weekday]![hour]!++;
    if (c.status === 'answered') m.answered[weekday]![hour]!++;
  }
  const campaigns = [...byCampaign].map(([campaign, m]) => ({ campaign, ...m }));
  campaigns.sort((a, b) => (a.campaign ?? '\uffff').localeCompare(b.campaign ?? '\uffff'));
  return { weekdays: [...WEEKDAYS], campaigns };
}

describe('migration 5: sync speed', () => {
  it('drops cdrs_week and its statistics; the matrix from the calls is unchanged', () => {
    const file = join(tempDir(), 'cdr-desk.sqlite');
    const db = new BetterSqlite3(file);
    migrate(db, file, MIGRATIONS.slice(0, 3)); // calls cached before version 4, which counts them in its totals
    const account = db.prepare("INSERT INTO accounts (id, name, provider, base_url, timezone, created_at, updated_at) VALUES (?, ?, 'pbx-cdr', 'http://x', ?, 0, 0)");
    account.run(1, 'Bucharest', ZONES[1]);
    account.run(2, 'Tehran', ZONES[2]);
    // Written as an older app would (CdrWriter is today's and expects today's schema).
    const insert = db.prepare(`INSERT INTO cdrs (account_id, call_id, campaign, status, started_at, raw, first_seen_at, updated_at)
                               VALUES (?, ?, ?, ?, ?, '{}', 0, 0)`);
    const calls: Call[] = [];
    let seed = 7;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    // One transaction: 3000 of their own each wait for the disk, for minutes on a busy machine.
    db.exec('BEGIN');
    for (let i = 0; i < 3000; i++) {
      const c: Call = {
        account: i % 3 ? 1 : 2,
        campaign: [null, 'Alpha', 'Beta', 'Gamma'][Math.floor(rand() * 4)]!,
        status: ['answered', 'busy', 'no_answer'][Math.floor(rand() * 3)]!,
        // Missing start times, and quarter-hour edges, on purpose.
        startedAt: i % 97 === 0 ? null : i % 11 === 0 ? FROM + Math.floor(rand() * 60_000) * 900_000 : FROM + Math.floor(rand() * (TO - FROM)),
      };
      calls.push(c);
      insert.run(c.account, `c-${i}`, c.campaign, c.status, c.startedAt);
    }
    db.exec('COMMIT');
    migrate(db, file, MIGRATIONS.slice(0, 4));
    expect(schemaVersion(db)).toBe(4);
    db.exec('ANALYZE'); // planner statistics kept by whoever ran ANALYZE must not name an index that is gone
    expect(db.prepare("SELECT count(*) FROM sqlite_stat1 WHERE idx = 'cdrs_week'").pluck().get()).toBe(1);

    const mid = new Date((FROM + TO) / 2).toISOString();
    const cases: { filter: SearchFilter; tz?: string; calls: Call[]; zoneOf: (c: Call) => string }[] = [
      { filter: {}, calls, zoneOf: (c) => ZONES[c.account] },
      { filter: { accounts: ['Tehran'] }, calls: calls.filter((c) => c.account === 2), zoneOf: () => ZONES[2] },
      { filter: {}, tz: 'America/New_York', calls, zoneOf: () => 'America/New_York' },
      // A time window: one GROUP BY instead of range by range.
      { filter: { from: mid }, calls: calls.filter((c) => c.startedAt !== null && c.startedAt >= Date.parse(mid)), zoneOf: (c) => ZONES[c.account] },
    ];
    const matrices = () => cases.map(({ filter, tz }) => hourWeekdayMatrix(db, { filter, tz, readCalls: true }));
    const before = matrices();
    cases.forEach((c, i) => expect(before[i]).toEqual(expected(c.calls, c.zoneOf)));

    migrate(db, file, MIGRATIONS.slice(0, 5));
    expect(schemaVersion(db)).toBe(5);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'cdrs_week'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sqlite_stat1 WHERE idx = 'cdrs_week'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sqlite_stat1 WHERE idx = 'cdrs_summary'").pluck().get()).toBe(1);
    expect(matrices()).toEqual(before);
    // And the running totals (migration 4 counted these calls) give the same matrix.
    expect(hourWeekdayMatrix(db, { filter: {} })).toEqual(before[0]);
    db.close();
  });
});
