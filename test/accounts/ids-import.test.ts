// Call-id import: text, CSV and XLSX files as users have them (headers or not, numbers in cells, duplicates).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseIdsText, readIdsFile } from '../../electron/data/accounts/ids-import.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir('cdr-desk-ids-');
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

describe('parseIdsText', () => {
  it('one id per line: trimmed, blanks and duplicates dropped, order kept', () => {
    expect(parseIdsText('\uFEFF 5950_3_10-u1 \r\n\r\nabcd\n5950_3_10-u1\n\t5950_4_10-u1\n')).toEqual(['5950_3_10-u1', 'abcd', '5950_4_10-u1']);
    expect(parseIdsText('')).toEqual([]);
    expect(parseIdsText('\n \n')).toEqual([]);
  });

  it('a pasted comma or semicolon list on one line', () => {
    expect(parseIdsText('a1, b2 ,c3,,a1')).toEqual(['a1', 'b2', 'c3']);
    expect(parseIdsText('a1;b2')).toEqual(['a1', 'b2']);
  });

  it('a CSV: the id column is found by its header, whatever its case and spelling', () => {
    const csv = 'phone,Call ID,campaign_id\n0987654321,1_1_1_5_x_0987654321,7\n"0911,222",1_1_1_5_y_0911222,7\n,,\n0911,1_1_1_5_x_0987654321,7\n';
    expect(parseIdsText(csv)).toEqual(['1_1_1_5_x_0987654321', '1_1_1_5_y_0911222']);
    expect(parseIdsText('name;UniqueID\nRavi;5950_3_10-u1\nAsha;5950_4_10-u1\n')).toEqual(['5950_3_10-u1', '5950_4_10-u1']);
    expect(parseIdsText('x\tid\n1\tq-1\n2\tq-2\n')).toEqual(['q-1', 'q-2']);
    expect(parseIdsText('number,unique_id,call_id\n1,u,c\n')).toEqual(['c']); // call_id ranks first
  });

  it('a CSV without a known header: the first column, all rows', () => {
    expect(parseIdsText('5950_3_10-u1,Answered\n5950_4_10-u1,Busy\n')).toEqual(['5950_3_10-u1', '5950_4_10-u1']);
  });

  it('a one-column CSV with only its header, and quoted ids', () => {
    expect(parseIdsText('call_id\n')).toEqual([]);
    expect(parseIdsText('callid\n"a-1"\n"a-2"\n')).toEqual(['a-1', 'a-2']);
  });
});

describe('readIdsFile', () => {
  it('reads a text and a CSV file', async () => {
    expect(await readIdsFile(file('ids.txt', 'k1\nk2\nk1\n'))).toEqual(['k1', 'k2']);
    expect(await readIdsFile(file('ids.csv', 'unique_id,report\r\nk3,Answered\r\nk4,Busy\r\n'))).toEqual(['k3', 'k4']);
  });

  it('reads UTF-16 text as Excel saves "Unicode text"', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Call ID\tName\r\nv-1\tNguyễn Văn A\r\n', 'utf16le')]);
    expect(await readIdsFile(file('ids-utf16.txt', utf16))).toEqual(['v-1']);
  });

  it('reads an XLSX: header column, numbers without lost digits, rich text and formula results', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Empty');
    const sheet = book.addWorksheet('Calls');
    sheet.addRow(['Phone', 'Unique ID', 'Status']);
    sheet.addRow(['0987654321', 84987654321, 'ANSWERED']);
    sheet.addRow(['x', 9007199254740991, 'BUSY']);
    sheet.addRow(['x', 1710401324.5, 'BUSY']);
    sheet.addRow(['x', { richText: [{ text: '5950_' }, { font: { bold: true }, text: '3_10-u1' }] }, '']);
    sheet.addRow(['x', { formula: '"59"&"50_4_10-u1"', result: '5950_4_10-u1' }, '']);
    sheet.addRow(['x', null, '']);
    sheet.addRow(['x', '  84987654321 ', '']);
    const p = join(dir, 'ids.xlsx');
    await book.xlsx.writeFile(p);
    expect(await readIdsFile(p)).toEqual(['84987654321', '9007199254740991', '1710401324.5', '5950_3_10-u1', '5950_4_10-u1']);
  });

  it('an XLSX without a known header takes the first column', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Sheet1');
    sheet.addRow([123456789012, 'a']);
    sheet.addRow(['abc', 'b']);
    const p = join(dir, 'plain.xlsx');
    await book.xlsx.writeFile(p);
    expect(await readIdsFile(p)).toEqual(['123456789012', 'abc']);
  });

  it.skipIf(!existsSync('/usr/bin/soffice'))('reads an XLSX written by LibreOffice (numeric ids stored as numbers)', async () => {
    const out = join(dir, 'lo');
    mkdirSync(out, { recursive: true });
    const csv = file('lo-src.csv', 'callid,phone\n12345678901234,0912\n1710401324,0913\nabc-1,0914\n');
    execFileSync('/usr/bin/soffice', ['--headless', `-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--convert-to', 'xlsx', '--outdir', out, csv], {
      stdio: 'ignore',
      timeout: 120_000,
    });
    expect(await readIdsFile(join(out, 'lo-src.xlsx'))).toEqual(['12345678901234', '1710401324', 'abc-1']);
  }, 130_000);

  it('clear errors: missing file, a folder, an empty file, a broken XLSX, an old .xls', async () => {
    await expect(readIdsFile(join(dir, 'nope.csv'))).rejects.toThrow(/^cannot read ids file .*nope\.csv: no such file$/);
    await expect(readIdsFile(dir)).rejects.toThrow(/cannot read ids file .*: it is a folder/);
    await expect(readIdsFile(file('empty.txt', '\n  \n'))).rejects.toThrow(/ids file .*empty\.txt holds no call ids/);
    await expect(readIdsFile(file('header-only.csv', 'call_id\n'))).rejects.toThrow(/holds no call ids/);
    await expect(readIdsFile(file('bad.xlsx', 'not a workbook'))).rejects.toThrow(/bad\.xlsx is not a readable XLSX workbook/);
    await expect(readIdsFile(file('torn.xlsx', Buffer.from('PK\u0003\u0004garbage')))).rejects.toThrow(/torn\.xlsx is not a readable XLSX workbook/);
    await expect(readIdsFile(file('old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0])))).rejects.toThrow(/old Excel \.xls file; save it as \.xlsx or \.csv/);
  });
});
