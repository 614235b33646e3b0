// `cdr-desk export` killed with SIGKILL midway (a real process over a real SQLite cache big enough to take a
// while): nothing appears under the chosen name (at most a .part file is left), the database is intact, and the
// same export run again succeeds with every row.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../electron/data/workspace.ts';
import { addSyntheticAccount, SYNTHETIC_ACCOUNTS, syntheticCdrs, writeSynthetic } from '../helpers/synthetic.ts';
import { runCliAsync } from '../helpers/run-cli.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const ROWS = 120_000;
const account = SYNTHETIC_ACCOUNTS.find((a) => a.provider === 'pbx-cdr')!;

interface Outcome { status: number | null; signal: NodeJS.Signals | null; stderr: string; partSeen: number }

/**
 * Runs an export; when `killAtBytes` is set, watches the folder and sends SIGKILL as soon as the .part file holds
 * at least that many bytes (i.e. the export is demonstrably midway).
 */
async function exportRun(dataDir: string, env: NodeJS.ProcessEnv, out: string, format: string, killAtBytes?: number): Promise<Outcome> {
  let partSeen = 0;
  const partReached = (): boolean => {
    const dir = join(out, '..');
    for (const f of readdirSync(dir)) {
      if (!f.endsWith('.part')) continue;
      try {
        partSeen = Math.max(partSeen, statSync(join(dir, f)).size);
      } catch { /* renamed away meanwhile */ }
    }
    return partSeen >= killAtBytes!;
  };
  const args = ['--data-dir', dataDir, 'export', '--account', account.name, '--format', format, '--out', out];
  const { status, signal, stderr } = await runCliAsync(args, env, killAtBytes === undefined ? {} : { killWhen: partReached });
  return { status, signal, stderr, partSeen };
}

describe('cdr-desk export killed with SIGKILL midway', { timeout: 300_000 }, () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    env = { ...process.env, CDR_DESK_KEY_FILE: isolatedKeyFile() };
    dataDir = tempDir();
    const ws = openWorkspace(dataDir);
    const id = await addSyntheticAccount(ws, account);
    writeSynthetic(ws, id, syntheticCdrs({ script: account.script, timezone: account.timezone, count: ROWS, seed: 9, from: Date.UTC(2026, 8, 1), to: Date.UTC(2026, 10, 1) }), 20_000);
    ws.db.pragma('wal_checkpoint(TRUNCATE)');
    ws.close();
  }, 240_000);

  for (const [format, killAt] of [['csv', 2 << 20], ['xlsx', 1 << 20]] as const) {
    it(`${format}: no file under the chosen name, only a .part; database intact; a re-run succeeds`, async () => {
      const outDir = tempDir();
      const out = join(outDir, `calls.${format}`);
      const killed = await exportRun(dataDir, env, out, format, killAt);
      expect(killed.signal, `the export finished before it could be killed (${killed.stderr})`).toBe('SIGKILL');
      expect(killed.partSeen).toBeGreaterThanOrEqual(killAt);
      expect(existsSync(out)).toBe(false);
      const left = readdirSync(outDir);
      expect(left.length).toBeLessThanOrEqual(1);
      for (const f of left) expect(f).toMatch(new RegExp(`^\\.calls\\.${format}\\.\\d+-[0-9a-f]+\\.part$`));

      const db = new BetterSqlite3(join(dataDir, 'cdr-desk.sqlite'));
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT count(*) FROM cdrs').pluck().get()).toBe(ROWS);
      db.close();

      const again = await exportRun(dataDir, env, out, format);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stderr).toMatch(new RegExp(`^exported ${ROWS} calls of account "${account.name}"`));
      expect(existsSync(out)).toBe(true);
      if (format === 'csv') {
        const lines = readFileSync(out, 'utf8').split('\r\n').filter((l) => l !== '');
        expect(lines.length).toBe(ROWS + 1); // header + every row
      } else {
        expect(readFileSync(out).subarray(0, 2).toString('latin1')).toBe('PK');
      }
      expect(readdirSync(outDir).filter((f) => f.endsWith('.part') && !left.includes(f))).toEqual([]); // the re-run left none of its own
    });
  }
});
