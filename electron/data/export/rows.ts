// The rows an export writes: the calls a search with the same filter and sort returns, read with only the
// exported columns, as plain arrays (better-sqlite3 raw mode). Selecting every stored column (the provider's raw
// JSON, the search text) and building an object per row cost more than the writers themselves at a million rows.
// Filter and sort come from query/ (the same compiler as search), so the rows and their order are search's.
import type { SearchFilter, SortSpec } from '../../shared/filter.ts';
import { compileFilterDetail, hostDb, type FilterHost } from '../query/filter.ts';
import { parseSort, sortPlan } from '../query/sort.ts';
import type { ExportColumn } from './columns.ts';

/** One row: the values of the export's columns in their order (times epoch ms, the account as its name). */
export type ExportRow = (string | number | null)[];

/**
 * Every matching row in sort order, one at a time, with memory bounded by one row: the statement is stepped
 * (iterate), which measured as fast as keyset pages of .all() and keeps the snapshot the caller's transaction holds.
 */
export function* exportRows(host: FilterHost, filter: SearchFilter, sort: SortSpec | undefined, columns: readonly ExportColumn[]): Generator<ExportRow> {
  const db = hostDb(host);
  const f = compileFilterDetail(host, filter);
  const plan = sortPlan(parseSort(sort), [...f.accountsById.values()]);
  const dir = plan.spec.desc ? 'DESC' : 'ASC';
  const select = columns.length ? columns.map((c) => c.field).join(', ') : 'NULL';
  const stmt = db.prepare(`SELECT ${select} FROM cdrs WHERE ${f.where} ORDER BY ${plan.expr} ${dir}, id ${dir}`).raw();
  const accountAt = columns.findIndex((c) => c.field === 'account_id');
  const names = new Map([...f.accountsById.values()].map((a) => [a.id, a.name]));
  for (const row of stmt.iterate(...f.params) as IterableIterator<ExportRow>) {
    if (accountAt >= 0) row[accountAt] = names.get(row[accountAt] as number) ?? null;
    yield row;
  }
}
