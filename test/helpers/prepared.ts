// The SQL a piece of data-layer code prepares, for tests that hold its plans.
import type { Database, Statement } from 'better-sqlite3';
import { planOf } from '../../electron/data/search/query-plan.ts';

/** Runs fn with each statement prepared on `db` shown to `seen` (its SQL, the statement) before it is used. */
function whilePreparing(db: Database, seen: (sql: string, statement: Statement) => void, fn: () => unknown): void {
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    seen(sql, statement);
    return statement;
  }) as typeof db.prepare;
  try {
    fn();
  } finally {
    delete (db as { prepare?: unknown }).prepare;
  }
}

/** Every statement prepared on `db` while fn runs (EXPLAIN QUERY PLAN ones too). */
export function preparedWhile(db: Database, fn: () => unknown): string[] {
  const prepared: string[] = [];
  whilePreparing(db, (sql) => prepared.push(sql), fn);
  return prepared;
}

/** The plan (steps joined by " | ") of each statement prepared while fn runs that `keep` keeps, each parameter bound to 1. */
export function preparedPlans(db: Database, fn: () => unknown, keep: (sql: string) => boolean): string[] {
  return preparedWhile(db, fn).filter(keep).map((sql) => planOf(db, sql, new Array((sql.match(/\?/g) ?? []).length).fill(1)).join(' | '));
}

/** Every statement run (all, get, iterate) on `db` while fn runs, with the parameters it ran with. */
export function runWhile(db: Database, fn: () => unknown): { sql: string; args: unknown[] }[] {
  const runs: { sql: string; args: unknown[] }[] = [];
  whilePreparing(db, (sql, statement) => {
    for (const method of ['all', 'get', 'iterate'] as const) {
      const original = statement[method].bind(statement) as (...args: unknown[]) => unknown;
      Object.assign(statement, { [method]: (...args: unknown[]) => (runs.push({ sql, args }), original(...args)) });
    }
  }, fn);
  return runs;
}
