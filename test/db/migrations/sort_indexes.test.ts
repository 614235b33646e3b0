// The sort-indexes migration on a database holding calls: end time, billed seconds, caller, callee and direction
// get an index in their order, planner statistics stay complete, a filter on direction does not pick the
// direction index (it reads the row of most calls), and every search answers the same as before it.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/data/db/migrate.ts';
import { migration012 as sortIndexes, SORT_INDEXES } from '../../../electron/data/db/migrations/012_sort_indexes.ts';
import { MIGRATIONS } from '../../../electron/data/db/migrations/index.ts';
import { explainSearch, searchPage, searchTotal } from '../../../electron/data/search/search.ts';
import type { SearchFilter, SortSpec } from '../../../electron/shared/filter.ts';
import { tempDir } from '../../helpers/tmp.ts';

const before = MIGRATIONS.indexOf(sortIndexes);
const expressions = (db: BetterSqlite3.Database, index: string) =>
  (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(index) as string).replace(/^.* ON cdrs/, '');

describe('sort-indexes migration', () => {
  it('indexes five sort orders, keeps statistics complete, and changes no answer', () => {
    const file = join(tempDir(), 'cdr-desk.sqlite');
    const db = new BetterSqlite3(file);
    migrate(db, file, MIGRATIONS.slice(0, before));
    db.prepare("INSERT INTO accounts (id, name, provider, base_url, timezone, created_at, updated_at) VALUES (1, 'A', 'pbx-cdr', 'http://x', 'UTC', 0, 0), (2, 'B', 'pbx-cdr', 'http://x', 'Asia/Tehran', 0, 0)").run();
    const insert = db.prepare(`INSERT INTO cdrs (account_id, call_id, direction, source, destination, status, started_at, ended_at, duration_sec, bill_sec, raw, first_seen_at, updated_at)
                               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', 0, 0)`);
    let seed = 12;
    const rand = (n: number) => Math.floor(((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * n);
    const t0 = Date.UTC(2024, 0, 1);
    db.transaction(() => {
      for (let i = 0; i < 4000; i++) {
        const started = rand(40) === 0 ? null : t0 + rand(90 * 86_400) * 1000;
        const duration = rand(10) === 0 ? null : rand(900);
        insert.run(1 + rand(2), `c${i}`, ['in', 'out', null][rand(3)], rand(5) ? `07${rand(1000)}` : null, rand(7) ? `09${rand(50)}` : null,
          ['answered', 'busy', 'no_answer'][rand(3)], started, started !== null && duration !== null ? started + duration * 1000 : null, duration,
          duration === null ? null : rand(3) ? duration : 0);
      }
    })();
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
