// The auto-sync migration on a database holding an account from before: the account gets an interval column, off,
// so nothing starts syncing on its own after the upgrade.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/data/db/migrate.ts';
import { MIGRATIONS } from '../../../electron/data/db/migrations/index.ts';
import { migration010 as autoSync } from '../../../electron/data/db/migrations/010_auto_sync.ts';
import { tempDir } from '../../helpers/tmp.ts';

describe('migration: auto-sync interval', () => {
  it('gives every existing account the interval off', () => {
    const file = join(tempDir(), 'cdr-desk.sqlite');
    const db = new BetterSqlite3(file);
    const before = MIGRATIONS.indexOf(autoSync);
    migrate(db, file, MIGRATIONS.slice(0, before));
    db.prepare("INSERT INTO accounts (id, name, provider, base_url, timezone, created_at, updated_at) VALUES (1, 'PBX', 'pbx-cdr', 'http://x', 'UTC', 0, 0)").run();

    migrate(db, file, MIGRATIONS.slice(0, before + 1));
    expect(schemaVersion(db)).toBe(autoSync.version);
    expect(db.prepare('SELECT auto_sync FROM accounts').pluck().all()).toEqual(['off']);
    db.close();
  });
});
