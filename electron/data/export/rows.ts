// The rows an export writes: the calls a search with the same filter and sort returns, read with only the
// exported columns, as plain arrays (better-sqlite3 raw mode). Selecting every stored column (the provider's raw
// JSON, the search text) and building an object per row cost more than the writers themselves at a million rows.
// The read plan (index walk or table scan and sort) is chosen by how the table is stored; see ReadPlan.
// Filter and sort come from search/ (the same compiler as search), so the rows and their order are search's.
import type { SearchFilter, SortSpec } from '../../shared/filter.ts';
import { compileFilterDetail, hostDb, type FilterHost } from '../search/filter.ts';
import { parseSort, sortPlan } from '../search/sort.ts';
import type { ExportColumn } from './columns.ts';
import { readRows, type ExportRow, type RowQuery } from './row-query.ts';

export type { ExportRow } from './row-query.ts';

/**
 * How the rows are read. index: walk the sort order's index, one table lookup per row; cheap when the table is
 * stored roughly in that order (calls synced from a provider arrive in time order). scan: read the whole table
 * front to back and let SQLite sort the matches (spilling to temporary files, so memory stays bounded); on a
 * table stored in no particular order it cost 5 CPU-seconds per million rows against 7-8 for the walk.
 */
export type ReadPlan = 'index' | 'scan';

export interface ExportRowsOptions {
  /** Rows the filter matches (the caller counted them); without it the index plan is used. */
  total?: number;
  /** Forces a plan (tests compare both). */
  plan?: ReadPlan;
}

/** Rows in sort order that decide whether the table is stored in that order. */
const SAMPLE_ROWS = 1000;
/** Rows whose ids are this close are on the same or a neighbouring page of the table. */
const NEAR_IDS = 64;

/**
 * The scan wins when the export holds a good part of the table (it reads all of it) and the rows, in sort
 * order, sit far apart in the table: measured on the first rows in sort order, where consecutive rows mostly
 * have distant ids.
 */
export function choosePlan(host: FilterHost, where: string, params: unknown[], orderBy: string, total: number): ReadPlan {
  const db = hostDb(host);
  const [min, max] = ['min', 'max'].map((fn) => Number(db.prepare(`SELECT ${fn}(id) FROM cdrs`).pluck().get() ?? 0));
  if (total * 4 < max! - min! + 1) return 'index';
  const ids = db.prepare(`SELECT id FROM cdrs WHERE ${where} ORDER BY ${orderBy} LIMIT ${SAMPLE_ROWS}`).pluck().all(...params) as number[];
  let near = 0;
  for (let i = 1; i < ids.length; i++) if (Math.abs(ids[i]! - ids[i - 1]!) <= NEAR_IDS) near++;
  return near * 2 < ids.length - 1 ? 'scan' : 'index';
}

/** The read of every matching row in sort order, as plain data (row-query.ts). */
export function rowQuery(host: FilterHost, filter: SearchFilter, sort: SortSpec | undefined, columns: readonly ExportColumn[],
  opts: ExportRowsOptions = {}): RowQuery {
  const f = compileFilterDetail(host, filter);
  const plan = sortPlan(parseSort(sort), [...f.accountsById.values()]);
  const dir = plan.spec.desc ? 'DESC' : 'ASC';
  const orderBy = `${plan.expr} ${dir}, id ${dir}`;
  const read = opts.plan ?? (opts.total === undefined ? 'index' : choosePlan(host, f.where, f.params, orderBy, opts.total));
  return {
    select: columns.length ? columns.map((c) => c.field).join(', ') : 'NULL',
    plan: read,
    table: read === 'scan' ? 'cdrs NOT INDEXED' : 'cdrs',
    where: f.where,
    params: f.params,
    orderBy,
    sortExpr: plan.expr,
    desc: plan.spec.desc,
    accountAt: columns.findIndex((c) => c.field === 'account_id'),
    accountNames: [...f.accountsById.values()].map((a) => [a.id, a.name]),
  };
}

/** Every matching row in sort order, one at a time (the statement is stepped, so memory holds one row). */
export function exportRows(host: FilterHost, filter: SearchFilter, sort: SortSpec | undefined, columns: readonly ExportColumn[],
  opts: ExportRowsOptions = {}): Generator<ExportRow> {
  return readRows(hostDb(host), rowQuery(host, filter, sort, columns, opts));
}
