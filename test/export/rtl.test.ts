// An XLSX exported from the Persian UI (or with `cdr-desk export --rtl`) lays every sheet out right to left; read
// back with openpyxl (sheet_view.rightToLeft). Without the option the sheets stay left to right.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportCalls } from '../../electron/data/export/run.ts';
import { runCliAsync } from '../helpers/run-cli.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { fixture, TRICKY, type Fixture } from './fixture.ts';
import { openpyxlMissing, readXlsx } from './readers.ts';

const keyFile = isolatedKeyFile();

describe.skipIf(openpyxlMissing)(`right-to-left XLSX${openpyxlMissing ? ` (skipped: ${openpyxlMissing})` : ''}`, () => {
  let f: Fixture;
  const out = tempDir();
  beforeAll(async () => {
    f = await fixture('Tehran PBX', 'Asia/Tehran', TRICKY);
    return () => f.ws.close();
  });

  it('rightToLeft sets every sheet (calls, and the summary) right to left; the default does not', async () => {
    const rtl = join(out, 'rtl.xlsx');
    const ltr = join(out, 'ltr.xlsx');
    // Two calls per sheet: the calls split over several sheets, each of which must carry the flag.
    await exportCalls(f.ws, { account: 'Tehran PBX', format: 'xlsx', out: rtl, rightToLeft: true, maxRowsPerSheet: 3 });
    await exportCalls(f.ws, { account: 'Tehran PBX', format: 'xlsx', out: ltr });
    const sheets = readXlsx(rtl).sheets;
    expect(sheets.map((s) => s.name)).toEqual(['Calls', 'Calls (2)', 'Calls (3)', 'Calls (4)', 'Summary']);
    expect(sheets.map((s) => s.rtl)).toEqual([true, true, true, true, true]);
    expect(sheets[0]!.freeze).toBe('A2'); // the frozen header row is still there
    expect(readXlsx(ltr).sheets.map((s) => s.rtl)).toEqual([false, false]);
  });

  it('cdr-desk export --rtl writes a right-to-left workbook, and refuses --rtl for CSV', async () => {
    const file = join(out, 'cli.xlsx');
    const env = { CDR_DESK_KEY_FILE: keyFile };
    f.ws.close();
    const r = await runCliAsync(['--data-dir', f.dir, 'export', '--account', 'Tehran PBX', '--format', 'xlsx', '--out', file, '--rtl'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(readXlsx(file).sheets.map((s) => [s.name, s.rtl])).toEqual([['Calls', true], ['Summary', true]]);
    const csv = await runCliAsync(['--data-dir', f.dir, 'export', '--account', 'Tehran PBX', '--format', 'csv', '--out', join(out, 'x.csv'), '--rtl'], env);
    expect(csv.status).not.toBe(0);
    expect(csv.stderr).toMatch(/--rtl applies to XLSX only/);
    expect(existsSync(join(out, 'x.csv'))).toBe(false);
  });
});
