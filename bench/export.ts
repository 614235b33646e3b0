// Export benchmark (not part of npm test): `node bench/export.ts [DIR] [--rows N] [--libs]`.
// One account holding N synthetic calls (default 1,000,000) in a real SQLite file under DIR (built once, reused),
// exported to CSV and XLSX by exportCalls, each in a fresh child process so its peak memory (getrusage maxRSS)
// is its own; the floor is the sqlite3 shell's own CSV dump of the same rows and columns.
// --libs also times the libraries we chose not to use (csv-stringify on all rows; exceljs's streaming
// WorkbookWriter on 200,000 rows) over the same rows. Targets: CSV < 5 s and within 2x of sqlite3; XLSX < 30 s;
// peak RSS < 300 MB.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { exportCalls } from '../electron/data/export/run.ts';
import { iterateRows } from '../electron/data/search.ts';
import { openWorkspace } from '../electron/data/workspace.ts';
import { addSyntheticAccount, SYNTHETIC_ACCOUNTS, syntheticCdrs, writeSynthetic } from '../test/helpers/synthetic.ts';

const ACCOUNT = SYNTHETIC_ACCOUNTS.find((a) => a.name === 'Bucharest PBX')!; // a zone with DST, Romanian names
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };

interface Measure { label: string; seconds: number; cpuSeconds: number; maxRssMB: number | null; bytes: number; rows?: number }

/** Child mode: one export (or one library run), reporting time and its own peak RSS as JSON. */
async function child(kind: string, dir: string, out: string): Promise<void> {
  const ws = openWorkspace(dir);
  const t = performance.now();
  let rows = 0;
  if (kind === 'read') {
    // The rows alone, as iterateRows hands them to the writers: what SQLite and better-sqlite3 cost by themselves.
    for (const r of iterateRows(ws, { accounts: [ACCOUNT.name] })) if (r.call_id) rows++;
  } else if (kind === 'csv' || kind === 'xlsx') {
    rows = (await exportCalls(ws, { account: ACCOUNT.name, format: kind, out, overwrite: true })).rows;
  } else if (kind === 'csv-stringify') {
    const { stringify } = await import('csv-stringify');
    const { createWriteStream } = await import('node:fs');
    const s = stringify({ record_delimiter: 'windows', bom: true });
    const file = createWriteStream(out);
    s.pipe(file);
    for (const r of iterateRows(ws, { accounts: [ACCOUNT.name] })) {
      rows++;
      const ok = s.write([r.call_id, r.account_name, r.campaign, r.direction, r.source, r.destination, r.status, r.provider_status,
        r.started_at, r.answered_at, r.ended_at, r.duration_sec, r.bill_sec, r.keypress, r.agent, r.recording]);
      if (!ok) await new Promise((res) => s.once('drain', res));
    }
    s.end();
    await new Promise<void>((res) => file.on('finish', () => res()));
  } else if (kind === 'exceljs') {
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useStyles: true, useSharedStrings: false });
    const sheet = wb.addWorksheet('Calls', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = Array.from({ length: 16 }, (_, i) => ({ header: `c${i}`, width: 16, style: i >= 8 && i <= 10 ? { numFmt: 'yyyy-mm-dd hh:mm:ss' } : {} }));
    const limit = Number(option('--limit') ?? 200_000);
    for (const r of iterateRows(ws, { accounts: [ACCOUNT.name] })) {
      if (++rows > limit) { rows--; break; }
      const d = (ms: number | null) => (ms === null ? null : new Date(ms));
      sheet.addRow([r.call_id, r.account_name, r.campaign, r.direction, r.source, r.destination, r.status, r.provider_status,
        d(r.started_at), d(r.answered_at), d(r.ended_at), r.duration_sec, r.bill_sec, r.keypress, r.agent, r.recording]).commit();
      if (rows % 5000 === 0) await new Promise((res) => setImmediate(res));
    }
    sheet.commit();
    await wb.commit();
  }
  const seconds = (performance.now() - t) / 1000;
  ws.close();
  const cpu = process.cpuUsage();
  process.stdout.write(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024, rows }));
}

