// What SQLite plans for a statement (EXPLAIN QUERY PLAN), read by the search and summary planners to choose
// between ways of reading the same calls.
import type { Database } from 'better-sqlite3';

interface PlanStep {
  id: number;
  parent: number;
  detail: string;
}

const planSteps = (db: Database, sql: string, params: unknown[]): PlanStep[] => db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as PlanStep[];

/** The plan of `sql`, one step per line. */
export const planOf = (db: Database, sql: string, params: unknown[]): string[] => planSteps(db, sql, params).map((s) => s.detail);

/**
 * The plan of `sql` without the steps that build a list once (an uncorrelated `IN (SELECT …)`, such as the
 * search tail's calls): what the statement does for each call it reads.
 */
export function outerPlanOf(db: Database, sql: string, params: unknown[]): string[] {
  const steps = planSteps(db, sql, params);
  const byId = new Map(steps.map((s) => [s.id, s]));
  const inList = (s: PlanStep | undefined): boolean =>
    !!s && (/^LIST SUBQUERY \d+$/.test(s.detail) || inList(byId.get(s.parent)));
  return steps.filter((s) => !inList(s)).map((s) => s.detail);
}

/** Whether a plan step reads cdrs itself (a scan, or a search of its table or one of its indexes). */
export const readsCdrs = (step: string): boolean => /^(SEARCH|SCAN) cdrs( |$)/.test(step);

/** The steps of a statement's plan that read cdrs itself for each call (outerPlanOf). */
export const cdrsReads = (db: Database, sql: string, params: unknown[]): string[] => outerPlanOf(db, sql, params).filter(readsCdrs);

/** Whether SQLite reads the calls of `sql` by id alone (its FTS lists lead), never the whole table. */
export function readsByIdOnly(db: Database, sql: string, params: unknown[]): boolean {
  const reads = cdrsReads(db, sql, params);
  return reads.length > 0 && reads.every((d) => d.startsWith('SEARCH cdrs USING INTEGER PRIMARY KEY '));
}
