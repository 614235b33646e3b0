// XLSX export, streamed: rows go from the query into sheet XML and through deflate to the file without ever
// being held together, so memory stays flat at any row count. Ids and phone numbers are inline-string cells
// (leading zeros and + kept); texts that repeat (account, campaign, status, agent...) are shared-string cells, text
// just the same; times are date cells (serial numbers in yyyy-mm-dd hh:mm:ss) holding the wall time of the
// export's zone, seconds are numbers, and no cell is ever a formula. Header bold and frozen, an autofilter, fixed
// widths; a new "Calls (2)" sheet starts when a sheet reaches Excel's 1,048,576 rows.
// Written by hand over zip.ts rather than with exceljs's WorkbookWriter: exceljs needed 13 s for 200,000 rows on
// an idle core (about 65 s and 110 CPU-seconds per million; peak RSS 300-430 MB) against a target of 30 s and
// 300 MB; this writer: 12-17 CPU-seconds and 250-270 MB per million, reading included (bench/export.ts).
import type { ExportColumn } from './columns.ts';
import type { FileOut } from './file-out.ts';
import { RowLoop, type RowLoopHooks } from './progress.ts';
import type { ExportRow } from './rows.ts';
import { TextBuffer } from './text-buffer.ts';
import type { WallClock } from './wall-clock.ts';
import {
  columnLetter, contentTypesXml, numberCellXml, ROOT_RELS_XML, SHARED_STRINGS_PATH, SharedStrings, sharedCellXml, sheetEndXml,
  sheetPath, sheetStartXml, STYLE, stylesXml, textCellXml, workbookRelsXml, workbookXml, type SheetEntry,
} from './xlsx-parts.ts';
import { ZipWriter, type ZipEntry } from './zip.ts';

/** Excel's rows per sheet, header included. */
export const EXCEL_MAX_ROWS = 1_048_576;
/** Start a new sheet before its XML nears the 4 GiB a plain ZIP entry can hold. */
const SHEET_MAX_BYTES = 3_500_000_000;

export const CALLS_SHEET = 'Calls';

/** A small sheet written after the calls (the campaign summary). */
export interface SheetTable {
  name: string;
  columns: { header: string; width: number; kind: 'text' | 'number' | 'percent' | 'decimal' | 'money' }[];
  rows: (string | number | null)[][];
}

export interface XlsxOptions extends RowLoopHooks {
  columns: readonly ExportColumn[];
  clock: WallClock;
  /** Sheets to add after the calls, computed once the rows are written. */
  moreSheets?: () => SheetTable[];
  /** Rows per sheet, header included (tests lower it to see the split). */
  maxRowsPerSheet?: number;
  /** Distinct texts in the shared-string table (tests lower it to see the inline fallback). */
  maxSharedStrings?: number;
  /** Every sheet reads right to left (an export from the Persian UI). */
  rightToLeft?: boolean;
  /** Number format of amounts (costs/money.ts xlsxMoneyFormat: the export's currency). */
  moneyFormat?: string;
}

const TIME_CELL_START = `<c s="${STYLE.dateTime}"><v>`;

/** How a column is written: inline text, shared text, date cell, number. */
const CELL = { text: 0, shared: 1, time: 2, seconds: 3, money: 4 } as const;

/**
 * The XML of one row of calls. A cell names its position (r="C7") only after an empty cell was left out:
 * otherwise readers place it in the next column, and 15 references per row were a fifth of the sheet's bytes.
 */
function callRowXml(columns: readonly ExportColumn[], clock: WallClock, strings: SharedStrings): (row: ExportRow, r: number) => string {
  const kinds = columns.map((c) => (c.kind === 'time' ? CELL.time : c.kind === 'seconds' ? CELL.seconds : c.kind === 'money' ? CELL.money : c.repeats ? CELL.shared : CELL.text));
  const letters = columns.map((_, i) => columnLetter(i));
  // The XML of a shared text's cell in the column after the previous one, made once per text.
  const sharedCells: string[] = [];
  return (row, r) => {
    let xml = '<row r="' + r + '">';
    let skipped = false;
    for (let i = 0; i < kinds.length; i++) {
      const v = row[i]!;
      if (v === null || v === '') {
        skipped = true;
        continue;
      }
      const ref = skipped ? letters[i]! + r : '';
      skipped = false;
      switch (kinds[i]) {
        case CELL.time: xml += (ref ? `<c r="${ref}" s="${STYLE.dateTime}"><v>` : TIME_CELL_START) + clock.excelSerialText(v as number) + '</v></c>'; break;
        case CELL.seconds: xml += numberCellXml(ref, v as number); break;
        case CELL.money: xml += numberCellXml(ref, v as number, STYLE.money); break;
        case CELL.shared: {
          const at = strings.indexOf(v as string);
          if (at < 0) xml += textCellXml(ref, v as string, STYLE.text);
          else xml += ref ? sharedCellXml(ref, at, STYLE.text) : (sharedCells[at] ??= sharedCellXml('', at, STYLE.text));
          break;
        }
        default: xml += textCellXml(ref, v as string, STYLE.text);
      }
    }
    return xml + '</row>';
  };
}

