// The covering-sort-indexes migration on a database holding calls: each sort order's index is led by its sort
// value and the id, then holds the columns a filter tests, planner statistics stay complete, a wide filter's page
// is walked in that index alone (no row read), and every search answers the same as before it.
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/data/db/migrate.ts';
import { COVERING_SORT_INDEXES, migration013 as coveringSortIndexes } from '../../../electron/data/db/migrations/013_covering_sort_indexes.ts';
import { MIGRATIONS } from '../../../electron/data/db/migrations/index.ts';
import { explainSearch, searchPage, searchTotal } from '../../../electron/data/search/search.ts';
import type { SearchFilter, SortSpec } from '../../../electron/shared/filter.ts';
import { cacheBefore, writeSortColumnCalls } from '../../helpers/migration-fixture.ts';

const columns = (db: BetterSqlite3.Database, index: string) =>
  (db.prepare('SELECT name FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno').pluck().all(index) as (string | null)[]).map((c) => c ?? 'expr');

describe('covering-sort-indexes migration', () => {
  it('puts the filter columns in each sort index, keeps statistics complete, and changes no answer', () => {
    const { db, file, before } = cacheBefore(coveringSortIndexes);
    writeSortColumnCalls(db, 13, true);
    db.exec('ANALYZE');
    const cases: [SearchFilter, SortSpec][] = [
      [{ direction: 'in' }, { field: 'destination', desc: false }],
      [{ statuses: ['answered'], accounts: ['B'] }, { field: 'billSec', desc: true }],
      [{ from: '2024-02-01', to: '2024-02-20', minDuration: 30 }, { field: 'agent', desc: false }],
      [{ maxDuration: 100 }, { field: 'answeredAt', desc: false }],
      [{ statuses: ['busy'] }, { field: 'direction', desc: true }],
      [{ accounts: ['A'] }, { field: 'endedAt', desc: true }],
      [{ direction: 'out' }, { field: 'source', desc: false }],
      [{ statuses: ['no_answer'] }, { field: 'durationSec', desc: true }],
    ];
    const answers = () => cases.map(([filter, sort]) => ({ total: searchTotal(db, filter), ids: searchPage(db, { filter, sort, limit: 50 }).rows.map((r) => r.callId) }));
    const old = answers();

    migrate(db, file, MIGRATIONS.slice(0, before + 1));
    expect(schemaVersion(db)).toBe(before + 1);
    expect(columns(db, 'cdrs_bill')).toEqual(['bill_sec', 'id', 'account_id', 'status', 'direction', 'started_at', 'duration_sec']);
    expect(columns(db, 'cdrs_duration')).toEqual(['duration_sec', 'id', 'account_id', 'status', 'direction', 'started_at']);
    expect(columns(db, 'cdrs_direction')).toEqual(['expr', 'id', 'account_id', 'status', 'direction', 'started_at', 'duration_sec']);
    for (const idx of Object.keys(COVERING_SORT_INDEXES)) {
      expect(db.prepare('SELECT count(*) FROM sqlite_stat1 WHERE idx = ?').pluck().get(idx), idx).toBe(1);
    }
    expect(answers()).toEqual(old);
    expect(old.every((a) => a.ids.length > 0)).toBe(true);
    // A wide filter sorted by billed seconds is walked in that index alone, its conditions tested on each entry.
    expect(explainSearch(db, { filter: { statuses: ['answered'], accounts: ['B'] }, sort: { field: 'billSec', desc: true } }).page).toContain('SCAN cdrs USING COVERING INDEX cdrs_bill');
    db.close();
  });
});
