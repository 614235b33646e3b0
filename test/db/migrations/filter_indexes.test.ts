// The filter-indexes migration on a database holding calls: the status and account indexes hold the other cheap
// filter columns, agent and answered time have their own, planner statistics stay complete, and every search
// answers the same as before it (totals, and pages in each sort it serves).
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/data/db/migrate.ts';
import { migration008 as filterIndexes } from '../../../electron/data/db/migrations/008_filter_indexes.ts';
import { MIGRATIONS } from '../../../electron/data/db/migrations/index.ts';
import { searchPage, searchTotal } from '../../../electron/data/search/search.ts';
import type { SearchFilter, SortSpec } from '../../../electron/shared/filter.ts';
import { cacheBefore, FIXTURE_T0, seededRand } from '../../helpers/migration-fixture.ts';

const columns = (db: BetterSqlite3.Database, index: string) => (db.prepare(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`).pluck().all(index) as string[]);

describe('filter-indexes migration', () => {
  it('widens the status and account indexes, adds agent and answered time, and changes no answer', () => {
    const { db, file, before } = cacheBefore(filterIndexes);
    const insert = db.prepare(`INSERT INTO cdrs (account_id, call_id, campaign, direction, status, started_at, answered_at, duration_sec, agent, raw, first_seen_at, updated_at)
                               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', 0, 0)`);
    const rand = seededRand(11);
    const t0 = FIXTURE_T0;
    db.transaction(() => {
      for (let i = 0; i < 4000; i++) {
        const status = ['answered', 'busy', 'no_answer', 'failed'][rand(4)]!;
        const started = rand(50) === 0 ? null : t0 + rand(90 * 86_400) * 1000;
        insert.run(1 + rand(2), `c${i}`, ['Alpha', 'Beta', null][rand(3)], ['in', 'out', null][rand(3)], status, started,
          status === 'answered' && started !== null ? started + rand(30) * 1000 : null, rand(10) === 0 ? null : rand(900), ['Ana', 'Bob', 'Cy', null][rand(4)]);
      }
    })();
    db.exec('ANALYZE');
    const cases: [SearchFilter, SortSpec?][] = [
      [{ statuses: ['answered'], minDuration: 60 }],
      [{ statuses: ['busy', 'failed'], maxDuration: 30, direction: 'in' }],
      [{ accounts: ['B'], statuses: ['answered'], minDuration: 10, maxDuration: 300 }],
      [{ accounts: ['A'], from: '2024-02-01', to: '2024-02-20', direction: 'out' }],
      [{}, { field: 'agent', desc: false }],
      [{}, { field: 'agent', desc: true }],
      [{}, { field: 'answeredAt', desc: true }],
      [{ statuses: ['no_answer', 'failed'], maxDuration: 60 }, { field: 'answeredAt', desc: false }],
      [{ campaign: 'Beta' }, { field: 'agent', desc: false }],
    ];
    const answers = () => cases.map(([filter, sort]) => ({ total: searchTotal(db, filter), ids: searchPage(db, { filter, sort, limit: 50 }).rows.map((r) => r.callId) }));
    const old = answers();

    // This migration alone: a later one may rebuild the same indexes (covering-sort-indexes).
    migrate(db, file, MIGRATIONS.slice(0, before + 1));
    expect(schemaVersion(db)).toBe(before + 1);
    expect(columns(db, 'cdrs_status_started')).toEqual(['status', 'started_at', 'direction', 'duration_sec', 'account_id']);
    expect(columns(db, 'cdrs_account_started')).toEqual(['account_id', 'started_at', 'status', 'direction', 'duration_sec']);
    expect(columns(db, 'cdrs_agent')).toEqual(['agent']);
    expect(columns(db, 'cdrs_answered')).toEqual(['answered_at']);
    for (const idx of ['cdrs_status_started', 'cdrs_account_started', 'cdrs_agent', 'cdrs_answered']) {
      expect(db.prepare('SELECT count(*) FROM sqlite_stat1 WHERE idx = ?').pluck().get(idx), idx).toBe(1);
    }
    expect(answers()).toEqual(old);
    expect(old[0]!.total).toBeGreaterThan(0);
    db.close();
  });
});
