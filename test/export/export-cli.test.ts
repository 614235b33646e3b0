// `cdr-desk export` as scripts run it: a real process over a real data folder.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { fixture, TRICKY } from './fixture.ts';
import { openpyxlMissing, readXlsx } from './readers.ts';

describe('cdr-desk export', () => {
  const keyFile = isolatedKeyFile();
  const env = { CDR_DESK_KEY_FILE: keyFile };
  let dataDir: string;
  const out = tempDir();
  beforeAll(async () => {
    const f = await fixture('Hà Nội', 'Asia/Ho_Chi_Minh', TRICKY, 'tel4vn-v3');
    f.ws.close();
    dataDir = f.dir;
  });
  const cli = (...args: string[]) => runCli(['--data-dir', dataDir, 'export', ...args], env);

  it('writes a CSV of the filtered calls and prints the result as JSON', () => {
    const file = join(out, 'answered.csv');
    const r = cli('--account', 'Hà Nội', '--format', 'csv', '--out', file, '--status', 'answered', '--sort', 'callId', '--separator', ';', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const answered = TRICKY.filter((c) => c.status === 'answered');
    expect(JSON.parse(r.stdout)).toEqual({ rows: answered.length, file, sheets: [] });
    const rows = parse(readFileSync(file), { bom: true, delimiter: ';' }) as string[][];
    expect(rows.slice(1).map((x) => x[0]!.replace(/^'/, ''))).toEqual(answered.map((c) => c.callId).sort());
    expect(rows[1]![1]).toBe('Hà Nội');
  });

  it.skipIf(openpyxlMissing)(`writes an XLSX with the Calls and Summary sheets${openpyxlMissing ? ` (skipped: ${openpyxlMissing})` : ''}`, () => {
    const file = join(out, 'all.xlsx');
    const r = cli('--account', 'Hà Nội', '--out', file, '--format', 'xlsx', '--tz', 'UTC');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`exported ${TRICKY.length} calls of account "Hà Nội" to ${file} (sheets: Calls, Summary)\n`);
    const book = readXlsx(file);
    expect(book.sheets.map((s) => [s.name, s.rows.length])).toEqual([['Calls', TRICKY.length + 1], ['Summary', 7]]);
    const persian = book.sheets[0]!.rows.find((row) => row[0]!.v === '000123')!;
    expect(persian[8]!.v).toBe('2024-10-25 06:00:12.000000');
  });

  it('refuses an existing file unless --overwrite, with one line naming the account', () => {
    const file = join(out, 'kept.csv');
    writeFileSync(file, 'keep me');
    const r = cli('--account', 'Hà Nội', '--format', 'csv', '--out', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`cdr-desk: account "Hà Nội": "${file}" already exists (ask to overwrite it, e.g. --overwrite)\n`);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    expect(cli('--account', 'Hà Nội', '--format', 'csv', '--out', file, '--overwrite').status).toBe(0);
    expect(readFileSync(file, 'utf8').startsWith('\uFEFFCall ID,')).toBe(true);
  });

  it('fails clearly on an unknown account or an unwritable path, and exits 2 on usage mistakes', () => {
    const unknown = cli('--account', 'Nope', '--format', 'csv', '--out', join(out, 'n.csv'));
    expect([unknown.status, unknown.stderr]).toEqual([1, 'cdr-desk: account "Nope": no such account\n']);
    const bad = cli('--account', 'Hà Nội', '--format', 'csv', '--out', join(out, 'no-such-folder', 'x.csv'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^cdr-desk: account "Hà Nội": cannot write ".*x\.csv": the folder ".*no-such-folder" does not exist\n$/);
    expect(cli('--format', 'csv', '--out', join(out, 'y.csv')).status).toBe(2);
    expect(cli('--account', 'Hà Nội', '--format', 'pdf', '--out', join(out, 'y.pdf')).status).toBe(2);
    expect(cli('--account', 'Hà Nội', '--format', 'xlsx', '--separator', ';', '--out', join(out, 'y.xlsx')).status).toBe(2);
    expect(cli('--account', 'Hà Nội', '--format', 'csv', '--separator', '|', '--out', join(out, 'y.csv')).status).toBe(2);
  });
});
