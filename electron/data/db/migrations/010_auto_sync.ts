// Schema version 10: each account's automatic-sync interval (issue 19), as the shared contract writes it
// ("off", "15m", "1h", "4h", "daily@HH:MM"). Existing accounts stay off: nothing syncs until the user asks.
import type { Migration } from '../migrate.ts';

export const migration010: Migration = {
  version: 10,
  name: 'auto-sync',
  up: (db) => {
    db.exec("ALTER TABLE accounts ADD COLUMN auto_sync TEXT NOT NULL DEFAULT 'off'");
  },
};
