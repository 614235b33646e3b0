// Call ids a user supplies for the by-id providers (sarv-voice, voiceotp-v2): a text list, a CSV or an XLSX
// column. The id column is found by its header; without one, the first column is taken.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { UserError } from '../errors.ts';

/** Header names (lower case, letters and digits only) that name an id column, best first. */
const ID_HEADERS = ['callid', 'uniqueid', 'id', 'calluuid', 'cdrid', 'uuid', 'uniqueids', 'callids', 'ids'];

/** Trimmed, non-blank, first occurrence kept, order kept. */
function cleanIds(values: Iterable<string>): string[] {
  const seen = new Set<string>();
  for (const v of values) {
    const id = v.trim();
    if (id && !seen.has(id)) seen.add(id);
  }
  return [...seen];
}

function headerIndex(row: readonly string[]): number {
  const names = row.map((c) => c.toLowerCase().replace(/[^a-z0-9]/g, ''));
  for (const h of ID_HEADERS) {
    const i = names.indexOf(h);
    if (i >= 0) return i;
  }
  return -1;
}

/** The id column of a table: under a known header (header row dropped), else the first column. */
function idColumn(rows: readonly (readonly string[])[]): string[] {
  const first = rows[0];
  if (!first) return [];
  const i = headerIndex(first);
  if (i >= 0) return rows.slice(1).map((r) => r[i] ?? '');
  return rows.map((r) => r[0] ?? '');
}

function delimiterOf(line: string): string | undefined {
  const counts = [',', ';', '\t'].map((d) => [d, line.split(d).length - 1] as const).filter(([, n]) => n > 0);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]?.[0];
}

/**
 * Ids from pasted text or a text/CSV file. One id per line; a delimited table (CSV, TSV, `;`) yields its id
 * column; a single delimited line ("a, b, c") is a list.
 */
export function parseIdsText(text: string): string[] {
  // One line ending throughout: pasted lists and hand-edited files often mix CRLF and LF.
  const body = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const first = body.split('\n').find((l) => l.trim() !== '');
  if (first === undefined) return [];
  const delimiter = delimiterOf(first);
  let rows: string[][];
  try {
    rows = parseCsv(body, { delimiter: delimiter ?? ',', relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    throw new UserError(`the id list is not a valid list or CSV (${(err as Error).message})`);
  }
  if (delimiter && rows.length === 1 && headerIndex(rows[0]!) < 0) return cleanIds(rows[0]!);
  return cleanIds(idColumn(rows));
}

/** A cell's text; numbers without losing digits (no exponent, no float noise for integers). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) || (Number.isInteger(value) && Math.abs(value) >= 1e21) ? BigInt(value).toString() : String(value);
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('text' in value) return String(value.text);
  if ('error' in value) return '';
  return String(value);
}

async function xlsxRows(data: Buffer, path: string): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(data as unknown as ArrayBuffer);
  } catch (err) {
    throw new UserError(`ids file ${path} is not a readable XLSX workbook (${(err as Error).message})`);
  }
  // The first sheet that holds anything: workbooks often keep an empty default sheet first.
  const sheet = book.worksheets.find((s) => s.actualRowCount > 0);
  if (!sheet) return [];
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    rows.push(cells);
  });
  return rows;
}

function decodeText(data: Buffer): string {
  if (data[0] === 0xff && data[1] === 0xfe) return data.subarray(2).toString('utf16le'); // Excel "Unicode text"
  return data.toString('utf8');
}

/** Ids from a text, CSV or XLSX file. Throws a UserError when the file cannot be read or holds no ids. */
export async function readIdsFile(path: string): Promise<string[]> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new UserError(`cannot read ids file ${path}: ${why}`);
  }
  const ext = extname(path).toLowerCase();
  const isZip = data.length > 3 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;
  let ids: string[];
  if (isZip) ids = cleanIds(idColumn(await xlsxRows(data, path)));
  else if (ext === '.xlsx') throw new UserError(`ids file ${path} is not a readable XLSX workbook (not a zip package)`);
  else if (ext === '.xls' || (data[0] === 0xd0 && data[1] === 0xcf)) {
    throw new UserError(`ids file ${path} is an old Excel .xls file; save it as .xlsx or .csv`);
  } else ids = parseIdsText(decodeText(data));
  if (ids.length === 0) throw new UserError(`ids file ${path} holds no call ids`);
  return ids;
}
