// Migration 3 (search speed) on a version-2 database holding calls: the started_at index replaced by one that
// also holds direction and duration, same answers, and a time-sorted page filtered on both read from it alone.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/data/db/migrate.ts';
import { MIGRATIONS } from '../../../electron/data/db/migrations/index.ts';
import { explainSearch, search } from '../../../electron/data/search/search.ts';
import type { SearchFilter } from '../../../electron/shared/filter.ts';
import { tempDir } from '../../helpers/tmp.ts';

const indexColumns = (db: BetterSqlite3.Database, name: string) =>
  (db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(name) as { name: string }[]).map((c) => c.name);

describe('migration 3: search speed', () => {
  it('replaces the started_at index with (started_at, direction, duration_sec), keeping every answer', () => {
    const file = join(tempDir(), 'cdr-desk.sqlite');
    const db = new BetterSqlite3(file);
    migrate(db, file, MIGRATIONS.slice(0, 2));
    // Today's search reads the columns later versions added (contact); they are empty in a version-2 cache.
    db.exec('ALTER TABLE cdrs ADD COLUMN contact TEXT');
    db.prepare("INSERT INTO accounts (id, name, provider, base_url, timezone, created_at, updated_at) VALUES (1, 'Bucharest', 'pbx-cdr', 'http://x', 'Europe/Bucharest', 0, 0)").run();
    const start = Date.UTC(2024, 5, 1);
    // Written as a version-2 app would (CdrWriter is today's and expects today's schema).
    const insert = db.prepare(`INSERT INTO cdrs (account_id, call_id, status, direction, duration_sec, started_at, raw, first_seen_at, updated_at)
                               VALUES (1, ?, 'answered', ?, ?, ?, '{}', 0, 0)`);
    // One transaction: 400 of their own each wait for the disk.
    db.transaction(() => {
      for (let i = 0; i < 400; i++) {
        // Equal start times and missing ones on purpose.
        insert.run(`c-${i}`, i % 3 ? 'out' : 'in', i % 7 === 0 ? null : (i * 37) % 400, i % 50 === 0 ? null : start + (i % 97) * 60_000);
      }
    })();
    db.exec('ANALYZE'); // statistics kept by whoever ran ANALYZE must survive the index being replaced
    const filters: SearchFilter[] = [{}, { direction: 'in', minDuration: 120 }, { from: '2024-06-01T00:10:00Z', to: '2024-06-01T01:00:00Z', direction: 'out' }];
    const before = filters.map((filter) => search(db, { filter, limit: 1000 }));
    const pagesBefore = filters.map((filter) => search(db, { filter, limit: 7, offset: 14 }).rows);
    expect(indexColumns(db, 'cdrs_started')).toEqual(['started_at']);

    migrate(db, file, MIGRATIONS.slice(0, 3));
    expect(schemaVersion(db)).toBe(3);
    expect(indexColumns(db, 'cdrs_started')).toEqual(['started_at', 'direction', 'duration_sec']);
    expect(db.prepare("SELECT count(*) FROM sqlite_stat1 WHERE idx = 'cdrs_started'").pluck().get()).toBe(1);
    filters.forEach((filter, i) => {
      expect(search(db, { filter, limit: 1000 })).toEqual(before[i]);
      expect(search(db, { filter, limit: 7, offset: 14 }).rows).toEqual(pagesBefore[i]);
    });
    // The newest inbound calls of 2+ minutes: the index walked and both conditions tested on its entries.
    expect(explainSearch(db, { filter: { direction: 'in', minDuration: 120 } }).page.join(' | ')).toMatch(/COVERING INDEX cdrs_started/);
    db.close();
  });
});
