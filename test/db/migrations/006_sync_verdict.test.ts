// The sync-verdict migration on a database holding an account and its sync runs from before: the new columns
// exist, older runs carry no verdict and no covered range (so the coverage ledger does not count them), the
// account has no last verdict yet, and a bad verdict is refused.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/data/db/migrate.ts';
import { MIGRATIONS } from '../../../electron/data/db/migrations/index.ts';
import { migration006 } from '../../../electron/data/db/migrations/006_sync_verdict.ts';
import { ledgerRuns } from '../../../electron/data/sync/coverage.ts';
import { tempDir } from '../../helpers/tmp.ts';

const columns = (db: BetterSqlite3.Database, table: string) => db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[];

describe('migration: sync verdict and coverage ledger', () => {
  it('adds the verdict and covered range to runs and the last verdict to accounts; older runs stay out of the ledger', () => {
    const file = join(tempDir(), 'cdr-desk.sqlite');
    const db = new BetterSqlite3(file);
    const before = MIGRATIONS.indexOf(migration006);
    migrate(db, file, MIGRATIONS.slice(0, before));
    db.prepare("INSERT INTO accounts (id, name, provider, base_url, timezone, created_at, updated_at, last_sync_at) VALUES (1, 'PBX', 'pbx-cdr', 'http://x', 'UTC', 0, 0, 5)").run();
    db.prepare('INSERT INTO sync_runs (account_id, started_at, finished_at, fetched) VALUES (1, 1, 5, 42)').run();

    migrate(db, file, MIGRATIONS.slice(0, before + 1));
    expect(schemaVersion(db)).toBe(migration006.version);
    expect(columns(db, 'sync_runs')).toEqual(expect.arrayContaining(['verdict', 'verdict_text', 'covered_from', 'covered_to']));
    expect(columns(db, 'accounts')).toEqual(expect.arrayContaining(['last_verdict', 'last_verdict_text']));
    expect(db.prepare('SELECT fetched, verdict, covered_to FROM sync_runs').get()).toEqual({ fetched: 42, verdict: null, covered_to: null });
    expect(db.prepare('SELECT last_sync_at, last_verdict FROM accounts').get()).toEqual({ last_sync_at: 5, last_verdict: null });
    expect(ledgerRuns(db, 1)).toEqual([]);

    expect(() => db.prepare("UPDATE sync_runs SET verdict = 'fine'").run()).toThrow(/CHECK constraint failed/);
    db.prepare("UPDATE sync_runs SET verdict = 'complete', covered_from = NULL, covered_to = 3").run();
    expect(ledgerRuns(db, 1)).toEqual([{ from: null, to: 3, verdict: 'complete', syncedAt: 5 }]);
    db.close();
  });
});
