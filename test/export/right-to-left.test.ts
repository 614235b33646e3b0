// An XLSX exported from the Persian UI opens right to left (every sheet), read back by openpyxl; others do not.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCalls } from '../../electron/data/export/run.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { fixture, TRICKY, type Fixture } from './fixture.ts';
import { openpyxlMissing } from './readers.ts';

/** Each sheet's name and whether its view reads right to left, as openpyxl sees them. */
function sheetDirections(file: string): [string, boolean][] {
  const py = 'import json, sys, openpyxl\nb = openpyxl.load_workbook(sys.argv[1])\nprint(json.dumps([[s.title, bool(s.sheet_view.rightToLeft)] for s in b.worksheets]))';
  const r = spawnSync('/usr/bin/python3', ['-c', py, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as [string, boolean][];
}

describe.skipIf(openpyxlMissing)(`XLSX right to left${openpyxlMissing ? ` (skipped: ${openpyxlMissing})` : ''}`, () => {
  let f: Fixture;
  const out = tempDir();
  beforeAll(async () => {
    isolatedKeyFile();
    f = await fixture('تهران', 'Asia/Tehran', TRICKY);
  });
  afterAll(() => f.ws.close());

  it('sets every sheet right to left when asked, and none otherwise', async () => {
    const rtl = join(out, 'fa.xlsx');
    const ltr = join(out, 'en.xlsx');
    await exportCalls(f.ws, { account: 'تهران', format: 'xlsx', out: rtl, rightToLeft: true, maxRowsPerSheet: 4 });
    await exportCalls(f.ws, { account: 'تهران', format: 'xlsx', out: ltr });
    expect(sheetDirections(rtl)).toEqual([['Calls', true], ['Calls (2)', true], ['Calls (3)', true], ['Summary', true]]);
    expect(sheetDirections(ltr)).toEqual([['Calls', false], ['Summary', false]]);
  });
});
