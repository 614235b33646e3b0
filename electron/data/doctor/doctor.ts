// `cdr-desk doctor`: checks a data folder without changing it (no migration runs): SQLite integrity and foreign
// keys, both FTS5 indexes against the cdrs table, schema version against this code, counts, last sync and last
// error per account, backups beside the database, and where secrets are kept. Every problem is one line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { DB_FILE } from '../db/open.ts';
import { SCHEMA_VERSION } from '../db/migrate.ts';
import { defaultKeyFile } from '../accounts/secrets/file-store.ts';
import { indexTail, tailSize } from '../search/tail.ts';

export interface DoctorAccount {
  name: string;
  provider: string;
  calls: number;
  lastSyncAt: string | null;
  lastError: string | null;
  /** The last sync's own check (complete, incomplete, unverified); null before one ran on schema 6+. */
  lastVerdict: { status: string; text: string } | null;
  lastRun: { startedAt: string; finishedAt: string | null; error: string | null } | null;
  secretsStored: boolean;
}

export interface DoctorReport {
  ok: boolean;
  dataDir: string;
  database: string;
  schemaVersion: { found: number | null; expected: number };
  integrity: string;
  foreignKeyViolations: number | null;
  fts: { cdrs_fts: string; cdrs_phone: string };
  /** Calls of a large (or killed) sync not yet in the FTS indexes: searched one by one until indexed (search/tail.ts). */
  searchTail: number;
  accounts: DoctorAccount[];
  backups: string[];
  secretStore: string;
  problems: string[];
}

const iso = (ms: number | null | undefined) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

function readRefs(file: string): Set<string> | Error {
  if (!existsSync(file)) return new Set();
  try {
    return new Set(Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object));
  } catch (err) {
    return new Error(message(err));
  }
}

/** Runs FTS5's own consistency check of an external-content index against its content table. */
function ftsCheck(db: Database, table: string): string {
  try {
    db.prepare(`INSERT INTO ${table}(${table}, rank) VALUES ('integrity-check', 1)`).run();
    return 'ok';
  } catch (err) {
    return message(err);
  }
}

