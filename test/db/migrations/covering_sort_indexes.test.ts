// The covering-sort-indexes migration on a database holding calls: each sort order's index is led by its sort
// value and the id, then holds the columns a filter tests, planner statistics stay complete, a wide filter's page
// is walked in that index alone (no row read), and every search answers the same as before it.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/data/db/migrate.ts';
import { COVERING_SORT_INDEXES, migration013 as coveringSortIndexes } from '../../../electron/data/db/migrations/013_covering_sort_indexes.ts';
import { MIGRATIONS } from '../../../electron/data/db/migrations/index.ts';
import { explainSearch, searchPage, searchTotal } from '../../../electron/data/search/search.ts';
import type { SearchFilter, SortSpec } from '../../../electron/shared/filter.ts';
import { tempDir } from '../../helpers/tmp.ts';

const before = MIGRATIONS.indexOf(coveringSortIndexes);
const columns = (db: BetterSqlite3.Database, index: string) =>
  (db.prepare('SELECT name FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno').pluck().all(index) as (string | null)[]).map((c) => c ?? 'expr');

describe('covering-sort-indexes migration', () => {
  it('puts the filter columns in each sort index, keeps statistics complete, and changes no answer', () => {
    const file = join(tempDir(), 'cdr-desk.sqlite');
    const db = new BetterSqlite3(file);
    migrate(db, file, MIGRATIONS.slice(0, before));
    db.prepare("INSERT INTO accounts (id, name, provider, base_url, timezone, created_at, updated_at) VALUES (1, 'A', 'pbx-cdr', 'http://x', 'UTC', 0, 0), (2, 'B', 'pbx-cdr', 'http://x', 'Asia/Tehran', 0, 0)").run();
    const insert = db.prepare(`INSERT INTO cdrs (account_id, call_id, direction, source, destination, status, started_at, answered_at, ended_at, duration_sec, bill_sec, agent, raw, first_seen_at, updated_at)
                               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', 0, 0)`);
    let seed = 13;
    const rand = (n: number) => Math.floor(((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * n);
    const t0 = Date.UTC(2024, 0, 1);
    db.transaction(() => {
      for (let i = 0; i < 4000; i++) {
        const started = rand(40) === 0 ? null : t0 + rand(90 * 86_400) * 1000;
        const duration = rand(10) === 0 ? null : rand(900);
        const answered = started !== null && rand(2) ? started + 5000 : null;
        insert.run(1 + rand(2), `c${i}`, ['in', 'out', null][rand(3)], rand(5) ? `07${rand(1000)}` : null, rand(7) ? `09${rand(50)}` : null,
          ['answered', 'busy', 'no_answer'][rand(3)], started, answered, started !== null && duration !== null ? started + duration * 1000 : null, duration,
          duration === null ? null : rand(3) ? duration : 0, rand(4) ? `Agent ${rand(6)}` : null);
      }
    })();
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
