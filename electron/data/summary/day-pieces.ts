// A summary by day read from the calls without sorting them (issue 20). The instants from an account's first
// call to its last are cut into pieces that each lie within one local day of the bucket zone (a day with an offset
// change is two pieces) and written to a temp table in time order; each piece's sums are one correlated subquery
// over its range of one account's calls of one status in start order (migration 014's index). SQLite reads each
// call once and neither sorts the calls nor compares a group key on each. The day of a piece is the local day its
// calls fall in, exactly as the offsets of search/zone-offsets.ts put them (to the second, old local mean times too).
import type { Database } from 'better-sqlite3';
import { DAY_SUMMARY_INDEX } from '../db/migrations/014_day_summary_index.ts';
import { offsetSpans } from '../search/zone-offsets.ts';

const DAY_MS = 86_400_000;

/** Instants lo (inclusive) to hi (exclusive), all in one local day: days since 1970-01-01 on the zone's wall clock. */
export interface DayPiece {
  lo: number;
  hi: number;
  day: number;
}

/**
 * The instants from `from` to `to` (both inclusive), cut where the zone's local wall clock enters another unit of
 * `unitMs` (a day, an hour) counted from 1970-01-01 00:00 on that clock; `unit` is that count.
 */
export function localPieces(zone: string, from: number, to: number, unitMs: number): { lo: number; hi: number; unit: number }[] {
  const pieces: { lo: number; hi: number; unit: number }[] = [];
  let t = from;
  for (const span of offsetSpans(zone, from, to)) {
    const end = Math.min(span.until ?? Number.POSITIVE_INFINITY, to + 1);
    while (t < end) {
      const unit = Math.floor((t + span.offsetMs) / unitMs);
      const next = Math.min(end, (unit + 1) * unitMs - span.offsetMs);
      pieces.push({ lo: t, hi: next, unit });
      t = next;
    }
  }
  return pieces;
}

/** The instants from `from` to `to` (both inclusive), cut where the zone's local day changes. */
export function localDayPieces(zone: string, from: number, to: number): DayPiece[] {
  return localPieces(zone, from, to, DAY_MS).map(({ lo, hi, unit }) => ({ lo, hi, day: unit }));
}

const PIECES = 'temp.summary_day_pieces';

/**
 * The first and last start of one account's calls of one status (null when none has a start), from migration
 * 014's index: two statements, since SQLite answers a lone min() or max() by one seek, both together by reading the range.
 */
export function startSpans(db: Database): (accountId: number, status: string) => { lo: number; hi: number } | null {
  const first = db.prepare(`SELECT min(started_at) FROM cdrs INDEXED BY ${DAY_SUMMARY_INDEX} WHERE account_id = ? AND status = ?`).pluck();
  const last = db.prepare(`SELECT max(started_at) FROM cdrs INDEXED BY ${DAY_SUMMARY_INDEX} WHERE account_id = ? AND status = ?`).pluck();
  return (accountId, status) => {
    const lo = first.get(accountId, status) as number | null;
    const hi = last.get(accountId, status) as number | null;
    return lo === null || hi === null ? null : { lo, hi };
  };
}

/** One local day's sums (named as `sums` names them) of one account's calls of one status; k: the day, null for calls with no start. */
export type DayRow = Record<string, number | null> & { k: number | null; n: number };

/**
 * Per local day of `zone`, the sums (name → SQL aggregate over the cdrs columns; `n` the count) of one account's
 * calls of each status that pass `where` (a filter with no text or phone match: its columns are in the index), for
 * the days that have such calls. Calls with no start time are one more group, keyed null. Each day is a correlated
 * subquery over its range, not a join grouped on the day: SQLite then compares no group key on each call. Only
 * the days from a status's first call to its last are read (one seek each, found or not). Runs in the caller's
 * read transaction (the temp table is the connection's own).
 */
export function dayRowsOfAccount<S extends string>(
  db: Database,
  q: { accountId: number; zone: string; statuses: readonly S[]; sums: Record<string, string>; where: string; params: unknown[] },
): { status: S; row: DayRow }[] {
  const spanOf = startSpans(db);
  const started = q.statuses.flatMap((status) => {
    const span = spanOf(q.accountId, status);
    return span ? [{ status, ...span }] : [];
  });

  db.exec(`CREATE TEMP TABLE IF NOT EXISTS summary_day_pieces (piece_lo INTEGER PRIMARY KEY, piece_hi INTEGER NOT NULL, day INTEGER NOT NULL);
           DELETE FROM ${PIECES};`);
  const pieces = started.length
    ? localDayPieces(q.zone, Math.min(...started.map((s) => s.lo)), Math.max(...started.map((s) => s.hi)))
    : [];
  const insert = db.prepare(`INSERT INTO ${PIECES} (piece_lo, piece_hi, day) VALUES (?, ?, ?)`);
  for (const p of pieces) insert.run(p.lo, p.hi, p.day);

  const names = Object.keys(q.sums);
  const aggregates = Object.values(q.sums).join(', ');
  const byDay = db.prepare(
    `SELECT p.day, (SELECT json_array(${aggregates}) FROM cdrs INDEXED BY ${DAY_SUMMARY_INDEX}
                    WHERE account_id = ? AND status = ? AND started_at >= p.piece_lo AND started_at < p.piece_hi AND (${q.where}))
     FROM ${PIECES} p WHERE p.piece_hi > ? AND p.piece_lo <= ?`,
  ).raw();
  const unstarted = db.prepare(
    `SELECT NULL, json_array(${aggregates}) FROM cdrs INDEXED BY ${DAY_SUMMARY_INDEX}
     WHERE account_id = ? AND status = ? AND started_at IS NULL AND (${q.where})`,
  ).raw();
  const out: { status: S; row: DayRow }[] = [];
  const add = (status: S, [k, json]: [number | null, string]) => {
    const values = JSON.parse(json) as number[];
    const row = Object.fromEntries(names.map((name, i) => [name, values[i]!])) as DayRow;
    if (row.n) out.push({ status, row: { ...row, k } });
  };
  for (const s of started) {
    // Parameters in the order of their marks: the subquery's (account, status, filter), then the status's span.
    for (const r of byDay.all(q.accountId, s.status, ...q.params, s.lo, s.hi) as [number, string][]) add(s.status, r);
  }
  for (const status of q.statuses) add(status, unstarted.get(q.accountId, status, ...q.params) as [null, string]);
  return out;
}
