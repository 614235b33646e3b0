// `cdr-desk export --rtl` lays every sheet out right to left, as an export from the Persian UI does
// (right-to-left.test.ts covers the writer); read back with openpyxl (sheet_view.rightToLeft).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/run-cli.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { fixture, TRICKY, type Fixture } from './fixture.ts';
import { openpyxlMissing, readXlsx } from './readers.ts';

const keyFile = isolatedKeyFile();

describe.skipIf(openpyxlMissing)(`cdr-desk export --rtl${openpyxlMissing ? ` (skipped: ${openpyxlMissing})` : ''}`, () => {
  let f: Fixture;
  const out = tempDir();
  beforeAll(async () => {
    f = await fixture('Tehran PBX', 'Asia/Tehran', TRICKY);
    return () => f.ws.close();
  });

  it('cdr-desk export --rtl writes a right-to-left workbook, and refuses --rtl for CSV', async () => {
    const file = join(out, 'cli.xlsx');
    const env = { CDR_DESK_KEY_FILE: keyFile };
    f.ws.close();
    const r = await runCliAsync(['--data-dir', f.dir, 'export', '--account', 'Tehran PBX', '--format', 'xlsx', '--out', file, '--rtl'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(readXlsx(file).sheets.map((s) => [s.name, s.rtl])).toEqual([['Calls', true], ['Summary', true]]);
    const plain = join(out, 'plain.xlsx');
    const p = await runCliAsync(['--data-dir', f.dir, 'export', '--account', 'Tehran PBX', '--format', 'xlsx', '--out', plain], env);
    expect(p.status, p.stderr).toBe(0);
    expect(readXlsx(plain).sheets.map((s) => s.rtl)).toEqual([false, false]);
    const csv = await runCliAsync(['--data-dir', f.dir, 'export', '--account', 'Tehran PBX', '--format', 'csv', '--out', join(out, 'x.csv'), '--rtl'], env);
    expect(csv.status).not.toBe(0);
    expect(csv.stderr).toMatch(/--rtl applies to XLSX only/);
    expect(existsSync(join(out, 'x.csv'))).toBe(false);
  });
});