function headerXml(headers: readonly string[]): string {
  return '<row r="1">' + headers.map((h, i) => textCellXml(columnLetter(i) + '1', h, STYLE.header)).join('') + '</row>';
}

/** One sheet being streamed: its zip entry, its XML buffer and its row count. */
class OpenSheet {
  readonly entry: SheetEntry;
  readonly zip: ZipEntry;
  readonly text: TextBuffer;

  constructor(name: string, lastColumn: string, zip: ZipEntry) {
    this.entry = { name, lastRow: 1, lastColumn };
    this.zip = zip;
    this.text = new TextBuffer((buf) => zip.write(buf));
  }

  static async start(zip: ZipWriter, index: number, name: string, widths: number[], headers: string[], rightToLeft = false): Promise<OpenSheet> {
    const sheet = new OpenSheet(name, columnLetter(headers.length - 1), await zip.entry(sheetPath(index)));
    sheet.text.push(sheetStartXml(widths, index === 0, rightToLeft) + headerXml(headers));
    return sheet;
  }

  async end(): Promise<SheetEntry> {
    this.text.push(sheetEndXml(this.entry));
    await this.text.flush();
    await this.zip.close();
    return this.entry;
  }
}

async function writeTable(zip: ZipWriter, index: number, t: SheetTable, rightToLeft = false): Promise<SheetEntry> {
  const sheet = await OpenSheet.start(zip, index, t.name, t.columns.map((c) => c.width), t.columns.map((c) => c.header), rightToLeft);
  const style = { text: STYLE.text, number: 0, percent: STYLE.percent, decimal: STYLE.decimal, money: STYLE.money } as const;
  for (const row of t.rows) {
    const r = ++sheet.entry.lastRow;
    let xml = `<row r="${r}">`;
    t.columns.forEach((c, i) => {
      const v = row[i];
      if (v === null || v === undefined || v === '') return;
      const ref = columnLetter(i) + r;
      xml += typeof v === 'string' ? textCellXml(ref, v, STYLE.text) : numberCellXml(ref, v, style[c.kind]);
    });
    sheet.text.push(xml + '</row>');
  }
  return sheet.end();
}

export async function writeXlsx(out: FileOut, rows: Iterable<ExportRow>, opts: XlsxOptions): Promise<{ rows: number; sheets: string[] }> {
  const maxRows = Math.min(opts.maxRowsPerSheet ?? EXCEL_MAX_ROWS, EXCEL_MAX_ROWS);
  const widths = opts.columns.map((c) => c.width);
  const headers = opts.columns.map((c) => c.header);
  const strings = new SharedStrings(opts.maxSharedStrings);
  const rowXml = callRowXml(opts.columns, opts.clock, strings);
  const loop = new RowLoop(opts);
  const zip = new ZipWriter(out);
  const done: SheetEntry[] = [];
  const sheetName = (i: number) => (i === 0 ? CALLS_SHEET : `${CALLS_SHEET} (${i + 1})`);

  let sheet = await OpenSheet.start(zip, 0, sheetName(0), widths, headers, opts.rightToLeft);
  for (const row of rows) {
    if (sheet.entry.lastRow >= maxRows || sheet.zip.size > SHEET_MAX_BYTES) {
      done.push(await sheet.end());
      sheet = await OpenSheet.start(zip, done.length, sheetName(done.length), widths, headers, opts.rightToLeft);
    }
    sheet.text.push(rowXml(row, ++sheet.entry.lastRow));
    if (sheet.text.full) await sheet.text.flush();
    if (loop.count()) await loop.checkpoint();
  }
  done.push(await sheet.end());
  loop.report();

  for (const table of opts.moreSheets?.() ?? []) done.push(await writeTable(zip, done.length, table, opts.rightToLeft));
  const shared = strings.size > 0;
  if (shared) await zip.addText(SHARED_STRINGS_PATH, strings.xml());
  await zip.addText('xl/styles.xml', stylesXml(opts.moneyFormat));
  await zip.addText('xl/workbook.xml', workbookXml(done));
  await zip.addText('xl/_rels/workbook.xml.rels', workbookRelsXml(done.length, shared));
  await zip.addText('_rels/.rels', ROOT_RELS_XML);
  await zip.addText('[Content_Types].xml', contentTypesXml(done.length, shared));
  await zip.finish();
  return { rows: loop.rows, sheets: done.map((s) => s.name) };
}
