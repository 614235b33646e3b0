// Opens the cache database in a data folder: WAL, foreign keys, a busy timeout, then migrations.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate } from './migrate.ts';
import { indexTail } from '../search/tail.ts';

export const DB_FILE = 'cdr-desk.sqlite';

export class DataDirError extends Error {}

const NEW_PAGE_SIZE = 16_384;
/** The WAL's size before a commit checkpoints it, and what it is cut back to (applyPragmas). */
export const WAL_BYTES = 256 * 1024 * 1024;

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
    // A new cache gets 16 KiB pages (SQLite ignores this for an existing one: its page size is fixed in WAL mode):
    // 200,000 calls were upserted 35% faster than with 4 KiB pages (fewer pages, WAL frames and B-tree splits per
    // call).
    db.pragma(`page_size = ${NEW_PAGE_SIZE}`);
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
    indexTail(db); // a killed large sync's tail (search/tail.ts)
  } catch (err) {
    db.close();
    if (err instanceof Error && /not a database|malformed/i.test(err.message)) {
      throw new DataDirError(`database ${file} is damaged or not a CDR Desk database (${err.message})`);
    }
    throw err;
  }
  return db;
}

/** The page cache of a connection to the cache (64 MiB), but for one that lives for one search (keepSmallPageCache). */
export const PAGE_CACHE_KIB = 65_536;

/** The connection settings every connection to the cache uses (the sync writer thread's too). */
export function applyPragmas(db: Database): void {
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  // A sync commit dirties many pages (one per call in each index): with the default checkpoint every 1,000 WAL
  // pages SQLite copied them back every few commits. A large WAL lets a page changed by many commits be copied
  // once, and a large sync's writer waits less often on a checkpoint's two fsyncs (bench/latency.ts and
  // bench/build-cache.ts time such syncs). The file is cut back to WAL_BYTES after each checkpoint, so it may stay
  // that large on disk while the cache is open.
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.pragma(`wal_autocheckpoint = ${Math.round(WAL_BYTES / pageSize)}`);
  db.pragma(`journal_size_limit = ${WAL_BYTES}`);
}

/**
 * SQLite's largest memory map (its compile-time limit, 0x7fff0000 bytes in better-sqlite3's build; a larger
 * request is cut to it): pages are read in place rather than copied by a read() call each, and a larger cache's
 * pages past it are read as usual.
 */
const READ_MAP_BYTES = 0x7fff0000;

/**
 * Memory-maps the cache file for a connection that only reads it (a summary, alerts or export command, the app's
 * read thread): a count or a scan over many index pages, and a search reading scattered rows, then copy no page
 * into SQLite's own cache. Not for writers: a mapped file cut short under a reader faults instead of failing with
 * an error, and only a writer could cut it (nothing here does: no VACUUM, and checkpoints cut only the WAL).
 */
export function mapForReading(db: Database): void {
  db.pragma(`mmap_size = ${READ_MAP_BYTES}`);
}

/** The page cache of a connection that lives for one search (keepSmallPageCache): enough for the B-trees' upper levels. */
export const ONE_SEARCH_CACHE_KIB = 1024;

/**
 * Keeps a small page cache on a connection of a process that runs one search and exits (`cdr-desk search`), and
 * reads the file without the memory map (openWorkspaceForReading does not map it). A search reads most pages once.
 * In a new process each page a large cache keeps, and each page of a mapped file it touches, is memory the OS must
 * first hand over (a page fault per 4 KiB); a small cache reads the pages with read() into the same few pages of
 * memory again and again.
 */
export function keepSmallPageCache(db: Database): void {
  db.pragma(`cache_size = -${ONE_SEARCH_CACHE_KIB}`);
}

/** An in-memory database with the full schema, for tests of pure query code. */
export function openMemoryDatabase(): Database {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, ':memory:');
  return db;
}
