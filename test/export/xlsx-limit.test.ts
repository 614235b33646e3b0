// The sheet split at Excel's real limit (xlsx.test.ts checks it with readers on a lowered one): 1,048,580 rows of
// one column, written by writeXlsx and read back from the package with Python's zipfile (openpyxl would need
// minutes for a million rows). A few seconds.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectColumns } from '../../electron/data/export/columns.ts';
import type { ExportRow } from '../../electron/data/export/rows.ts';
import { WallClock } from '../../electron/data/export/wall-clock.ts';
import { EXCEL_MAX_ROWS, writeXlsx } from '../../electron/data/export/xlsx.ts';
import { tempDir } from '../helpers/tmp.ts';
import { writeFile } from './write-file.ts';

const PYTHON = '/usr/bin/python3';
const pythonMissing = existsSync(PYTHON) ? '' : ` (skipped: ${PYTHON} is not installed)`;
// Per sheet: its name, how many rows, the first and last row number, the text of the first cell of the first
// two and the last row, and the autofilter range.
const READ_SHEETS = String.raw`
import json, re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = re.findall(r'<sheet name="([^"]+)"', z.read('xl/workbook.xml').decode())
out = []
for i, name in enumerate(names):
    xml = z.read(f'xl/worksheets/sheet{i + 1}.xml').decode()
    starts = [m.start() for m in re.finditer(r'<row r="', xml[:2000])]
    last = xml.rfind('<row r="')
    first_text = lambda at: re.search(r'<t>([^<]*)</t>', xml[at:]).group(1)
    out.append({
        'name': name, 'rows': xml.count('<row '),
        'first': int(re.match(r'<row r="(\d+)"', xml[starts[0]:]).group(1)), 'last': int(re.match(r'<row r="(\d+)"', xml[last:]).group(1)),
        'texts': [first_text(starts[0]), first_text(starts[1]), first_text(last)],
        'filter': re.search(r'<autoFilter ref="([^"]+)"', xml).group(1),
    })
print(json.dumps(out))
`;

describe.skipIf(pythonMissing)(`XLSX export at Excel's row limit${pythonMissing}`, () => {
  it('fills "Calls" to 1,048,576 rows with the header, then continues on "Calls (2)" with the header again', async () => {
    const extra = 4;
    const count = EXCEL_MAX_ROWS - 1 + extra;
    function* rows(): Generator<ExportRow> {
      for (let i = 0; i < count; i++) yield [`c${i}`];
    }
    const file = join(tempDir(), 'limit.xlsx');
    const result = await writeFile(file, (o) => writeXlsx(o, rows(), { columns: selectColumns(['Call ID']), clock: new WallClock('UTC') }));
    expect(result).toEqual({ rows: count, sheets: ['Calls', 'Calls (2)'] });
    const sheets = JSON.parse(execFileSync(PYTHON, ['-c', READ_SHEETS, file], { encoding: 'utf8' })) as unknown[];
    expect(sheets).toEqual([
      { name: 'Calls', rows: EXCEL_MAX_ROWS, first: 1, last: EXCEL_MAX_ROWS, texts: ['Call ID', 'c0', `c${EXCEL_MAX_ROWS - 2}`], filter: `A1:A${EXCEL_MAX_ROWS}` },
      { name: 'Calls (2)', rows: extra + 1, first: 1, last: extra + 1, texts: ['Call ID', `c${EXCEL_MAX_ROWS - 1}`, `c${count - 1}`], filter: `A1:A${extra + 1}` },
    ]);
  }, 60_000);
});
