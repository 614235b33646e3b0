// Summaries walk their covering index one key prefix at a time (account, then campaign, then status) and let
// SQLite aggregate each range with no GROUP BY on those columns: comparing three group keys on every call cost
// more than the sums themselves (callgrind on the 1,000,000-call bench: 1,452 M instructions for one GROUP BY
// account_id, campaign, status over cdrs_summary, 1,102 M for the same figures range by range).
import type { Database } from 'better-sqlite3';
import { matchesUpTo, tableSpan, type CompiledFilterDetail } from '../search/filter.ts';
import { readsByIdOnly } from '../search/query-plan.ts';

/** The account's distinct campaigns (null first), one index seek each instead of one row per call. */
export function campaignsOf(db: Database, accountId: number): (string | null)[] {
  const from = 'FROM cdrs INDEXED BY cdrs_summary WHERE account_id = ?';
  const out: (string | null)[] = [];
  if (db.prepare(`SELECT 1 ${from} AND campaign IS NULL LIMIT 1`).get(accountId)) out.push(null);
  const first = db.prepare(`SELECT campaign ${from} AND campaign >= '' ORDER BY campaign LIMIT 1`).pluck();
  const next = db.prepare(`SELECT campaign ${from} AND campaign > ? ORDER BY campaign LIMIT 1`).pluck();
  for (let c = first.get(accountId) as string | undefined; c !== undefined; c = next.get(accountId, c) as string | undefined) out.push(c);
  return out;
}

/**
 * Whether to aggregate range by range. Not when the filter holds a full-text or phone match, whose
 * `id IN (SELECT rowid FROM fts ...)` SQLite would evaluate again for every range; nor with a time window, which
 * one GROUP BY reads by skip-scan (any account, campaign, status and agent, then the started_at range) instead of
 * testing every call of every range.
 */
export function rangeByRange(f: CompiledFilterDetail): boolean {
  return f.matches.length === 0 && f.window.from === null && f.window.to === null;
}

/** A match listing fewer calls than this share of the cache is rare: its calls are read by id (summaryFrom). */
const RARE_MATCH_SHARE = 1 / 100;

/**
 * The statement `sql(from)` of a summary read in one statement: from its covering index cdrs_summary, every entry
 * tested against the text and phone match lists; or, where a match all calls must pass lists few calls (fewer than
 * RARE_MATCH_SHARE of the cache, counted no further), from those calls alone, each row read by id, which costs less than reading every
 * entry. Only when SQLite then reads the calls by id: a filter that would read the whole table keeps the index.
 */
export function summaryFrom(db: Database, f: CompiledFilterDetail, sql: (from: string) => string): string {
  const indexed = sql('cdrs INDEXED BY cdrs_summary');
  const rare = Math.ceil(tableSpan(db) * RARE_MATCH_SHARE);
  // Matches joined by OR (a number's word or digits, a search tail's calls) list their union: not counted here.
  if (f.where.includes(' OR ') || !f.matches.some((m) => matchesUpTo(db, m, rare) < rare)) return indexed;
  const byId = sql('cdrs NOT INDEXED');
  return readsByIdOnly(db, byId, f.params) ? byId : indexed;
}

/** Runs fn in one read transaction, so that every range sees the same calls even if a sync commits meanwhile. */
export function inOneSnapshot<T>(db: Database, fn: () => T): T {
  return db.inTransaction ? fn() : db.transaction(fn).deferred();
}
