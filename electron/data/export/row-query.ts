// An export's read, compiled once (rows.ts) into plain data: SQL pieces and bound values only, so it can be
// handed to a worker thread (csv-parallel.ts) that reads a part of the same rows on a connection of its own
// without compiling the filter again (a relative time window compiled twice could differ).
import type { Database } from 'better-sqlite3';
import type { Segment } from '../search/sort.ts';

/** One row: the values of the export's columns in their order (times epoch ms, the account as its name). */
export type ExportRow = (string | number | null)[];

export interface RowQuery {
  /** Column list of the SELECT. */
  select: string;
  /** The read plan (rows.ts), and the table as it reads it: `cdrs` or `cdrs NOT INDEXED`. */
  plan: 'index' | 'scan';
  table: string;
  where: string;
  params: unknown[];
  orderBy: string;
  /** SQL of the sort value, and its direction (to split the order into parts). */
  sortExpr: string;
  desc: boolean;
  /** Index of the account column in a row, or -1; account ids → names. */
  accountAt: number;
  accountNames: [number, string][];
}

/** Begins a read transaction and takes its snapshot (in WAL mode the first read does, not BEGIN). */
export function beginSnapshot(db: Database): void {
  db.exec('BEGIN');
  db.prepare('SELECT count(*) FROM sqlite_schema').get();
}

/**
 * The query's rows in order, one at a time (the statement is stepped, so memory holds one row); with `segments`
 * (search/sort.ts) only those, concatenated in the order given.
 */
export function* readRows(db: Database, q: RowQuery, segments?: readonly Segment[]): Generator<ExportRow> {
  const names = new Map(q.accountNames);
  const parts = segments?.map((s) => ({ where: `(${q.where}) AND (${s.where})`, params: [...q.params, ...s.params], orderBy: s.orderBy }))
    ?? [{ where: q.where, params: q.params, orderBy: q.orderBy }];
  for (const s of parts) {
    const stmt = db.prepare(`SELECT ${q.select} FROM ${q.table} WHERE ${s.where} ORDER BY ${s.orderBy}`).raw();
    for (const row of stmt.iterate(...s.params) as IterableIterator<ExportRow>) {
      if (q.accountAt >= 0) row[q.accountAt] = names.get(row[q.accountAt] as number) ?? null;
      yield row;
    }
  }
}
