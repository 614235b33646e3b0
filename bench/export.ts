// Export benchmark (not part of npm test):
//   node bench/export.ts [DIR] [--rows N] [--order random|time] [--data-dir D --account NAME [--only-data-dir]]
//                        [--libs] [--keep] [--json FILE]
// DIR (default /tmp/cdr-desk-export-bench) holds one account with N synthetic calls (default 1,000,000) in a real
// SQLite file, built once and reused. --order random (default) inserts them in random time order, the worst case:
// reading in startedAt order then costs one random table lookup per row. --order time inserts them in time order,
// as a sync from a provider does.
// --data-dir D --account NAME also measures an existing data folder (e.g. the cache built by syncing from the
// provider simulators), not built or changed here; both cases are reported, that one first (--only-data-dir: that
// one alone). --json FILE also writes the figures as JSON (bench/run.ts reads them).
// Each export runs exportCalls in a fresh child process so its peak memory (getrusage maxRSS) is its own; the
// floor is the sqlite3 shell's own CSV dump of the same rows and columns.
// --libs also times the libraries we chose not to use (csv-stringify on all rows; exceljs's streaming
// WorkbookWriter on 200,000 rows) over the same rows. Targets: CSV < 5 s and within 2x of sqlite3; XLSX < 30 s;
// peak RSS < 300 MB.
import BetterSqlite3 from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { EXPORT_COLUMNS } from '../electron/data/export/columns.ts';
import { exportRows } from '../electron/data/export/rows.ts';
import { exportCalls } from '../electron/data/export/run.ts';
import { search } from '../electron/data/search/search.ts';
import { openWorkspace, type Workspace } from '../electron/data/workspace.ts';
import { addSyntheticAccount, SYNTHETIC_ACCOUNTS, syntheticCdrs, writeSynthetic, type SyntheticOptions } from '../test/helpers/synthetic.ts';
import type { NormalizedCdr } from '../electron/shared/cdr.ts';

const SYNTHETIC = SYNTHETIC_ACCOUNTS.find((a) => a.name === 'Bucharest PBX')!; // a zone with DST, Romanian names
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };

interface Measure { label: string; seconds: number; cpuSeconds: number; maxRssMB: number | null; bytes: number; rows?: number }
interface Case { title: string; dir: string; account: string }

/** Child mode: one export (or one library run), reporting time and its own peak RSS as JSON. */
async function child(kind: string, dir: string, account: string, out: string): Promise<void> {
  const ws = openWorkspace(dir);
  const t = performance.now();
  let rows = 0;
  // As exportCalls reads: a connection of its own (default page cache), the plan chosen knowing the count.
  const db = new BetterSqlite3(join(dir, 'cdr-desk.sqlite'), { readonly: true });
  const total = search(db, { filter: { accounts: [account] }, limit: 1 }).total;
  const each = () => exportRows(db, { accounts: [account] }, undefined, EXPORT_COLUMNS, { total });
  if (kind === 'read') {
    // The rows alone, as exportRows hands them to the writers: what SQLite and better-sqlite3 cost by themselves.
    for (const r of each()) if (r[0]) rows++;
  } else if (kind === 'csv' || kind === 'xlsx') {
    rows = (await exportCalls(ws, { account, format: kind, out, overwrite: true })).rows;
  } else if (kind === 'csv-stringify') {
    const { stringify } = await import('csv-stringify');
    const { createWriteStream } = await import('node:fs');
    const s = stringify({ record_delimiter: 'windows', bom: true });
    const file = createWriteStream(out);
    s.pipe(file);
    for (const r of each()) {
      rows++;
      if (!s.write(r)) await new Promise((res) => s.once('drain', res));
    }
    s.end();
    await new Promise<void>((res) => file.on('finish', () => res()));
  } else if (kind === 'exceljs') {
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useStyles: true, useSharedStrings: false });
    const sheet = wb.addWorksheet('Calls', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = EXPORT_COLUMNS.map((c) => ({ header: c.header, width: c.width, style: c.kind === 'time' ? { numFmt: 'yyyy-mm-dd hh:mm:ss' } : {} }));
    const limit = Number(option('--limit') ?? 200_000);
    for (const r of each()) {
      if (++rows > limit) { rows--; break; }
      sheet.addRow(r.map((v, i) => (EXPORT_COLUMNS[i]!.kind === 'time' && v !== null ? new Date(v as number) : v))).commit();
      if (rows % 5000 === 0) await new Promise((res) => setImmediate(res));
    }
    sheet.commit();
    await wb.commit();
  }
  const seconds = (performance.now() - t) / 1000;
  db.close();
  ws.close();
  const cpu = process.cpuUsage();
  process.stdout.write(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024, rows }));
}

