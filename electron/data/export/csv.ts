// CSV export: UTF-8 with a BOM (so Excel reads the names in any script), RFC 4180 quoting, CRLF line ends,
// times as 'YYYY-MM-DD HH:MM:SS' in the export's zone, ',' or ';' (locales whose Excel expects it) between
// fields, and no text cell that a spreadsheet would run as a formula (see neutralizeFormula).
// A small writer rather than csv-stringify: on 1,000,000 rows csv-stringify cost about 6 CPU-seconds more than
// this whole export (bench/export.ts --libs), and the target is 5 s for everything.
import { neutralizeFormula, type ExportColumn } from './columns.ts';
import type { FileOut } from './file-out.ts';
import { RowLoop, type RowLoopHooks } from './progress.ts';
import type { ExportRow } from './rows.ts';
import { TextBuffer } from './text-buffer.ts';
import type { WallClock } from './wall-clock.ts';

export type CsvSeparator = ',' | ';';

export interface CsvOptions extends RowLoopHooks {
  columns: readonly ExportColumn[];
  clock: WallClock;
  separator?: CsvSeparator;
}

const BOM = '\uFEFF';
const CRLF = '\r\n';

/** One field, quoted when it holds the separator, a quote or a line break (RFC 4180). */
function quoter(separator: CsvSeparator): (field: string) => string {
  const special = separator === ',' ? /[",\r\n]/ : /[";\r\n]/;
  return (field) => (special.test(field) ? '"' + field.replaceAll('"', '""') + '"' : field);
}

export async function writeCsv(out: FileOut, rows: Iterable<ExportRow>, opts: CsvOptions): Promise<{ rows: number }> {
  const sep = opts.separator ?? ',';
  const quote = quoter(sep);
  const { columns, clock } = opts;
  const loop = new RowLoop(opts);
  const text = new TextBuffer((buf) => out.write(buf));

  text.push(BOM + columns.map((c) => quote(c.header)).join(sep) + CRLF);
  const cell = columns.map((c): ((v: string | number | null) => string) => {
    if (c.kind === 'time') return (v) => (v === null ? '' : clock.text(v as number));
    if (c.kind === 'seconds') return (v) => (v === null ? '' : String(v));
    return (v) => (v === null || v === '' ? '' : quote(neutralizeFormula(v as string)));
  });
  const last = cell.length - 1;

  for (const row of rows) {
    let line = '';
    for (let i = 0; i < last; i++) line += cell[i]!(row[i]!) + sep;
    text.push(line + cell[last]!(row[last]!) + CRLF);
    if (text.full) await text.flush();
    if (loop.count()) await loop.checkpoint();
  }
  await text.flush();
  loop.report();
  return { rows: loop.rows };
}
