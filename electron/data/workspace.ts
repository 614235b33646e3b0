// A workspace is one data folder: its database, its accounts and the secret store that goes with them.
// The CLI, tests and the app's data host all start here.
import type { Database } from 'better-sqlite3';
import { Accounts } from './accounts/accounts.ts';
import { openDatabase } from './db/open.ts';
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
  return {
    dataDir,
    db,
    secrets,
    accounts: new Accounts(db, secrets),
    close: () => db.close(),
  };
}
