// A summary by hour of the day read from the calls without sorting them all (issue 20). GROUP BY on each call's
// local hour made SQLite sort every selected call in a temp B-tree, which cost more than reading them (the sort
// floor bench/search-summary-floor.ts measures). Here the instants of a status's calls are cut into pieces that each lie within
// one local hour of the bucket zone (day-pieces.ts localPieces), written to a temp table in time order, and joined
// to that status's calls in start order (migration 014's index) with the pieces as the outer loop: SQLite reads
// each piece's calls as one range, grouped on the piece it is reading, and sorts nothing. Each piece costs one
// seek, so a status with few calls per piece is sorted on its local hour as before.
import type { Database } from 'better-sqlite3';
import { DAY_SUMMARY_INDEX } from '../db/migrations/014_day_summary_index.ts';
import { localPieces, startSpans, type DayRow } from './day-pieces.ts';

const HOUR_MS = 3_600_000;
/** A status with fewer calls than this many per hour of its span is sorted on its hour: seeks would cost more. */
const SORTED_BELOW_PER_PIECE = 8;
const PIECES = 'temp.summary_hour_pieces';

/**
 * Per hour of the day (0–23) in `zone`, the sums (name → SQL aggregate over the cdrs columns; `n` the count) of the
 * calls of each account and status that pass `where` (no text or phone match: its columns are in the index), as
 * rows to add up (several per hour: one per piece); k is null for calls with no start. `hourKey(account)` is the
 * SQL of a call's local hour of the day in `zone`, for a status sorted whole. Runs in the caller's read
 * transaction (the temp table is the connection's own), on a connection that may write its temp schema.
 */
export function hourRowsInZone<S extends string>(
  db: Database,
  q: { accountIds: number[]; zone: string; statuses: readonly S[]; sums: (accountId: number) => Record<string, string>; where: string; params: unknown[];
    hourKey: (accountId: number) => string },
): { accountId: number; status: S; row: DayRow }[] {
  const from = `cdrs INDEXED BY ${DAY_SUMMARY_INDEX}`;
  const spanOf = startSpans(db);
  // The running totals (totals.ts) count each account's calls of a status, whatever the filter: enough to choose.
  const counts = new Map<string, number>();
  const totals = db.prepare(`SELECT account_id, status, n FROM cdrs_totals WHERE account_id IN (${q.accountIds.map(Number).join(',')})`).raw();
  for (const [accountId, status, n] of totals.iterate() as Iterable<[number, string, number]>) {
    counts.set(`${accountId} ${status}`, (counts.get(`${accountId} ${status}`) ?? 0) + n);
  }
  // Each account and status, joined to the pieces when it has at least SORTED_BELOW_PER_PIECE calls per hour of its span.
  const ranges = q.accountIds.flatMap((accountId) => q.statuses.map((status) => {
    const span = spanOf(accountId, status);
    const joined = span !== null && (counts.get(`${accountId} ${status}`) ?? 0) >= ((span.hi - span.lo) / HOUR_MS + 1) * SORTED_BELOW_PER_PIECE;
    return { accountId, status, span: joined ? span : null };
  }));
  const spans = ranges.flatMap((r) => (r.span ? [r.span] : []));
  if (spans.length) {
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS summary_hour_pieces (piece_lo INTEGER PRIMARY KEY, piece_hi INTEGER NOT NULL, piece_hour INTEGER NOT NULL);
             DELETE FROM ${PIECES};`);
    const pieces = localPieces(q.zone, Math.min(...spans.map((s) => s.lo)), Math.max(...spans.map((s) => s.hi)), HOUR_MS);
    // One statement for all pieces: one INSERT per piece cost more than reading the calls of a small account.
    db.prepare(`INSERT INTO ${PIECES} (piece_lo, piece_hi, piece_hour) SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)`)
      .run(JSON.stringify(pieces.map((p) => [p.lo, p.hi, ((p.unit % 24) + 24) % 24])));
  }

  const out: { accountId: number; status: S; row: DayRow }[] = [];
  for (const accountId of q.accountIds) {
    const sums = q.sums(accountId);
    const names = ['k', ...Object.keys(sums)];
    const aggregates = Object.entries(sums).map(([name, sql]) => `${sql} AS ${name}`).join(', ');
    // CROSS JOIN keeps the pieces the outer loop, read in piece_lo order: the GROUP BY on it needs no sort. Prepared
    // only when some status is joined: it names the pieces' table, created then.
    const byPiece = spans.length ? db.prepare(
      `SELECT p.piece_hour AS k, ${aggregates} FROM ${PIECES} p CROSS JOIN ${from}
       WHERE p.piece_lo <= ? AND p.piece_hi > ? AND account_id = ? AND status = ? AND started_at >= p.piece_lo AND started_at < p.piece_hi
         AND (${q.where}) GROUP BY p.piece_lo`,
    ).raw() : null;
    const unstarted = db.prepare(`SELECT NULL AS k, ${aggregates} FROM ${from} WHERE account_id = ? AND status = ? AND started_at IS NULL AND (${q.where})`).raw();
    const sorted = db.prepare(`SELECT ${q.hourKey(accountId)} AS k, ${aggregates} FROM ${from} WHERE account_id = ? AND status = ? AND (${q.where}) GROUP BY k`).raw();
    for (const { status, span } of ranges.filter((r) => r.accountId === accountId)) {
      // A piece's row per hour it spans: added up here, so the caller folds one row per hour (and one without a start).
      const byHour = new Map<number | null, number[]>();
      const add = (rows: (number | null)[][]) => {
        for (const [k, ...values] of rows) {
          const had = byHour.get(k as number | null);
          if (!had) byHour.set(k as number | null, values as number[]);
          else for (let v = 0; v < had.length; v++) had[v]! += (values[v] as number) ?? 0;
        }
      };
      if (span) {
        // Parameters in the order of their marks: the status's span, the account and status, then the filter's.
        add(byPiece!.all(span.hi, span.lo, accountId, status, ...q.params) as (number | null)[][]);
        add(unstarted.all(accountId, status, ...q.params) as (number | null)[][]);
      } else {
        add(sorted.all(accountId, status, ...q.params) as (number | null)[][]);
      }
      for (const [k, values] of byHour) {
        const row = Object.fromEntries(names.map((n, i) => [n, i ? values[i - 1] : k])) as DayRow;
        if (row.n) out.push({ accountId, status, row });
      }
    }
  }
  return out;
}

