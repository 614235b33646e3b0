import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DB_FILE, DataDirError, openDatabase } from '../../../electron/data/db/open.ts';
import { DatabaseTooNewError, migrate, schemaVersion, SCHEMA_VERSION, type Migration } from '../../../electron/data/db/migrate.ts';
import { MIGRATIONS } from '../../../electron/data/db/migrations/index.ts';
import { tempDir } from '../../helpers/tmp.ts';

describe('database and migrations', () => {
  it('opens a new data folder at the current schema with WAL and foreign keys', () => {
    const db = openDatabase(join(tempDir(), 'data'));
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
  });

  it('migration 1 creates the cache tables', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db, ':memory:', MIGRATIONS.slice(0, 1));
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").pluck().all() as string[]).sort();
    expect(tables).toEqual(
      expect.arrayContaining(['accounts', 'campaign_reports', 'campaigns', 'cdrs', 'known_ids', 'leads', 'sync_runs', 'sync_state']),
    );
    expect(schemaVersion(db)).toBe(1);
  });

  it('refuses a database newer than the code, untouched', () => {
    const dir = tempDir();
    const db = new BetterSqlite3(join(dir, DB_FILE));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openDatabase(dir)).toThrow(DatabaseTooNewError);
    const again = new BetterSqlite3(join(dir, DB_FILE));
    expect(schemaVersion(again)).toBe(SCHEMA_VERSION + 1);
    again.close();
  });

  it('copies the file aside before migrating an existing database, and rolls a failed step back', () => {
    const dir = tempDir();
    const file = join(dir, DB_FILE);
    const db = new BetterSqlite3(file);
    migrate(db, file, MIGRATIONS.slice(0, 1));
    db.prepare("INSERT INTO accounts (name, provider, base_url, timezone, created_at, updated_at) VALUES ('a','pbx-cdr','http://x','UTC',0,0)").run();
    const broken: Migration = { version: 2, name: 'broken', up: 'CREATE TABLE t (x); INSERT INTO nowhere VALUES (1);' };
    expect(() => migrate(db, file, [MIGRATIONS[0]!, broken])).toThrow();
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 't'").pluck().get()).toBe(0);
    const backups = readdirSync(dir).filter((f) => f.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    const copy = new BetterSqlite3(join(dir, backups[0]!), { readonly: true });
    expect(copy.prepare('SELECT name FROM accounts').pluck().get()).toBe('a');
    copy.close();
    db.close();
  });

  it('says clearly when the file is not a database, and leaves it alone', () => {
    const dir = tempDir();
    writeFileSync(join(dir, DB_FILE), 'this is not sqlite '.repeat(100));
    expect(() => openDatabase(dir)).toThrow(DataDirError);
    expect(() => openDatabase(dir)).toThrow(/damaged or not a CDR Desk database/);
    expect(existsSync(join(dir, DB_FILE))).toBe(true);
  });
});
