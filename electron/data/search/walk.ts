// Walking a sort order's index and testing the filter on each call, bounded: the pieces search.ts and dense.ts
// share (a walk's statements, its budget, the page it chose).
import type { Database } from 'better-sqlite3';
import type { CompiledFilterDetail, FilterAccount } from './filter.ts';
import type { SortPlan } from './sort.ts';

export interface Statement {
  sql: string;
  params: unknown[];
}

/** A page's ids (limit + 1 at most, in order) and what reading its rows needs. */
export interface ChosenPage {
  ids: number[];
  plan: SortPlan;
  limit: number;
  accountsById: Map<number, FilterAccount>;
}

/** Whether the cache has an index of that name (tests search caches of earlier schema versions too). */
export const hasIndex = (db: Database, name: string) => !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?").get(name);

/**
 * Whether the filter bounds the sort column itself (a time window, a duration range): SQLite reads that range of
 * its index. Not a window read in several zones: SQLite reads each zone's range through the accounts' index and
 * sorts them all, where a walk of the start times within their span (walkBound) fills the page at once.
 */
export function rangedBy(f: CompiledFilterDetail, plan: SortPlan): boolean {
  const { field } = plan.spec;
  return (field === 'startedAt' && !!(f.window.from || f.window.to) && !f.zonedSpan) || (field === 'durationSec' && (f.filter.minDuration !== undefined || f.filter.maxDuration !== undefined));
}

/** SQL bounding a walk of the start times to the span of a window read in several zones; '' when there is none. */
export function walkBound(f: CompiledFilterDetail, plan: SortPlan): string {
  if (plan.spec.field !== 'startedAt' || !f.zonedSpan) return '';
  const { from, to } = f.zonedSpan;
  // Instants the filter computed (whole ms), written into the SQL as numbers.
  const ends = [from === null ? '' : `started_at >= ${Math.trunc(from)}`, to === null ? '' : `started_at < ${Math.trunc(to)}`];
  return ends.filter(Boolean).join(' AND ');
}

/**
 * A walk that gives up after testing `budget` calls of each part of the order: each part's statement lists the
 * calls in order with `ok` (whether it passes the filter); fewer than a page then means "sort instead". A walk
 * reads one stream of parts in sequence, or several (one per account) whose ids `merge` puts in order. `span`
 * limits the walk to calls whose id lies in [lo, hi] (tested on the index entry, no row read).
 */
export interface BoundedWalk {
  streams: (span?: [number, number]) => Statement[][];
  budget: number;
  skip: number;
  /** With several streams: the SQL ordering their ids (a JSON array), then LIMIT ? OFFSET ?. */
  merge?: string;
  /** With several streams: stream i's first `want` ids sorted rather than walked, when its walk runs out. */
  sortStream?: (i: number, want: number) => Statement;
  /** With several streams: the condition selecting stream i's calls (its account). */
  streamWhere?: (i: number) => string;
}

/**
 * The first `need` ids passing the filter along a bounded walk, or null when a part's budget ran out first.
 * `sortNow(i, found)`, asked once a quarter of stream i's budget is tested without filling the page, may stop its walk
 * there, when sorting its matches costs less than the rest of the walk would: that stream is sorted (several), or
 * null is returned (one).
 */
export function walkBounded(db: Database, w: BoundedWalk, need: number, span?: [number, number], ran?: (q: Statement) => void, sortNow?: (stream: number, found: number) => boolean): number[] | null {
  const streams = w.streams(span);
  const merged = streams.length > 1 || w.merge !== undefined;
  const found: number[] = [];
  for (const [i, parts] of streams.entries()) {
    // Merged streams each give their first skip + need; one stream skips the offset itself.
    let skip = merged ? 0 : w.skip;
    const want = merged ? w.skip + need : need;
    let ids: number[] | null = [];
    const quarter = sortNow && (w.sortStream || streams.length === 1) ? Math.ceil(w.budget / 4) : 0;
    walk: for (const [j, part] of parts.entries()) {
      ran?.(part);
      let tested = 0;
      for (const [id, ok] of db.prepare(part.sql).raw().iterate(...part.params) as Iterable<[number, unknown]>) {
        // Reading while the walk's statement is open: SQLite allows it, and the walk goes on if it should.
        if (++tested === quarter && j === 0 && sortNow!(i, ids.length)) {
          if (!w.sortStream) return null;
          ids = null;
          break walk;
        }
        if (!ok) continue;
        if (skip > 0) skip--;
        else if (ids.push(id) === want) break walk;
      }
      if (tested === w.budget) {
        ids = null;
        break;
      }
    }
    if (!ids) {
      if (!w.sortStream) return null;
      const q = w.sortStream(i, want);
      ran?.(q);
      ids = db.prepare(q.sql).pluck().all(...q.params) as number[];
    }
    found.push(...ids);
  }
  if (!w.merge) return found;
  const q = { sql: w.merge, params: [JSON.stringify(found), need, w.skip] };
  ran?.(q);
  return db.prepare(q.sql).pluck().all(...q.params) as number[];
}
