// The floors of a summary read from the calls (issue 20), measured beside it in bench/search-summary.ts: the same
// calls read from the same cdrs_summary ranges (or the one statement) as summary/groups.ts and summary/matrix.ts
// read them, computing the same sums,
//   scan: with no bucket at all (what reading the calls costs whatever is done with them);
//   sort: grouped by a UTC bucket with as many keys (day, hour of the day, hour of the week) and no zone: what
//         SQLite's GROUP BY costs to sort every call into its bucket, as no index holds calls in local-time order.
// A summary's figure above its sort floor is the zone work (each call's offset found in an inlined CASE). A
// summary by day sorts nothing (it reads each local day as one range of an index in start order,
// summary/day-pieces.ts), nor does one by hour for a status with many calls per hour (each local hour one range,
// summary/hour-pieces.ts; a sparse status is sorted, cheaply): only their scan floor applies.
import type { SearchFilter } from '../electron/shared/filter.ts';
import { CALL_STATUSES } from '../electron/shared/cdr.ts';
import { compileFilterDetail, hostDb, type FilterHost } from '../electron/data/search/filter.ts';
import { campaignsOf, inOneSnapshot, rangeByRange } from '../electron/data/summary/index-prefixes.ts';

export type FloorKind = 'scan' | 'sort';
/** Day and hour summaries (sums of each status), or the matrix (calls, and answered calls, of each campaign). */
export type FloorOf = 'day' | 'hour' | 'matrix';

/** The summary's sums; cost only for accounts with a currency, as summary/groups.ts reads them. */
const sums = (priced: boolean) => `count(*), coalesce(sum(bill_sec), 0), coalesce(sum(wait_sec), 0), count(wait_sec)${priced ? ', coalesce(sum(cost), 0), count(cost)' : ''}`;
const CELLS_ONE_STATEMENT = "count(*), count(CASE WHEN status = 'answered' THEN 1 END)";
/** Range by range, a range's calls are all answered or none is: its calls alone are counted. */
const CELLS_OF_RANGE = 'count(*)';
const UTC_KEY: Record<FloorOf, string> = {
  day: 'started_at / 86400000',
  hour: '(started_at / 3600000) % 24',
  matrix: '(started_at / 3600000) % 168',
};

/** A function reading the floor of summary `of` over `filter` once. */
export function floorRun(ws: FilterHost, filter: SearchFilter, of: FloorOf, kind: FloorKind): () => void {
  const db = hostDb(ws);
  const f = compileFilterDetail(ws, filter);
  const key = kind === 'sort' ? `${UTC_KEY[of]} AS k, ` : '';
  const priced = new Set(db.prepare('SELECT account_id FROM account_billing').pluck().all() as number[]);
  const select = (anyPriced: boolean) => `SELECT ${key}${of !== 'matrix' ? sums(anyPriced) : rangeByRange(f) ? CELLS_OF_RANGE : CELLS_ONE_STATEMENT}`;
  const group = kind === 'sort' ? ' GROUP BY k' : '';
  const started = of === 'matrix' ? 'started_at IS NOT NULL AND ' : '';
  if (!rangeByRange(f)) {
    const stmt = db.prepare(`${select(f.accounts.some((a) => priced.has(a.id)))} FROM cdrs INDEXED BY cdrs_summary WHERE ${started}(${f.where})${group}${kind === 'sort' && of !== 'matrix' ? ', status' : ''}`);
    return () => void inOneSnapshot(db, () => stmt.all(...f.params));
  }
  const statuses = f.filter.statuses?.length ? [...new Set(f.filter.statuses)] : CALL_STATUSES;
  const range = (anyPriced: boolean) => db.prepare(`${select(anyPriced)} FROM cdrs INDEXED BY cdrs_summary
    WHERE account_id = ? AND campaign IS ? AND status = ? AND ${started}(${f.where})${group}`);
  const ranges = [range(false), range(true)];
  return () =>
    inOneSnapshot(db, () => {
      for (const a of f.accounts) {
        const stmt = ranges[priced.has(a.id) ? 1 : 0]!;
        for (const campaign of campaignsOf(db, a.id)) {
          for (const status of statuses) stmt.all(a.id, campaign, status, ...f.params);
        }
      }
    });
}

/** The floors that bound each summary: days and hours are read in local ranges (no sort); the matrix is sorted. */
export const FLOORS_OF: Record<FloorOf, FloorKind[]> = { day: ['scan'], hour: ['scan'], matrix: ['scan', 'sort'] };

export const FLOOR_WHY: Record<FloorKind, string> = {
  scan: 'every selected call read once from the covering index cdrs_summary, the same sums, no bucket',
  sort: 'the same, sorted into as many UTC buckets by GROUP BY (no index holds calls in local-time order), no zone',
};
