// exportCalls: the rows a search with the same filters returns, for one provider account, to an XLSX or CSV
// file, in the account's zone unless another is asked for. Progress events, cancel with an AbortSignal, and
// the file appears under its name only when complete (target.ts).
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { SearchFilter, SortSpec } from '../../shared/filter.ts';
import { UserError } from '../errors.ts';
import { search } from '../search/search.ts';
import { summarize } from '../summary/summary.ts';
import { isValidTimeZone } from '../time/zone.ts';
import type { Workspace } from '../workspace.ts';
import { selectColumns } from './columns.ts';
import { writeCsv, type CsvSeparator } from './csv.ts';
import { writeCsvParallel } from './csv-parallel.ts';
import { FileOut } from './file-out.ts';
import type { ExportProgress } from './progress.ts';
import { readRows } from './row-query.ts';
import { rowQuery } from './rows.ts';
import { summaryTable } from './summary-sheet.ts';
import { xlsxMoneyFormat } from '../costs/money.ts';
import { rateCardView } from '../costs/store.ts';
import { ExportTarget, writeErrorText } from './target.ts';
import { WallClock } from './wall-clock.ts';
import { writeXlsx } from './xlsx.ts';

export type ExportFormat = 'xlsx' | 'csv';

export interface ExportCallsOptions {
  account: string;
  format: ExportFormat;
  out: string;
  filter?: SearchFilter;
  sort?: SortSpec;
  /** Zone of the time columns; default the account's. */
  tz?: string;
  /** CSV only. */
  separator?: CsvSeparator;
  overwrite?: boolean;
  /** Headers of the columns to write, in order; default all (CLI.md "Export columns"). */
  columns?: string[];
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
  /** XLSX only: sheets read right to left (the app sets it when its language is Persian; the CLI's --rtl). */
  rightToLeft?: boolean;
  /** XLSX rows per sheet, header included; default Excel's limit (tests lower it). */
  maxRowsPerSheet?: number;
  /** CSV on several threads (csv-parallel.ts); tests force it on small data. */
  parallel?: {
    /** Threads, this one included: default one per core, at most MAX_CSV_PARTS; 1 writes on this thread alone. */
    parts?: number;
    /** Fewer rows than this are written on this thread alone (default PARALLEL_MIN_ROWS). */
    minRows?: number;
    /** Rows per chunk (default chunkSize()). */
    chunkRows?: number;
  };
}

export interface ExportResult {
  rows: number;
  file: string;
  /** XLSX sheet names in order; empty for CSV. */
  sheets: string[];
}

/** Page cache of the export's connection, KiB: also what a sort may hold in memory (peak RSS target 300 MB). */
const SORT_MEMORY_KIB = 16_384;
/** Below this many rows starting worker threads costs more than it saves. */
const PARALLEL_MIN_ROWS = 50_000;
/** Each part has its own connection, page cache and heap (peak RSS target 300 MB). */
const MAX_CSV_PARTS = 4;

/**
 * A connection of its own, in one read transaction: the count, the rows and the summary see the same snapshot
 * (WAL), and the app's other queries are not blocked by an iteration left open across awaits.
 */
function readSnapshot(ws: Workspace): { db: Database; close: () => void } {
  const own = ws.db.memory ? null : new BetterSqlite3(ws.db.name, { readonly: true, fileMustExist: true });
  const db = own ?? ws.db;
  own?.pragma('busy_timeout = 5000');
  // A table scan's sort (rows.ts) holds up to the page cache's size in memory before it spills to temporary files.
  own?.pragma(`cache_size = -${SORT_MEMORY_KIB}`);
  db.exec('BEGIN');
  return {
    db,
    close: () => {
      if (db.inTransaction) db.exec('COMMIT');
      own?.close();
    },
  };
}

export async function exportCalls(ws: Workspace, opts: ExportCallsOptions): Promise<ExportResult> {
  const account = ws.accounts.get(opts.account);
  const name = account.name;
  if (opts.format !== 'xlsx' && opts.format !== 'csv') throw new UserError(`unknown export format "${String(opts.format)}" (xlsx or csv)`, name);
  if (opts.separator !== undefined && opts.separator !== ',' && opts.separator !== ';') {
    throw new UserError(`CSV separator must be "," or ";", got "${String(opts.separator)}"`, name);
  }
  const zone = opts.tz ?? account.timezone;
  if (!isValidTimeZone(zone)) throw new UserError(`unknown time zone "${zone}" (use an IANA name like Europe/Bucharest)`, name);
  const columns = selectColumns(opts.columns, name);
  const clock = new WallClock(zone);
  const filter: SearchFilter = { ...opts.filter, accounts: [name] };

  const snapshot = readSnapshot(ws);
  try {
    // Counting first also checks the filter, before anything touches the disk.
    const total = search(snapshot.db, { filter, limit: 1 }).total;
    const target = await ExportTarget.open(resolve(opts.out), opts.overwrite ?? false, name);
    try {
      const out = new FileOut(target.handle);
      const hooks = { signal: opts.signal, onProgress: opts.onProgress, total };
      const parts = Math.min(opts.parallel?.parts ?? availableParallelism(), MAX_CSV_PARTS);
      const query = rowQuery(snapshot.db, filter, opts.sort, columns, { total });
      let result: { rows: number; sheets: string[] };
      // Not a scan plan (calls stored out of sort order, rows.ts): its one sort cannot be cut into chunks, and a
      // chunk's bytes wait in memory until written (a million calls: 416 MB peak, over the 300 MB target).
      if (opts.format === 'csv' && parts > 1 && !ws.db.memory && query.plan === 'index' && total >= (opts.parallel?.minRows ?? PARALLEL_MIN_ROWS)) {
        const csv = await writeCsvParallel(out, {
          dbFile: ws.db.name, db: snapshot.db, sortCacheKiB: SORT_MEMORY_KIB, parts, chunkRows: opts.parallel?.chunkRows,
          // Counted on the snapshot the parts read: a sync may have committed since the count above.
          prepare: () => {
            const n = search(snapshot.db, { filter, limit: 1 }).total;
            return { total: n, query: rowQuery(snapshot.db, filter, opts.sort, columns, { total: n }) };
          },
          columns, zone, separator: opts.separator, signal: opts.signal, onProgress: opts.onProgress,
        });
        result = { rows: csv.rows, sheets: [] };
      } else if (opts.format === 'csv') {
        result = { ...(await writeCsv(out, readRows(snapshot.db, query), { ...hooks, columns, clock, separator: opts.separator })), sheets: [] };
      } else {
        result = await writeXlsx(out, readRows(snapshot.db, query), {
          ...hooks, columns, clock, maxRowsPerSheet: opts.maxRowsPerSheet, rightToLeft: opts.rightToLeft,
          moneyFormat: xlsxMoneyFormat(rateCardView(snapshot.db, name).currency),
          moreSheets: () => [summaryTable(summarize(snapshot.db, { filter, by: 'campaign', tz: zone }).rows)],
        });
      }
      await out.finish();
      await target.commit();
      return { rows: result.rows, file: target.file, sheets: result.sheets };
    } catch (err) {
      await target.discard();
      // A file-system error while writing (disk full...) becomes one line naming the file; others pass as they are.
      if (err instanceof Error && 'syscall' in err) throw new UserError(writeErrorText(target.file, err), name);
      throw err;
    }
  } finally {
    snapshot.close();
  }
}
