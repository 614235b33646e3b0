// The hour-by-weekday matrix (the heatmap): calls and answered calls per local weekday and hour, per campaign.
import type { Database } from 'better-sqlite3';
import type { SearchFilter } from '../../shared/filter.ts';
import type { HourWeekdayResponse } from '../../shared/search.ts';
import { compileFilterDetail, hostDb, type CompiledFilterDetail, type FilterHost } from '../search/filter.ts';
import { offsetSpans } from '../search/zone-offsets.ts';
import { campaignsOf, inOneSnapshot, rangeByRange } from './index-prefixes.ts';
import { checkTz, bucketZones, startedSpan, totalsServe } from './groups.ts';

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

const emptyMatrix = () => Array.from({ length: 7 }, () => new Array<number>(24).fill(0));

const QUARTER_MS = 900_000;
const QUARTERS_PER_WEEK = 672;

/** Matrix SQL for one zone: calls and answered calls, and the same again within each offset the zone takes besides its first. */
function matrixAggregates(zone: string, lo: number, hi: number): { sql: string; shifts: number[] } {
  const spans = offsetSpans(zone, lo, hi);
  const offsets = [...new Set(spans.map((s) => s.offsetMs))];
  // SQL true for instants at offset o: each span with that offset, from the change before it to its own.
  const inOffset = (o: number) =>
    spans
      .flatMap((s, i) => {
        if (s.offsetMs !== o) return [];
        const bounds = [i > 0 ? `started_at >= ${spans[i - 1]!.until}` : '', s.until !== null ? `started_at < ${s.until}` : ''];
        return [`(${bounds.filter(Boolean).join(' AND ')})`];
      })
      .join(' OR ');
  // Rows at the first offset are the rest: n0 = n - n1 - ..., so a zone without changes costs two sums, and
  // winter before and after one summer count as one offset.
  const sql = [
    "count(*) AS n0, sum(status = 'answered') AS a0",
    // count(CASE ...) costs SQLite a fifth less than sum() of the same condition.
    ...offsets.slice(1).map((o, i) =>
      `count(CASE WHEN ${inOffset(o)} THEN 1 END) AS n${i + 1}, count(CASE WHEN (${inOffset(o)}) AND status = 'answered' THEN 1 END) AS a${i + 1}`),
  ].join(', ');
  // In quarter-hours: every zone in use today is offset from UTC by a multiple of 15 minutes.
  return { sql, shifts: offsets.map((o) => Math.round(o / QUARTER_MS)) };
}

type MatrixRow = { campaign: string | null; q: number | null; [count: `${'n' | 'a'}${number}`]: number };

/**
 * Calls and answered calls per local weekday (Monday first) and hour, for each campaign. Where the running totals
 * hold the answer (totalsServe), their local hours of the week are read. Else SQL groups the calls by UTC
 * quarter-hour of the week, read from the cdrs_summary index and sorted in a temp B-tree, counting separately the
 * calls made at each offset of the zone; each offset then moves its quarter-hours to local time here.
 */
export function hourWeekdayMatrix(ws: FilterHost, opts: { filter: SearchFilter; tz?: string; readCalls?: boolean }): HourWeekdayResponse {
  const db = hostDb(ws);
  const f = compileFilterDetail(ws, opts.filter);
  const tz = checkTz(opts.tz) ?? f.filter.tz;
  return inOneSnapshot(db, () => matrixOf(db, f, tz, opts.readCalls ?? false));
}

