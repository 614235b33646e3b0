// Numbered migrations tracked with PRAGMA user_version. Each runs in one transaction; the file is copied aside
// first; a database written by newer code is refused rather than misread.
import { copyFileSync, existsSync, statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { MIGRATIONS } from './migrations/index.ts';

export interface Migration {
  version: number;
  name: string;
  /** SQL run as one script, or a function for data changes. */
  up: string | ((db: Database) => void);
}

export const SCHEMA_VERSION = MIGRATIONS.length;

export class DatabaseTooNewError extends Error {
  constructor(file: string, found: number) {
    super(
      `database ${file} has schema version ${found}, newer than this CDR Desk understands (${SCHEMA_VERSION}); ` +
        'update CDR Desk or use another data folder',
    );
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings `db` up to SCHEMA_VERSION. Returns the path of the backup copy, if one was made. */
export function migrate(db: Database, file: string, migrations: readonly Migration[] = MIGRATIONS): string | null {
  MIGRATIONS_ARE_NUMBERED(migrations);
  const current = schemaVersion(db);
  const target = migrations.length;
  if (current > target) throw new DatabaseTooNewError(file, current);
  if (current === target) return null;

  let backup: string | null = null;
  if (current > 0 && file !== ':memory:' && existsSync(file) && statSync(file).size > 0) {
    db.pragma('wal_checkpoint(TRUNCATE)');
    backup = `${file}.v${current}-${new Date().toISOString().replace(/[:.]/g, '-')}.bak`;
    copyFileSync(file, backup);
  }
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return backup;
}

function MIGRATIONS_ARE_NUMBERED(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} is numbered ${m.version}, expected ${i + 1}`);
  });
}
