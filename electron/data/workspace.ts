// A workspace is one data folder: its database, its accounts and the secret store that goes with them.
// The CLI, tests and the app's data host all start here.
import type { Database } from 'better-sqlite3';
import { Accounts } from './accounts/accounts.ts';
import { keepSmallPageCache, mapForReading, openDatabase } from './db/open.ts';
import { EncryptedFileSecretStore } from './accounts/secrets/file-store.ts';
import type { SecretStore } from './accounts/secrets/store.ts';
import { zoneDataChecked } from './summary/totals.ts';

export interface Workspace {
  dataDir: string;
  db: Database;
  secrets: SecretStore;
  accounts: Accounts;
  close(): void;
}

export function openWorkspace(dataDir: string, secrets: SecretStore = new EncryptedFileSecretStore(dataDir)): Workspace {
  const db = openDatabase(dataDir);
  zoneDataChecked(db);
  return workspaceOf(dataDir, db, secrets);
}

function workspaceOf(dataDir: string, db: Database, secrets: SecretStore): Workspace {
  return {
    dataDir,
    db,
    secrets,
    accounts: new Accounts(db, secrets),
    close: () => db.close(),
  };
}

export interface ReadingOptions {
  /**
   * False for a command that reads no running totals (summary/totals.ts), a search: it does not recount them when
   * they were computed with other tz data than this process has (the app's Electron and the command line's Node
   * often differ), which rewrites every account's totals. The next opening that reads them does.
   */
  totals: boolean;
  /**
   * True for a command that runs one search and exits: its connection keeps a small page cache and does not map
   * the file (keepSmallPageCache). Not for a summary or an export, whose sorts SQLite keeps in memory up to the page
   * cache's size before spilling them to temporary files.
   */
  searchOnly?: boolean;
}

/** How a command that only reads the cache opens it: 'calls' is a search (Command.onlyReads). */
export function readingFor(reads: 'calls' | 'calls and totals'): ReadingOptions {
  return { totals: reads === 'calls and totals', searchOnly: reads === 'calls' };
}

/**
 * For a command that only reads the cache (a search, a summary, an export): the same workspace, the file
 * memory-mapped (mapForReading), but for a command that runs one search (keepSmallPageCache).
 */
export function openWorkspaceForReading(dataDir: string, { totals, searchOnly }: ReadingOptions): Workspace {
  const db = openDatabase(dataDir);
  if (totals) zoneDataChecked(db);
  if (searchOnly) keepSmallPageCache(db);
  else mapForReading(db);
  return workspaceOf(dataDir, db, new EncryptedFileSecretStore(dataDir));
}
