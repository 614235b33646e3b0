// The sort-indexes migration on a database holding calls: end time, billed seconds, caller, callee and direction
// get an index in their order, planner statistics stay complete, a filter on direction does not pick the
// direction index (it reads the row of most calls), and every search answers the same as before it.
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/data/db/migrate.ts';
import { migration012 as sortIndexes, SORT_INDEXES } from '../../../electron/data/db/migrations/012_sort_indexes.ts';
import { MIGRATIONS } from '../../../electron/data/db/migrations/index.ts';
import { explainSearch, searchPage, searchTotal } from '../../../electron/data/search/search.ts';
import type { SearchFilter, SortSpec } from '../../../electron/shared/filter.ts';
import { cacheBefore, writeSortColumnCalls } from '../../helpers/migration-fixture.ts';

const expressions = (db: BetterSqlite3.Database, index: string) =>
  (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(index) as string).replace(/^.* ON cdrs/, '');

describe('sort-indexes migration', () => {
  it('indexes five sort orders, keeps statistics complete, and changes no answer', () => {
    const { db, file, before } = cacheBefore(sortIndexes);
    writeSortColumnCalls(db, 12);
    db.exec('ANALYZE');
    const cases: [SearchFilter, SortSpec][] = [
      [{}, { field: 'endedAt', desc: true }],
      [{ statuses: ['answered'] }, { field: 'billSec', desc: false }],
      [{ accounts: ['B'] }, { field: 'source', desc: true }],
      [{ direction: 'in', minDuration: 30 }, { field: 'destination', desc: false }],
      [{ statuses: ['busy', 'no_answer'] }, { field: 'direction', desc: true }],
      [{}, { field: 'direction', desc: false }],
    ];
    const answers = () => cases.map(([filter, sort]) => ({ total: searchTotal(db, filter), ids: searchPage(db, { filter, sort, limit: 50 }).rows.map((r) => r.callId) }));
    const old = answers();

    // This migration alone: a later one may rebuild the same indexes (covering-sort-indexes).
    migrate(db, file, MIGRATIONS.slice(0, before + 1));
    expect(schemaVersion(db)).toBe(before + 1);
    expect(SORT_INDEXES.map((i) => expressions(db, i))).toEqual(['(ended_at)', '(bill_sec)', '(source)', '(destination)', "((direction || ''))"]);
    for (const idx of SORT_INDEXES) expect(db.prepare('SELECT count(*) FROM sqlite_stat1 WHERE idx = ?').pluck().get(idx), idx).toBe(1);
    expect(answers()).toEqual(old);
    expect(old[1]!.total).toBeGreaterThan(0);
    // A wide filter sorted by end time walks the new index (no sort of every answered call).
    expect(explainSearch(db, { filter: { statuses: ['answered'] }, sort: { field: 'endedAt', desc: true } }).page.join(' | ')).toMatch(/cdrs_ended/);
    // A direction filter is counted in a covering index, never through the direction index.
    expect(explainSearch(db, { filter: { direction: 'out', minDuration: 5 } }).count.join(' | ')).not.toMatch(/cdrs_direction/);
    db.close();
  });
});