function matrixOf(db: Database, f: CompiledFilterDetail, tz: string | undefined, readCalls: boolean): HourWeekdayResponse {
  const byCampaign = new Map<string | null, { total: number[][]; answered: number[][] }>();
  const add = (r: MatrixRow, shifts: number[]) => {
    if (r.q === null) return; // no start time
    let m = byCampaign.get(r.campaign);
    if (!m) byCampaign.set(r.campaign, (m = { total: emptyMatrix(), answered: emptyMatrix() }));
    const n = shifts.map((_, i) => r[`n${i}`]!);
    const a = shifts.map((_, i) => r[`a${i}`]!);
    // Offsets after the first were counted apart; the first gets what is left.
    for (let i = 1; i < shifts.length; i++) {
      n[0]! -= n[i]!;
      a[0]! -= a[i]!;
    }
    for (let i = 0; i < shifts.length; i++) {
      if (!n[i]) continue;
      const local = (((r.q + shifts[i]!) % QUARTERS_PER_WEEK) + QUARTERS_PER_WEEK) % QUARTERS_PER_WEEK;
      const weekday = (Math.floor(local / 96) + 3) % 7; // quarter 0 is Thursday 00:00; Monday = 0
      const hour = Math.floor((local % 96) / 4);
      m.total[weekday]![hour]! += n[i]!;
      m.answered[weekday]![hour]! += a[i]!;
    }
  };
  if (!readCalls && totalsServe(db, f, 'matrix', tz)) {
    const rows = db
      .prepare(`SELECT campaign, how, sum(n) AS n0, sum(CASE WHEN status = 'answered' THEN n ELSE 0 END) AS a0 FROM cdrs_totals
                WHERE (${f.where}) AND how >= 0 GROUP BY campaign, how HAVING sum(n) > 0`)
      .all(...f.params) as (MatrixRow & { how: number })[];
    // Hours of the week from Monday 00:00, local already: the same as quarter-hours from Thursday 00:00 at no shift.
    for (const r of rows) add({ ...r, q: (r.how * 4 + QUARTERS_PER_WEEK - 3 * 96) % QUARTERS_PER_WEEK }, [0]);
  } else {
    matrixFromCalls(db, f, tz, add);
  }
  const campaigns = [...byCampaign].map(([campaign, m]) => ({ campaign, ...m }));
  campaigns.sort((a, b) => (a.campaign ?? '\uffff').localeCompare(b.campaign ?? '\uffff'));
  return { weekdays: [...WEEKDAYS], campaigns };
}

/**
 * The matrix from the calls themselves (a time window, text or phone filter, another zone, or readCalls). Reads the
 * cdrs_summary index and sorts each range's quarter-hours: the index that held them in order (cdrs_week, dropped
 * by migration 005) cost every sync write more than it saved this path, which the running totals mostly spare.
 */
function matrixFromCalls(db: Database, f: CompiledFilterDetail, tz: string | undefined, add: (r: MatrixRow, shifts: number[]) => void): void {
  const { lo, hi } = startedSpan(db);
  const q = `(started_at / ${QUARTER_MS}) % ${QUARTERS_PER_WEEK}`;
  for (const [zone, ids] of bucketZones(f, tz)) {
    const { sql, shifts } = matrixAggregates(zone, lo, hi);
    if (rangeByRange(f)) {
      // One range of cdrs_summary per account and campaign (any status), grouped on the quarter-hour alone
      // (see index-prefixes.ts).
      const range = db.prepare(
        `SELECT ${q} AS q, ${sql} FROM cdrs INDEXED BY cdrs_summary WHERE account_id = ? AND campaign IS ? AND (${f.where}) GROUP BY ${q}`,
      );
      for (const id of ids) {
        for (const campaign of campaignsOf(db, id)) {
          for (const r of range.all(id, campaign, ...f.params) as MatrixRow[]) add({ ...r, campaign }, shifts);
        }
      }
    } else {
      const rows = db
        .prepare(
          `SELECT campaign, ${q} AS q, ${sql} FROM cdrs INDEXED BY cdrs_summary
           WHERE account_id IN (${ids.map(Number).join(',')}) AND (${f.where}) GROUP BY account_id, campaign, ${q}`,
        )
        .all(...f.params) as MatrixRow[];
      for (const r of rows) add(r, shifts);
    }
  }
}
