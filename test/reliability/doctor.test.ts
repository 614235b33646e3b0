// `cdr-desk doctor` as a real process on real SQLite files: a healthy folder, then copies damaged on purpose
// (search index rows deleted behind the triggers, a corrupted page, an orphan call, a newer schema).
import { closeSync, copyFileSync, openSync, readdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrate, SCHEMA_VERSION } from '../../electron/data/db/migrate.ts';
import { MIGRATIONS } from '../../electron/data/db/migrations/index.ts';
import { openWorkspace } from '../../electron/data/workspace.ts';
import { seedWorkspace } from '../helpers/synthetic.ts';
import { runCli } from '../helpers/run-cli.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

let env: NodeJS.ProcessEnv;

function doctor(dataDir: string, json = true) {
  const r = runCli(['--data-dir', dataDir, 'doctor', ...(json ? ['--json'] : [])], env);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, report: json ? JSON.parse(r.stdout) : null };
}

/** A copy of a healthy folder (database checkpointed into one file, secrets alongside). */
function copyFolder(from: string): string {
  const to = tempDir();
  for (const f of readdirSync(from)) copyFileSync(join(from, f), join(to, f));
  return to;
}

describe('cdr-desk doctor', { timeout: 120_000 }, () => {
  let healthy: string;
  beforeAll(async () => {
    env = { ...process.env, CDR_DESK_KEY_FILE: isolatedKeyFile() };
    healthy = tempDir();
    const ws = openWorkspace(healthy);
    await seedWorkspace(ws, 400, Date.UTC(2026, 9, 1), Date.UTC(2026, 10, 1), 5);
    ws.db.prepare("UPDATE accounts SET last_sync_at = ? WHERE name = 'Bucharest PBX'").run(Date.UTC(2026, 10, 2));
    ws.db.pragma('wal_checkpoint(TRUNCATE)');
    ws.close();
  });

  it('a healthy folder: exit 0, no stderr, every check reported', () => {
    const r = doctor(healthy);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.report).toMatchObject({
      ok: true,
      schemaVersion: { found: SCHEMA_VERSION, expected: SCHEMA_VERSION },
      integrity: 'ok',
      foreignKeyViolations: 0,
      fts: { cdrs_fts: 'ok', cdrs_phone: 'ok' },
      problems: [],
    });
    expect(r.report.secretStore).toContain('secrets.json');
    expect(r.report.accounts).toHaveLength(4);
    for (const a of r.report.accounts) expect(a).toMatchObject({ calls: 400, lastError: null, secretsStored: true });
    expect(r.report.accounts.find((a: { name: string }) => a.name === 'Bucharest PBX').lastSyncAt).toBe('2026-11-02T00:00:00.000Z');
    const text = doctor(healthy, false);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/integrity\s+ok/);
    expect(text.stdout.trim().endsWith('ok')).toBe(true);
  });

  it('a backup made by a migration is listed', () => {
    const dir = tempDir();
    const file = join(dir, 'cdr-desk.sqlite');
    const db = new BetterSqlite3(file);
    migrate(db, file, MIGRATIONS.slice(0, 1)); // a folder left by the first version: the next open migrates it
    db.close();
    const before = doctor(dir);
    expect(before.status).toBe(1);
    expect(before.stderr).toContain(`schema version 1 is older than this CDR Desk's ${SCHEMA_VERSION}`);
    openWorkspace(dir).close();
    const after = doctor(dir);
    expect(after.report.backups).toHaveLength(1);
    expect(after.report.backups[0]).toMatch(/^cdr-desk\.sqlite\.v1-.*\.bak$/);
  });

  it('search index rows deleted behind the triggers: both indexes reported, exit 1', () => {
    const dir = copyFolder(healthy);
    const db = new BetterSqlite3(join(dir, 'cdr-desk.sqlite'));
    const rows = db.prepare('SELECT id, search_text, phone_digits FROM cdrs ORDER BY id LIMIT 5').all() as { id: number; search_text: string; phone_digits: string }[];
    for (const r of rows) {
      db.prepare("INSERT INTO cdrs_fts(cdrs_fts, rowid, search_text) VALUES ('delete', ?, ?)").run(r.id, r.search_text);
      db.prepare("INSERT INTO cdrs_phone(cdrs_phone, rowid, phone_digits) VALUES ('delete', ?, ?)").run(r.id, r.phone_digits);
    }
    db.close();
    const r = doctor(dir);
    expect(r.status).toBe(1);
    expect(r.report.ok).toBe(false);
    expect(r.report.integrity).toBe('ok');
    expect(r.report.fts.cdrs_fts).not.toBe('ok');
    expect(r.report.fts.cdrs_phone).not.toBe('ok');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^cdr-desk doctor: search index cdrs_fts does not match the calls table/);
    expect(lines[1]).toMatch(/^cdr-desk doctor: search index cdrs_phone does not match the calls table/);
  });

  it('a corrupted page: integrity_check problems, exit 1, one line each', () => {
    const dir = copyFolder(healthy);
    const file = join(dir, 'cdr-desk.sqlite');
    const pageSize = 4096;
    const pages = statSync(file).size / pageSize;
    const fd = openSync(file, 'r+');
    const junk = Buffer.alloc(pageSize, 0xa5);
    writeSync(fd, junk, 0, pageSize, Math.floor(pages / 2) * pageSize);
    closeSync(fd);
    const r = doctor(dir);
    expect(r.status).toBe(1);
    expect(r.report.ok).toBe(false);
    expect(r.report.integrity).not.toBe('ok');
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBe(r.report.problems.length);
    expect(lines.some((l) => /^cdr-desk doctor: integrity_check/.test(l))).toBe(true);
  });

  it('an orphan call (foreign key) and a newer schema are both reported', () => {
    const dir = copyFolder(healthy);
    const db = new BetterSqlite3(join(dir, 'cdr-desk.sqlite'));
    db.pragma('foreign_keys = OFF');
    db.exec("UPDATE cdrs SET account_id = 999 WHERE id = (SELECT min(id) FROM cdrs)");
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const r = doctor(dir);
    expect(r.status).toBe(1);
    // The call, and its count in both summary totals tables (their triggers moved it along).
    expect(r.report.foreignKeyViolations).toBe(3);
    expect(r.stderr).toContain('foreign_key_check: 3 row(s) point at missing parents');
    expect(r.stderr).toContain(`schema version ${SCHEMA_VERSION + 1} is newer than this CDR Desk understands`);
  });

  it('a last sync error and missing secrets name the account', () => {
    const dir = copyFolder(healthy);
    const db = new BetterSqlite3(join(dir, 'cdr-desk.sqlite'));
    db.prepare("UPDATE accounts SET last_error = 'HTTP 401: token refused' WHERE name = 'Pune Voice'").run();
    db.close();
    const r0 = doctor(dir);
    expect(r0.status).toBe(1);
    expect(r0.stderr.trim().split('\n')).toEqual(['cdr-desk doctor: account "Pune Voice": last sync failed: HTTP 401: token refused']);
    expect(r0.report.accounts.find((a: { name: string }) => a.name === 'Pune Voice').lastError).toBe('HTTP 401: token refused');
    unlinkSync(join(dir, 'secrets.json'));
    const r1 = doctor(dir);
    expect(r1.status).toBe(1);
    expect(r1.stderr).toContain('cdr-desk doctor: account "Tehran Dialer": its secrets are in no secret store');
    expect(r1.report.secretStore).toBe('none yet (no secrets stored)');
  });

  it('no database: one line, exit 1', () => {
    const r = doctor(tempDir());
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^cdr-desk doctor: no database at .*cdr-desk\.sqlite\n$/);
  });
});