export function runDoctor(dataDir: string): DoctorReport {
  const database = join(dataDir, DB_FILE);
  const problems: string[] = [];
  const report: DoctorReport = {
    ok: false,
    dataDir,
    database,
    schemaVersion: { found: null, expected: SCHEMA_VERSION },
    integrity: 'not checked',
    foreignKeyViolations: null,
    fts: { cdrs_fts: 'not checked', cdrs_phone: 'not checked' },
    searchTail: 0,
    accounts: [],
    backups: [],
    secretStore: '',
    problems,
  };

  // Secret stores: the CLI's encrypted file (key kept apart) and the app's keychain-sealed blobs.
  const fileRefs = readRefs(join(dataDir, 'secrets.json'));
  const osRefs = readRefs(join(dataDir, 'secrets.os.json'));
  const stores: string[] = [];
  if (fileRefs instanceof Error) problems.push(`secrets.json cannot be read: ${fileRefs.message}`);
  if (osRefs instanceof Error) problems.push(`secrets.os.json cannot be read: ${osRefs.message}`);
  if (existsSync(join(dataDir, 'secrets.os.json'))) stores.push(`OS keychain (sealed blobs in ${join(dataDir, 'secrets.os.json')})`);
  const keyFile = defaultKeyFile();
  if (existsSync(join(dataDir, 'secrets.json'))) {
    stores.push(`encrypted file ${join(dataDir, 'secrets.json')} (AES-256-GCM; key in ${keyFile})`);
    if (!existsSync(keyFile)) problems.push(`secrets.json exists but its key file ${keyFile} is missing: stored secrets cannot be opened`);
  }
  report.secretStore = stores.length ? stores.join('; ') : 'none yet (no secrets stored)';

  if (existsSync(dataDir)) {
    report.backups = readdirSync(dataDir).filter((f) => f.startsWith(`${DB_FILE}.v`) && f.endsWith('.bak')).sort();
  }
  if (!existsSync(database)) {
    problems.push(`no database at ${database}`);
    return report;
  }

  let db: Database;
  try {
    db = new BetterSqlite3(database, { fileMustExist: true });
  } catch (err) {
    problems.push(`database ${database} cannot be opened: ${message(err)}`);
    return report;
  }
  try {
    db.pragma('busy_timeout = 5000');
    try {
      const found = db.pragma('user_version', { simple: true }) as number;
      report.schemaVersion.found = found;
      if (found > SCHEMA_VERSION) problems.push(`schema version ${found} is newer than this CDR Desk understands (${SCHEMA_VERSION})`);
      else if (found < SCHEMA_VERSION) problems.push(`schema version ${found} is older than this CDR Desk's ${SCHEMA_VERSION} (the next open migrates it)`);
    } catch (err) {
      problems.push(`database ${database} cannot be read: ${message(err)}`);
      return report;
    }

    try {
      const rows = db.pragma('integrity_check') as { integrity_check: string }[];
      // One problem per line: SQLite may put several (one per cell of a damaged page) in one row, newline-separated.
      const lines = rows.flatMap((r) => r.integrity_check.split('\n'));
      report.integrity = lines.join('\n');
      if (!(lines.length === 1 && lines[0] === 'ok')) {
        for (const l of lines.slice(0, 20)) problems.push(`integrity_check: ${l}`);
        if (lines.length > 20) problems.push(`integrity_check: ... ${lines.length - 20} more`);
      }
    } catch (err) {
      report.integrity = message(err);
      problems.push(`integrity_check failed: ${message(err)}`);
    }

    try {
      const fk = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
      report.foreignKeyViolations = fk.length;
      if (fk.length) problems.push(`foreign_key_check: ${fk.length} row(s) point at missing parents (first: ${fk[0]!.table} row ${fk[0]!.rowid} -> ${fk[0]!.parent})`);
    } catch (err) {
      problems.push(`foreign_key_check failed: ${message(err)}`);
    }

    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    // A search tail is checked as it will be indexed: its entries are added in a transaction rolled back after.
    let checkingTail = false;
    try {
      if (tables.has('search_tail') && (report.searchTail = tailSize(db)) > 0) {
        db.exec('BEGIN IMMEDIATE');
        checkingTail = true;
        indexTail(db);
      }
    } catch (err) {
      problems.push(`the search tail (${report.searchTail} calls not yet indexed) cannot be checked: ${message(err)}`);
    }
    try {
      for (const t of ['cdrs_fts', 'cdrs_phone'] as const) {
        if (!tables.has(t)) {
          report.fts[t] = 'absent';
          if ((report.schemaVersion.found ?? 0) >= 2) problems.push(`search index ${t} is missing`);
          continue;
        }
        report.fts[t] = ftsCheck(db, t);
        if (report.fts[t] !== 'ok') problems.push(`search index ${t} does not match the calls table: ${report.fts[t]}`);
      }
    } finally {
      if (checkingTail) db.exec('ROLLBACK');
    }

    if (tables.has('accounts')) {
      try {
        const counts = new Map(
          (db.prepare('SELECT account_id, count(*) AS n FROM cdrs GROUP BY account_id').all() as { account_id: number; n: number }[]).map(
            (r) => [r.account_id, r.n],
          ),
        );
        // A folder not yet migrated has no verdict columns (nothing runs a migration here).
        const hasVerdict = (db.prepare("SELECT count(*) FROM pragma_table_info('accounts') WHERE name = 'last_verdict'").pluck().get() as number) > 0;
        const verdictCols = hasVerdict ? 'last_verdict, last_verdict_text' : 'NULL AS last_verdict, NULL AS last_verdict_text';
        const accounts = db.prepare(`SELECT id, name, provider, secret_keys, last_sync_at, last_error, ${verdictCols} FROM accounts ORDER BY name`).all() as {
          id: number; name: string; provider: string; secret_keys: string; last_sync_at: number | null; last_error: string | null;
          last_verdict: string | null; last_verdict_text: string | null;
        }[];
        const lastRun = db.prepare('SELECT started_at, finished_at, error FROM sync_runs WHERE account_id = ? ORDER BY id DESC LIMIT 1');
        for (const a of accounts) {
          const run = lastRun.get(a.id) as { started_at: number; finished_at: number | null; error: string | null } | undefined;
          const ref = `account:${a.id}`;
          const needsSecrets = (JSON.parse(a.secret_keys) as string[]).length > 0;
          const secretsStored =
            (!(fileRefs instanceof Error) && fileRefs.has(ref)) || (!(osRefs instanceof Error) && osRefs.has(ref));
          report.accounts.push({
            name: a.name,
            provider: a.provider,
            calls: counts.get(a.id) ?? 0,
            lastSyncAt: iso(a.last_sync_at),
            lastError: a.last_error,
            lastVerdict: a.last_verdict ? { status: a.last_verdict, text: a.last_verdict_text ?? '' } : null,
            lastRun: run ? { startedAt: iso(run.started_at)!, finishedAt: iso(run.finished_at), error: run.error } : null,
            secretsStored,
          });
          if (a.last_error) problems.push(`account "${a.name}": last sync failed: ${a.last_error}`);
          if (needsSecrets && !secretsStored) problems.push(`account "${a.name}": its secrets are in no secret store (set them with accounts edit)`);
        }
      } catch (err) {
        problems.push(`accounts cannot be read: ${message(err)}`);
      }
    } else if ((report.schemaVersion.found ?? 0) >= 1) {
      problems.push('table accounts is missing');
    }
  } finally {
    db.close();
  }
  report.ok = problems.length === 0;
  return report;
}
