// The search-tail migration on a cache holding indexed calls: the watermark table starts empty (nothing deferred),
// and the FTS update/delete triggers now leave tail calls alone, so updating and deleting calls on both sides of
// the watermark, then indexing the tail in bulk, leaves both FTS indexes matching the calls table.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CdrWriter } from '../../../electron/data/db/cdrs.ts';
import { migrate, schemaVersion } from '../../../electron/data/db/migrate.ts';
import { MIGRATIONS } from '../../../electron/data/db/migrations/index.ts';
import { migration011 } from '../../../electron/data/db/migrations/011_search_tail.ts';
import { indexTail, tailSize, tailStart } from '../../../electron/data/search/tail.ts';
import { makeCdr } from '../../helpers/synthetic.ts';
import { tempDir } from '../../helpers/tmp.ts';

const indexesMatchRows = (db: BetterSqlite3.Database) => {
  for (const t of ['cdrs_fts', 'cdrs_phone']) db.prepare(`INSERT INTO ${t}(${t}, rank) VALUES ('integrity-check', 1)`).run();
};
const matches = (db: BetterSqlite3.Database, word: string) => db.prepare('SELECT count(*) FROM cdrs_fts WHERE cdrs_fts MATCH ?').pluck().get(word);

describe('migration: search tail', () => {
  it('adds an empty watermark; updates and deletes of tail calls skip the FTS triggers', () => {
    const file = join(tempDir(), 'cdr-desk.sqlite');
    const db = new BetterSqlite3(file);
    const before = MIGRATIONS.indexOf(migration011);
    migrate(db, file, MIGRATIONS.slice(0, before));
    db.prepare("INSERT INTO accounts (id, name, provider, base_url, timezone, created_at, updated_at) VALUES (1, 'A', 'pbx-cdr', 'http://x', 'UTC', 0, 0)").run();
    const call = (id: string, name: string) => makeCdr({ callId: id, extraText: name, destination: `0740 000 ${id.padStart(3, '0')}` });
    new CdrWriter(db).write(1, [call('1', 'old'), call('2', 'old'), call('3', 'old')]);

    migrate(db, file, MIGRATIONS.slice(0, before + 1));
    expect(schemaVersion(db)).toBe(migration011.version);
    expect(tailStart(db)).toBeNull();
    indexesMatchRows(db);

    const deferring = new CdrWriter(db, { deferIndex: true });
    deferring.write(1, [call('4', 'fresh'), call('5', 'fresh'), call('6', 'fresh')]);
    expect(tailSize(db)).toBe(3);
    expect(matches(db, 'fresh')).toBe(0); // not indexed yet
    // Changed and removed, below the watermark (the triggers keep the index) and above it (they must not touch it).
    deferring.write(1, [call('1', 'renamed'), call('4', 'renamed')]);
    db.prepare("DELETE FROM cdrs WHERE call_id IN ('2', '5')").run();
    expect(matches(db, 'renamed')).toBe(1);
    expect(matches(db, 'old')).toBe(1);

    expect(indexTail(db)).toBe(2);
    expect(tailStart(db)).toBeNull();
    indexesMatchRows(db);
    expect(matches(db, 'renamed')).toBe(2);
    expect(matches(db, 'fresh')).toBe(1);
    db.close();
  });
});