function runChild(label: string, kind: string, c: Case, out: string, extra: string[] = []): Measure {
  const r = spawnSync(process.execPath, [import.meta.filename, '--child', kind, c.dir, c.account, out, ...extra], { encoding: 'utf8', maxBuffer: 1 << 20 });
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

/**
 * The synthetic calls in time order, for --order time: generated month by month (the generator is deterministic;
 * one pass per month keeps a month's rows, sorted), so memory holds one month, not a million calls.
 */
function* inTimeOrder(o: SyntheticOptions): Generator<NormalizedCdr> {
  // Months by UTC; the first and last also take the few calls the zone's offset puts before `from` or after `to`.
  const starts: number[] = [];
  for (const m = new Date(o.from); m.getTime() < o.to; m.setUTCMonth(m.getUTCMonth() + 1)) starts.push(m.getTime());
  for (const [i, start] of starts.entries()) {
    const from = i === 0 ? -Infinity : start;
    const to = i === starts.length - 1 ? Infinity : starts[i + 1]!;
    const month: NormalizedCdr[] = [];
    for (const c of syntheticCdrs(o)) if (c.startedAt! >= from && c.startedAt! < to) month.push(c);
    yield* month.sort((a, b) => a.startedAt! - b.startedAt!);
  }
}

/** The synthetic folder: built on first use, then reused as long as it holds `count` calls. */
async function syntheticCase(dir: string, count: number, order: string): Promise<Case> {
  mkdirSync(dir, { recursive: true });
  const ws = openWorkspace(dir);
  if (!ws.accounts.find(SYNTHETIC.name)) {
    const t = performance.now();
    console.error(`building ${count} synthetic calls for "${SYNTHETIC.name}" in ${dir}, in ${order} order ...`);
    const id = await addSyntheticAccount(ws, SYNTHETIC);
    const o: SyntheticOptions = { script: SYNTHETIC.script, timezone: SYNTHETIC.timezone, count, from: Date.UTC(2024, 0, 1), to: Date.UTC(2025, 0, 1) };
    writeSynthetic(ws, id, order === 'time' ? inTimeOrder(o) : syntheticCdrs(o), 5000);
    ws.db.exec('ANALYZE');
    console.error(`built in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
  const have = callsOf(ws, SYNTHETIC.name);
  ws.db.pragma('wal_checkpoint(TRUNCATE)'); // the sqlite3 shell then reads one file, as the export does
  ws.close();
  if (have !== count) throw new Error(`${dir} holds ${have} calls for ${SYNTHETIC.name}, not ${count}; remove it or choose another folder`);
  return { title: `synthetic, inserted in ${order === "time" ? "time" : "random time"} order (${dir})`, dir, account: SYNTHETIC.name };
}

function callsOf(ws: Workspace, account: string): number {
  return ws.db.prepare('SELECT count(*) FROM cdrs WHERE account_id = ?').pluck().get(ws.accounts.get(account).id) as number;
}

function measure(c: Case): { title: string; calls: number; measures: Measure[] } {
  const ws = openWorkspace(c.dir);
  const { id, timezone } = ws.accounts.get(c.account);
  const count = callsOf(ws, c.account);
  ws.close();
  const outDir = join(c.dir, 'out');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir);
  const results: Measure[] = [sqliteFloor(c.dir, join(outDir, 'floor.csv'), id)];
  results.push(runChild('rows only (exportRows, no writing)', 'read', c, join(outDir, 'floor.csv')));
  results.push(runChild('exportCalls csv', 'csv', c, join(outDir, 'calls.csv')));
  results.push(runChild('exportCalls xlsx', 'xlsx', c, join(outDir, 'calls.xlsx')));
  if (flag('--libs')) {
    results.push(runChild('csv-stringify (not used)', 'csv-stringify', c, join(outDir, 'stringify.csv')));
    results.push(runChild('exceljs WorkbookWriter (not used)', 'exceljs', c, join(outDir, 'exceljs.xlsx')));
  }
  console.log(`${c.title}: ${count.toLocaleString('en-US')} calls, account "${c.account}" (${timezone}), node ${process.version}, ` +
    `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
  for (const m of results) {
    console.log(`  ${m.label.padEnd(36)} ${m.seconds.toFixed(2).padStart(7)} s (cpu ${m.cpuSeconds.toFixed(2).padStart(6)} s)  peak RSS ${m.maxRssMB === null ? '   ?' : m.maxRssMB.toFixed(0).padStart(4)} MB  ` +
      `${(m.bytes / 1e6).toFixed(1).padStart(6)} MB file${m.rows !== undefined ? `  ${m.rows.toLocaleString('en-US')} rows` : ''}`);
  }
  const [floor, , csv] = results as [Measure, Measure, Measure];
  console.log(`  CSV/sqlite3 = ${(csv.seconds / floor.seconds).toFixed(2)}x wall, ${(csv.cpuSeconds / floor.cpuSeconds).toFixed(2)}x cpu ` +
    '(target < 2x, < 5 s); XLSX target < 30 s; peak RSS target < 300 MB');
  if (!flag('--keep')) rmSync(outDir, { recursive: true, force: true });
  return { title: c.title, calls: count, measures: results };
}

async function main(): Promise<void> {
  const values = new Set(['--rows', '--order', '--data-dir', '--account', '--limit', '--json'].map(option));
  const dir = args.find((a) => !a.startsWith('--') && !values.has(a)) ?? '/tmp/cdr-desk-export-bench';
  const order = option('--order') ?? 'random';
  if (order !== 'random' && order !== 'time') throw new Error(`--order is random or time, not ${order}`);
  const cases: Case[] = [];
  const dataDir = option('--data-dir');
  if (dataDir) {
    const account = option('--account');
    if (!account) throw new Error('--data-dir needs --account NAME');
    if (!existsSync(join(dataDir, 'cdr-desk.sqlite'))) throw new Error(`${dataDir} holds no cdr-desk.sqlite`);
    cases.push({ title: `existing data folder (${dataDir})`, dir: dataDir, account });
  }
  process.env.CDR_DESK_KEY_FILE ??= join(dir, 'secret-store.key'); // placeholder secrets only
  if (!flag('--only-data-dir')) cases.push(await syntheticCase(dir, Number(option('--rows') ?? 1_000_000), order));
  const measured = cases.map(measure);
  const json = option('--json');
  if (json) writeFileSync(json, JSON.stringify({ cases: measured }));
}

if (args[0] === '--child') await child(args[1]!, args[2]!, args[3]!, args[4]!);
else if (existsSync('/usr/bin/sqlite3')) await main();
else throw new Error('the sqlite3 shell (/usr/bin/sqlite3) is needed for the floor figure');
