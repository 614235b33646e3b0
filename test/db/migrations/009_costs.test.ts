// Migration costs: a cache of the version before gets the rate card tables, a cost column on calls (NULL: nothing
// priced yet), cost sums in the totals (0) and cost in the summary index; afterwards the totals' triggers follow
// every change of a call's cost, and a card priced the calls the same way CdrWriter does.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ratesFromTable } from '../../../electron/data/costs/rates.ts';
import { importRates, setBilling } from '../../../electron/data/costs/store.ts';
import { migrate, schemaVersion, SCHEMA_VERSION } from '../../../electron/data/db/migrate.ts';
import { migration009 } from '../../../electron/data/db/migrations/009_costs.ts';
import { MIGRATIONS } from '../../../electron/data/db/migrations/index.ts';
import { rebuildTotals, TOTALS_TABLES } from '../../../electron/data/summary/totals.ts';
import { tempDir } from '../../helpers/tmp.ts';

const BEFORE = MIGRATIONS.indexOf(migration009);

function totals(db: BetterSqlite3.Database): unknown[] {
  return TOTALS_TABLES.map((t) => db.prepare(`SELECT account_id, campaign, status, direction, ${t.bucket}, n, bill, cost, cost_n
    FROM ${t.table} WHERE n <> 0 ORDER BY account_id, campaign, status, direction, ${t.bucket}`).all());
}

/** The totals counted afresh from the calls, rolled back. */
function recounted(db: BetterSqlite3.Database): unknown[] {
  let fresh: unknown[] = [];
  db.exec('SAVEPOINT recount');
  rebuildTotals(db, 1);
  fresh = totals(db);
  db.exec('ROLLBACK TO recount; RELEASE recount');
  return fresh;
}

describe('migration costs', () => {
  it('adds rate cards and a cost per call to a cache of the version before, and the totals follow costs', () => {
    const file = join(tempDir(), 'cdr-desk.sqlite');
    const db = new BetterSqlite3(file);
    db.pragma('foreign_keys = ON');
    migrate(db, file, MIGRATIONS.slice(0, BEFORE));
    db.prepare("INSERT INTO accounts (id, name, provider, base_url, timezone, created_at, updated_at) VALUES (1, 'RO', 'pbx-cdr', 'http://127.0.0.1:9', 'Europe/Bucharest', 0, 0)").run();
    const insert = db.prepare(`INSERT INTO cdrs (account_id, call_id, campaign, destination, status, started_at, bill_sec, duration_sec, raw, first_seen_at, updated_at)
      VALUES (1, ?, 'A', ?, ?, ?, ?, ?, '{}', 0, 0)`);
    insert.run('c1', '40721000001', 'answered', Date.UTC(2024, 2, 1, 10), 61, 70);
    insert.run('c2', '1555', 'answered', Date.UTC(2024, 2, 1, 11), 30, 35);
    insert.run('c3', '40721000002', 'busy', Date.UTC(2024, 2, 2, 11), 0, 5);
    // Indexed for search as CdrWriter would (a delete takes the row out of the FTS indexes), and counted.
    db.exec("INSERT INTO cdrs_fts(cdrs_fts) VALUES ('rebuild'); INSERT INTO cdrs_phone(cdrs_phone) VALUES ('rebuild')");
    rebuildTotals(db, 1);
    const countsBefore = TOTALS_TABLES.map((t) => db.prepare(`SELECT sum(n), sum(bill) FROM ${t.table}`).raw().get());

    migrate(db, file);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT count(*) FROM cdrs WHERE cost IS NOT NULL').pluck().get()).toBe(0);
    expect(TOTALS_TABLES.map((t) => db.prepare(`SELECT sum(n), sum(bill) FROM ${t.table}`).raw().get())).toEqual(countsBefore);
    expect(TOTALS_TABLES.map((t) => db.prepare(`SELECT sum(cost), sum(cost_n) FROM ${t.table}`).raw().get())).toEqual([[0, 0], [0, 0]]);
    const indexed = db.prepare("SELECT name FROM pragma_index_info('cdrs_summary')").pluck().all();
    expect(indexed.at(-1)).toBe('cost');

    // A card prices every call: 4072 1/1 at 0.06 (c1: 61 s -> 0.0610), default 60/60 at 0.10 (c2: 0.10), busy 0.
    setBilling(db, 'RO', { currency: 'RON' });
    importRates(db, 'RO', ratesFromTable([
      { line: 1, cells: ['prefix', 'per_minute', 'increment', 'effective_from'] },
      { line: 2, cells: ['', '0.10', '60/60', '2024-01-01'] },
      { line: 3, cells: ['4072', '0.06', '1/1', '2024-01-01'] },
    ], 'RO', 'r.csv'));
    expect(db.prepare('SELECT call_id, cost FROM cdrs ORDER BY call_id').raw().all()).toEqual([['c1', 610], ['c2', 1000], ['c3', 0]]);
    expect(totals(db)).toEqual(recounted(db));

    // The triggers follow a change of cost with or without other columns, and a delete.
    db.prepare("UPDATE cdrs SET cost = 999 WHERE call_id = 'c2'").run();
    expect(totals(db)).toEqual(recounted(db));
    db.prepare("UPDATE cdrs SET bill_sec = 90, cost = NULL WHERE call_id = 'c1'").run();
    expect(totals(db)).toEqual(recounted(db));
    db.prepare("DELETE FROM cdrs WHERE call_id = 'c2'").run();
    expect(totals(db)).toEqual(recounted(db));
    expect(TOTALS_TABLES.map((t) => db.prepare(`SELECT sum(cost), sum(cost_n) FROM ${t.table}`).raw().get())).toEqual([[0, 1], [0, 1]]);
    db.close();
  });
});
