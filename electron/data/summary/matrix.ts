// The hour-by-weekday matrix (the heatmap): calls and answered calls per local weekday and hour, per campaign.
import type { Database } from 'better-sqlite3';
import { CALL_STATUSES } from '../../shared/cdr.ts';
import type { SearchFilter } from '../../shared/filter.ts';
import type { HourWeekdayResponse } from '../../shared/search.ts';
import { compileFilterDetail, hostDb, type CompiledFilterDetail, type FilterHost } from '../search/filter.ts';
import { localTimeSql } from '../search/zone-offsets.ts';
import { campaignsOf, inOneSnapshot, rangeByRange, summaryFrom } from './index-prefixes.ts';
import { checkTz, bucketZones, startedSpan, zoneParts } from './groups.ts';

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

const emptyMatrix = () => Array.from({ length: 7 }, () => new Array<number>(24).fill(0));

/** Whole weeks (ms) added before dividing: SQLite's integer division rounds toward zero, and instants before 1970 must round down (as in totals.ts). */
const WEEKS_AHEAD_MS = 10_000 * 7 * 86_400_000;
/** 1970-01-01 00:00 was a Thursday: hour 0 of the epoch is hour 72 of a week starting on Monday. */
const EPOCH_HOUR_OF_WEEK = 72;
const HOURS_PER_WEEK = 168;

/** SQL of the local hour of the week (Monday 00:00 = 0) of local wall time `local`. */
const hourOfWeekSql = (local: string) => `(((${local} + ${WEEKS_AHEAD_MS}) / 3600000 + ${EPOCH_HOUR_OF_WEEK}) % 168)`;

/** Calls (n) and answered calls (a) in one SQL group. */
const CELL_AGGREGATES = "count(*) AS n, count(CASE WHEN status = 'answered' THEN 1 END) AS a";

/** One SQL group: calls and answered calls of a campaign in a local hour of the week. */
type MatrixRow = { campaign: string | null; how: number; n: number; a: number };

/**
 * Calls and answered calls per local weekday (Monday first) and hour, for each campaign. Where the running totals
 * hold the answer, their local hours of the week are read, moved into the asked zone; else the calls' own
 * (matrixFromCalls); in a zone whose hours only some accounts' totals hold, theirs from the totals and the others'
 * from the calls (zoneParts).
 */
export function hourWeekdayMatrix(ws: FilterHost, opts: { filter: SearchFilter; tz?: string; readCalls?: boolean }): HourWeekdayResponse {
  const db = hostDb(ws);
  // Compiled inside the snapshot it runs in: the search tail's test is added only if that snapshot has a tail.
  return inOneSnapshot(db, () => {
    const f = compileFilterDetail(ws, opts.filter);
    return matrixOf(db, f, checkTz(opts.tz) ?? f.filter.tz, opts.readCalls ?? false);
  });
}

function matrixOf(db: Database, f: CompiledFilterDetail, tz: string | undefined, readCalls: boolean): HourWeekdayResponse {
  const byCampaign = new Map<string | null, { total: number[][]; answered: number[][] }>();
  const add = (r: MatrixRow) => {
    let m = byCampaign.get(r.campaign);
    if (!m) byCampaign.set(r.campaign, (m = { total: emptyMatrix(), answered: emptyMatrix() }));
    const weekday = Math.floor(r.how / 24); // Monday = 0
    m.total[weekday]![r.how % 24]! += r.n;
    m.answered[weekday]![r.how % 24]! += r.a;
  };
  for (const { f: part, shift } of zoneParts(db, f, 'matrix', tz, readCalls)) {
    if (shift !== null) {
      // Local hours of the week, counted as the calls were written, moved by `shift` hours into the asked zone.
      const rows = db
        .prepare(`SELECT campaign, how, sum(n) AS n, sum(CASE WHEN status = 'answered' THEN n ELSE 0 END) AS a FROM cdrs_totals
                  WHERE (${part.where}) AND how >= 0 GROUP BY campaign, how HAVING sum(n) > 0`)
        .all(...part.params) as MatrixRow[];
      for (const r of rows) add({ ...r, how: (r.how + shift + HOURS_PER_WEEK) % HOURS_PER_WEEK });
    } else {
      matrixFromCalls(db, part, tz, add);
    }
  }
  const campaigns = [...byCampaign].map(([campaign, m]) => ({ campaign, ...m }));
  campaigns.sort((a, b) => (a.campaign ?? '\uffff').localeCompare(b.campaign ?? '\uffff'));
  return { weekdays: [...WEEKDAYS], campaigns };
}

/**
 * The matrix from the calls themselves (a time window, text or phone filter, another zone, or readCalls): each
 * call's local hour of the week from its zone's offsets inlined as a CASE over the instant (zone-offsets.ts, exact
 * to the second, so old local mean times too), grouped in a temp B-tree. Range by range where rangeByRange allows,
 * reading cdrs_summary; the index that held calls in week order (cdrs_week, dropped by migration 005) cost every
 * sync write more than it saved this path, which the running totals mostly spare.
 */
function matrixFromCalls(db: Database, f: CompiledFilterDetail, tz: string | undefined, add: (r: MatrixRow) => void): void {
  const { lo, hi } = startedSpan(db);
  const zones = bucketZones(f, tz);
  if (!rangeByRange(f)) {
    const how = hourOfWeekSql(localTimeSql('started_at', zones, lo, hi));
    const ids = f.accounts.map((a) => Number(a.id)).join(',');
    const sql = (from: string) => `SELECT campaign, ${how} AS how, ${CELL_AGGREGATES} FROM ${from}
                WHERE account_id IN (${ids}) AND started_at IS NOT NULL AND (${f.where}) GROUP BY campaign, how`;
    const rows = db.prepare(summaryFrom(db, f, sql)).all(...f.params) as MatrixRow[];
    for (const r of rows) add(r);
    return;
  }
  // One range of cdrs_summary per account, campaign and status, grouped on the hour alone (see index-prefixes.ts),
  // in the account's bucket zone: a range's calls are all answered or none is, so its sort carries the hour only.
  const statuses = f.filter.statuses?.length ? [...new Set(f.filter.statuses)] : CALL_STATUSES;
  for (const [zone, ids] of zones) {
    const how = hourOfWeekSql(localTimeSql('started_at', new Map([[zone, ids]]), lo, hi));
    const range = db.prepare(
      `SELECT ${how} AS how, count(*) AS n FROM cdrs INDEXED BY cdrs_summary
       WHERE account_id = ? AND campaign IS ? AND status = ? AND started_at IS NOT NULL AND (${f.rangeWhere}) GROUP BY how`,
    );
    for (const id of ids) {
      if (!f.accounts.some((a) => a.id === id)) continue;
      for (const campaign of campaignsOf(db, id)) {
        for (const status of statuses) {
          for (const r of range.all(id, campaign, status, ...f.params) as { how: number; n: number }[]) {
            add({ campaign, how: r.how, n: r.n, a: status === 'answered' ? r.n : 0 });
          }
        }
      }
    }
  }
}