function runChild(label: string, kind: string, dir: string, out: string, extra: string[] = []): Measure {
  const r = spawnSync(process.execPath, [import.meta.filename, '--child', kind, dir, out, ...extra], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${label} failed: ${r.stderr}`);
  const m = JSON.parse(r.stdout) as { seconds: number; cpuSeconds: number; maxRssMB: number; rows: number };
  return { label, ...m, bytes: statSync(out).size };
}

/** The sqlite3 shell dumping the same rows and columns as CSV (times as text, in SQL): the floor. */
function sqliteFloor(dir: string, out: string, accountId: number): Measure {
  const sql = `SELECT c.call_id, a.name, c.campaign, c.direction, c.source, c.destination, c.status, c.provider_status,
    datetime(c.started_at / 1000, 'unixepoch'), datetime(c.answered_at / 1000, 'unixepoch'), datetime(c.ended_at / 1000, 'unixepoch'),
    c.duration_sec, c.bill_sec, c.keypress, c.agent, c.recording
    FROM cdrs c JOIN accounts a ON a.id = c.account_id WHERE c.account_id = ${accountId} ORDER BY c.started_at DESC, c.id DESC`;
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', 'sh', '-c', `sqlite3 -csv -header "$1" "$2" > "$3"`, 'sh', join(dir, 'cdr-desk.sqlite'), sql, out], { encoding: 'utf8' });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  const [kb, user, sys] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number, number];
  return { label: 'sqlite3 -csv (floor)', seconds, cpuSeconds: user + sys, maxRssMB: Number.isFinite(kb) ? kb / 1024 : null, bytes: statSync(out).size };
}

async function main(): Promise<void> {
  const dir = args.find((a) => !a.startsWith('--') && a !== option('--rows')) ?? '/tmp/cdr-desk-export-bench';
  const count = Number(option('--rows') ?? 1_000_000);
  mkdirSync(dir, { recursive: true });
  process.env.CDR_DESK_KEY_FILE ??= join(dir, 'secret-store.key'); // placeholder secrets only
  const ws = openWorkspace(dir);
  let account = ws.accounts.find(ACCOUNT.name);
  if (!account) {
    const t = performance.now();
    console.error(`building ${count} synthetic calls for "${ACCOUNT.name}" in ${dir} ...`);
    const id = await addSyntheticAccount(ws, ACCOUNT);
    writeSynthetic(ws, id, syntheticCdrs({ script: ACCOUNT.script, timezone: ACCOUNT.timezone, count, from: Date.UTC(2024, 0, 1), to: Date.UTC(2025, 0, 1) }), 5000, true);
    ws.db.exec('ANALYZE');
    console.error(`built in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    account = ws.accounts.get(ACCOUNT.name);
  }
  const have = ws.db.prepare('SELECT count(*) FROM cdrs WHERE account_id = ?').pluck().get(account.id) as number;
  ws.db.pragma('wal_checkpoint(TRUNCATE)');
  ws.close();
  if (have !== count) throw new Error(`${dir} holds ${have} calls for ${ACCOUNT.name}, not ${count}; remove it or choose another folder`);

  const outDir = join(dir, 'out');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir);
  const results: Measure[] = [sqliteFloor(dir, join(outDir, 'floor.csv'), account.id)];
  results.push(runChild('rows only (iterateRows, no writing)', 'read', dir, join(outDir, 'floor.csv')));
  results.push(runChild('exportCalls csv', 'csv', dir, join(outDir, 'calls.csv')));
  results.push(runChild('exportCalls xlsx', 'xlsx', dir, join(outDir, 'calls.xlsx')));
  if (flag('--libs')) {
    results.push(runChild('csv-stringify (not used)', 'csv-stringify', dir, join(outDir, 'stringify.csv')));
    results.push(runChild('exceljs WorkbookWriter (not used)', 'exceljs', dir, join(outDir, 'exceljs.xlsx')));
  }
  console.log(`${count.toLocaleString('en-US')} calls, account "${ACCOUNT.name}" (${ACCOUNT.timezone}), node ${process.version}, ` +
    `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
  for (const m of results) {
    console.log(`${m.label.padEnd(36)} ${m.seconds.toFixed(2).padStart(7)} s (cpu ${m.cpuSeconds.toFixed(2).padStart(6)} s)  peak RSS ${m.maxRssMB === null ? '   ?' : m.maxRssMB.toFixed(0).padStart(4)} MB  ` +
      `${(m.bytes / 1e6).toFixed(1).padStart(6)} MB file${m.rows !== undefined ? `  ${m.rows.toLocaleString('en-US')} rows` : ''}`);
  }
  const [floor, , csv] = results as [Measure, Measure, Measure];
  console.log(`CSV/sqlite3 = ${(csv.seconds / floor.seconds).toFixed(2)}x (target < 2x, < 5 s); XLSX target < 30 s; peak RSS target < 300 MB`);
  if (!flag('--keep')) rmSync(outDir, { recursive: true, force: true });
}

if (args[0] === '--child') await child(args[1]!, args[2]!, args[3]!);
else if (existsSync('/usr/bin/sqlite3')) await main();
else throw new Error('the sqlite3 shell (/usr/bin/sqlite3) is needed for the floor figure');
