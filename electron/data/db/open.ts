// Opens the cache database in a data folder: WAL, foreign keys, a busy timeout, then migrations.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate } from './migrate.ts';

export const DB_FILE = 'cdr-desk.sqlite';

export class DataDirError extends Error {}

export function openDatabase(dataDir: string): Database {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
  } catch (err) {
    throw new DataDirError(`data folder ${dataDir} is not writable (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  const file = join(dataDir, DB_FILE);
  let db: Database;
  try {
    db = new BetterSqlite3(file);
    db.pragma('journal_mode = WAL');
  } catch (err) {
    const reason = (err as Error).message;
    throw new DataDirError(
      /not a database|malformed/i.test(reason)
        ? `database ${file} is damaged or not a CDR Desk database (${reason})`
        : `cannot open database ${file}: ${reason}`,
    );
  }
  try {
    applyPragmas(db);
    migrate(db, file);
  } catch (err) {
    db.close();
    if (err instanceof Error && /not a database|malformed/i.test(err.message)) {
      throw new DataDirError(`database ${file} is damaged or not a CDR Desk database (${err.message})`);
    }
    throw err;
  }
  return db;
}

/** The connection settings every connection to the cache uses (the sync writer thread's too). */
export function applyPragmas(db: Database): void {
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536'); // 64 MiB page cache
  // A sync page of 100 calls dirties a few hundred pages (one per call in each index): with the default
  // checkpoint every 1,000 WAL pages SQLite copied them back every 2-3 pages of calls. A longer WAL lets a page
  // changed by many commits be copied once; the file is cut back to 64 MiB after each checkpoint.
  db.pragma('wal_autocheckpoint = 16384'); // pages (64 MiB at 4 KiB)
  db.pragma('journal_size_limit = 67108864');
}

/** An in-memory database with the full schema, for tests of pure query code. */
export function openMemoryDatabase(): Database {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, ':memory:');
  return db;
}
