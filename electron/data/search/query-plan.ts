// What SQLite plans for a statement (EXPLAIN QUERY PLAN), read by the search and summary planners to choose
// between ways of reading the same calls.
import type { Database } from 'better-sqlite3';

/** The plan of `sql`, one step per line. */
export const planOf = (db: Database, sql: string, params: unknown[]): string[] =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);

/** Whether a plan step reads cdrs itself (a scan, or a search of its table or one of its indexes). */
export const readsCdrs = (step: string): boolean => /^(SEARCH|SCAN) cdrs( |$)/.test(step);

/** The steps of a statement's plan that read cdrs itself. */
export const cdrsReads = (db: Database, sql: string, params: unknown[]): string[] => planOf(db, sql, params).filter(readsCdrs);

/** Whether SQLite reads the calls of `sql` by id alone (its FTS lists lead), never the whole table. */
export function readsByIdOnly(db: Database, sql: string, params: unknown[]): boolean {
  const reads = cdrsReads(db, sql, params);
  return reads.length > 0 && reads.every((d) => d.startsWith('SEARCH cdrs USING INTEGER PRIMARY KEY '));
}
