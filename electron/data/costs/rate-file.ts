// Reading a rate card from a CSV or XLSX file into rows with their line numbers, and writing one back as CSV
// (the same columns, so an exported card can be edited and imported again).
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { RateCardView } from '../../shared/costs.ts';
import { UserError } from '../errors.ts';
import { RATE_COLUMNS, ratesFromTable, type Rate, type TableRow } from './rates.ts';

/** A cell as text: numbers as written (Excel keeps 0.0125 as that double, whose shortest text is "0.0125"). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if (value instanceof Date) {
    // Dates typed in a sheet are wall times stored as if UTC.
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('text' in value) return String(value.text);
  return '';
}

async function xlsxTable(data: Buffer, path: string, account: string): Promise<TableRow[]> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(data as unknown as ArrayBuffer);
  } catch (err) {
    throw new UserError(`rate file ${path} is not a readable XLSX workbook (${(err as Error).message}); nothing was changed`, account);
  }
  const sheet = book.worksheets.find((s) => s.actualRowCount > 0);
  const rows: TableRow[] = [];
  sheet?.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    rows.push({ line: row.number, cells });
  });
  return rows;
}

function csvTable(text: string, path: string, account: string): TableRow[] {
  const body = text.replace(/^\uFEFF/, '');
  const first = body.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const delimiter = [',', ';', '\t'].map((d) => [d, first.split(d).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
  try {
    const records = parseCsv(body, { delimiter, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as
      { record: string[]; info: { lines: number } }[];
    return records.map((r) => ({ line: r.info.lines, cells: r.record }));
  } catch (err) {
    throw new UserError(`rate file ${path} is not valid CSV (${(err as Error).message}); nothing was changed`, account);
  }
}

/** The rates in a CSV or XLSX file, every row checked (the first bad one throws, naming its line). */
export async function readRatesFile(path: string, account: string): Promise<Rate[]> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read rate file ${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`, account);
  }
  const zip = data.length > 3 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;
  if (!zip && extname(path).toLowerCase() === '.xlsx') throw new UserError(`rate file ${path} is not a readable XLSX workbook (not a zip package)`, account);
  const rows = zip ? await xlsxTable(data, path, account) : csvTable(data.toString('utf8'), path, account);
  return ratesFromTable(rows, account, path);
}

/** The rates in pasted CSV text. */
export function readRatesText(text: string, account: string): Rate[] {
  return ratesFromTable(csvTable(text, 'pasted text', account), account, 'pasted text');
}

/** The card as a CSV file readRatesFile reads back (UTF-8, header row, RFC 4180). */
export function ratesCsv(card: RateCardView): string {
  return stringify([
    [...RATE_COLUMNS],
    ...card.rates.map((r) => [r.prefix, r.perMinute, r.increment, r.connectFee, r.minSeconds ?? '', r.effectiveFrom]),
  ]);
}
