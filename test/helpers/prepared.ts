// The SQL a piece of data-layer code prepares, for tests that hold its plans.
import type { Database } from 'better-sqlite3';

/** Every statement prepared on `db` while fn runs (EXPLAIN QUERY PLAN ones too). */
export function preparedWhile(db: Database, fn: () => unknown): string[] {
  const prepare = db.prepare.bind(db);
  const prepared: string[] = [];
  db.prepare = ((sql: string) => {
    prepared.push(sql);
    return prepare(sql);
  }) as typeof db.prepare;
  try {
    fn();
  } finally {
    delete (db as { prepare?: unknown }).prepare;
  }
  return prepared;
}
