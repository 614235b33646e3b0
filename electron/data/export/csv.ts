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
  /** BOM and header row first (default); false for rows that follow others (csv-parallel.ts). */
  header?: boolean;
}

const BOM = '\uFEFF';
const CRLF = '\r\n';

/** Characters that make a field quoted (RFC 4180): the separator, a quote, a line break. */
function specialChars(separator: CsvSeparator): RegExp {
  return separator === ',' ? /[",\r\n]/ : /[";\r\n]/;
}

const SMALL_INTS = 100_000;
const INT_TEXTS = new Array<string>(SMALL_INTS);

const TEXT = 0;
const TIME = 1;
const SECONDS = 2;

/** Where the bytes go: the file, or a part's blocks collected in memory (csv-parallel.ts). */
export type CsvSink = Pick<FileOut, 'write'>;

/** A field as written: quoted when it holds a special character, inner quotes doubled (RFC 4180). */
function quoted(field: string, special: RegExp): string {
  return special.test(field) ? '"' + field.replaceAll('"', '""') + '"' : field;
}

/** The BOM and the header row. */
export function csvHeader(columns: readonly ExportColumn[], separator: CsvSeparator = ','): string {
  const special = specialChars(separator);
  return BOM + columns.map((c) => quoted(c.header, special)).join(separator) + CRLF;
}

export async function writeCsv(out: CsvSink, rows: Iterable<ExportRow>, opts: CsvOptions): Promise<{ rows: number }> {
  const sep = opts.separator ?? ',';
  const special = specialChars(sep);
  const { columns, clock } = opts;
  const loop = new RowLoop(opts);
  const text = new TextBuffer((buf) => out.write(buf));

  if (opts.header ?? true) text.push(csvHeader(columns, sep));
  // One loop with the cell rules inline: a closure per column made every cell an indirect call V8 could not
  // inline, which was a good part of the formatting cost on a million rows.
  const kinds = Int8Array.from(columns, (c) => (c.kind === 'time' ? TIME : c.kind === 'seconds' || c.kind === 'money' ? SECONDS : TEXT));
  const n = kinds.length;

  for (const row of rows) {
    let line = '';
    for (let i = 0; i < n; i++) {
      if (i > 0) line += sep;
      const v = row[i];
      if (v === null || v === undefined) continue;
      const kind = kinds[i];
      if (kind === TIME) {
        line += clock.text(v as number);
      } else if (kind === SECONDS) {
        // Durations are small whole numbers: their texts are made once.
        line += typeof v === 'number' && v >= 0 && v < SMALL_INTS && Number.isInteger(v) ? (INT_TEXTS[v] ??= String(v)) : v;
      } else if (v !== '') {
        line += quoted(neutralizeFormula(v as string), special);
      }
    }
    text.push(line + CRLF);
    if (text.full) await text.flush();
    if (loop.count()) await loop.checkpoint();
  }
  await text.flush();
  loop.report();
  return { rows: loop.rows };
}
