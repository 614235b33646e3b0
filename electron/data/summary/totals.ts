// Running totals per (account, campaign, status, direction, local hour of the week): the figures of a summary by
// campaign, status, account or hour and of the weekday-hour matrix, so that a summary of the whole cache reads a
// few thousand totals instead of a million calls. CdrWriter counts the calls it inserts, in the same transaction
// (addCallsSql); triggers on cdrs (migration 004) follow every change and delete, whoever makes it.
//
// The hour of the week is local to the account's own zone. SQL cannot ask Intl for a zone's offset, so each
// account's offsets are written to account_zone_spans (whole years around its calls, filled by CdrWriter before
// it writes a batch) and the triggers look the offset up there. A call whose instant no span covers (written by
// other means, or outside 1900-2199) is counted at hour UNKNOWN_HOUR: the totals stay exact for every figure
// but the hour, and hour-based readers then go back to the calls themselves.
import type { Database } from 'better-sqlite3';
import { offsetSpans } from '../query/zone-offsets.ts';

/** `how` of a call without a start time. */
export const NO_START = -1;
/** `how` of a call whose start no zone span covers. */
export const UNKNOWN_HOUR = -2;

const HOUR_MS = 3_600_000;
const HOURS_PER_WEEK = 168;
/** 1970-01-01 00:00 was a Thursday: hour 0 of the epoch is hour 72 of a week starting on Monday. */
const EPOCH_HOUR_OF_WEEK = 72;
/** Spans are kept for these years only (the range of the zone-offset cache, time/zone.ts). */
const SPANS_FROM = Date.UTC(1900, 0, 1);
const SPANS_TO = Date.UTC(2200, 0, 1);

/** Whole weeks (ms) added before dividing, so instants before 1970 (down to 1900) divide as positive numbers. */
const WEEKS_AHEAD_MS = 10_000 * HOURS_PER_WEEK * HOUR_MS;

/**
 * SQL: the local hour of the week (Monday 00:00 = 0) of instant `t` at zone offset `offset` (ms). Each operand
 * appears once: the offset is a lookup, and SQLite would run it again for every copy.
 */
function hourOfWeekSql(t: string, offset: string): string {
  return `(((${t} + ${offset} + ${WEEKS_AHEAD_MS}) / ${HOUR_MS} + ${EPOCH_HOUR_OF_WEEK}) % ${HOURS_PER_WEEK})`;
}

/**
 * SQL: the `how` of a call of `account` started at `t`: row references qualified by their table (new.started_at,
 * cdrs.started_at), since the lookup's own table has an account_id too.
 * The span found is the last one starting at or before t; if it ends before t, t is not covered.
 */
export function howSql(account: string, t: string): string {
  const offset = `(SELECT CASE WHEN until_ms > ${t} THEN offset_ms END FROM account_zone_spans
                   WHERE account_id = ${account} AND from_ms <= ${t} ORDER BY from_ms DESC LIMIT 1)`;
  return `(CASE WHEN ${t} IS NULL THEN ${NO_START} ELSE coalesce(${hourOfWeekSql(t, offset)}, ${UNKNOWN_HOUR}) END)`;
}

/** The unique key of cdrs_totals (NULL campaign and direction are keys too, so they are mapped to non-NULLs). */
export const TOTALS_KEY = `account_id, ifnull(campaign, x'00'), status, ifnull(direction, ''), how`;

/** The first and last instant covered by the account's spans (null when it has none). */
function coverage(db: Database, accountId: number): { lo: number; hi: number } | null {
  const r = db
    .prepare('SELECT min(from_ms) AS lo, max(until_ms) AS hi FROM account_zone_spans WHERE account_id = ?')
    .get(accountId) as { lo: number | null; hi: number | null };
  return r.lo === null || r.hi === null ? null : { lo: r.lo, hi: r.hi };
}

const yearStart = (t: number) => Date.UTC(new Date(t).getUTCFullYear(), 0, 1);
const nextYearStart = (t: number) => Date.UTC(new Date(t).getUTCFullYear() + 1, 0, 1);

function writeSpans(db: Database, accountId: number, zone: string, from: number, to: number): void {
  const insert = db.prepare('INSERT INTO account_zone_spans (account_id, from_ms, until_ms, offset_ms) VALUES (?, ?, ?, ?)');
  let start = from;
  for (const s of offsetSpans(zone, from, to)) {
    const end = s.until === null ? to : Math.min(s.until, to);
    if (end > start) insert.run(accountId, start, end, s.offsetMs);
    start = Math.max(start, end);
    if (start >= to) break;
  }
}

/**
 * Makes the account's spans cover [lo, hi] (whole years, within 1900-2199) before calls started then are
 * written. Returns false if calls already cached in the newly covered years had been counted at UNKNOWN_HOUR
 * (written by other means): the caller rebuilds the account's totals.
 */
export function coverZone(db: Database, accountId: number, zone: string, lo: number, hi: number): boolean {
  const from = Math.max(yearStart(Math.max(lo, SPANS_FROM)), SPANS_FROM);
  const to = Math.min(nextYearStart(Math.min(hi, SPANS_TO - 1)), SPANS_TO);
  if (from >= to) return true;
  const have = coverage(db, accountId);
  const gaps: [number, number][] = have
    ? [[from, Math.min(to, have.lo)], [Math.max(from, have.hi), to]].filter(([a, b]) => a! < b!) as [number, number][]
    : [[from, to]];
  if (!gaps.length) return true;
  const cached = db.prepare('SELECT 1 FROM cdrs WHERE account_id = ? AND started_at >= ? AND started_at < ? LIMIT 1');
  let clean = true;
  for (const [a, b] of gaps) {
    if (cached.get(accountId, a, b)) clean = false;
    writeSpans(db, accountId, zone, a, b);
  }
  return clean;
}

/**
 * SQL adding the calls selected by `where` (over cdrs) to the totals: how CdrWriter counts the calls it inserted
 * (ids above the previous maximum, once per batch: a trigger on insert would make SQLite keep a statement
 * journal for every insert, which cost more than the insert itself) and how rebuildTotals counts an account.
 */
export function addCallsSql(where: string, opts: { byId?: boolean } = {}): string {
  // By id, the new calls are one range of the table; without NOT INDEXED SQLite would rather walk a whole index
  // that hands rows out already grouped.
  return `INSERT INTO cdrs_totals (account_id, campaign, status, direction, how, n, bill, wait, wait_n)
          SELECT account_id, campaign, status, direction, ${howSql('cdrs.account_id', 'cdrs.started_at')} AS h,
                 count(*), coalesce(sum(bill_sec), 0), coalesce(sum(wait_sec), 0), count(wait_sec)
          FROM cdrs${opts.byId ? ' NOT INDEXED' : ''} WHERE ${where} GROUP BY account_id, campaign, status, direction, h
          ON CONFLICT (${TOTALS_KEY}) DO UPDATE SET n = n + excluded.n, bill = bill + excluded.bill, wait = wait + excluded.wait,
            wait_n = wait_n + excluded.wait_n`;
}

/** Recomputes the account's spans (in its current zone) and totals from its cached calls, in the caller's transaction. */
export function rebuildTotals(db: Database, accountId: number): void {
  const zone = db.prepare('SELECT timezone FROM accounts WHERE id = ?').pluck().get(accountId) as string | undefined;
  db.prepare('DELETE FROM account_zone_spans WHERE account_id = ?').run(accountId);
  db.prepare('DELETE FROM cdrs_totals WHERE account_id = ?').run(accountId);
  if (zone === undefined) return;
  const span = db.prepare('SELECT min(started_at) AS lo, max(started_at) AS hi FROM cdrs WHERE account_id = ?').get(accountId) as
    { lo: number | null; hi: number | null };
  if (span.lo !== null && span.hi !== null) coverZone(db, accountId, zone, span.lo, span.hi);
  db.prepare(addCallsSql('account_id = ?')).run(accountId);
}

/** The tz data this process computes offsets with (ICU's version; empty if unknown). */
const zoneDataVersion = (): string => process.versions.tz ?? '';

/** Recounts every account and records the tz data used. */
export function rebuildAllTotals(db: Database): void {
  for (const id of db.prepare('SELECT id FROM accounts').pluck().all() as number[]) rebuildTotals(db, id);
  db.prepare('DELETE FROM zone_data').run();
  db.prepare('INSERT INTO zone_data (version) VALUES (?)').run(zoneDataVersion());
}

/**
 * Run when a workspace opens: if the spans were computed with other tz data than this process has (the app or
 * Node was updated), computes them and the hours again, so totals and the calls give the same hours.
 */
export function zoneDataChecked(db: Database): void {
  const stored = db.prepare('SELECT version FROM zone_data').pluck().get() as string | undefined;
  if (stored !== zoneDataVersion()) db.transaction(() => rebuildAllTotals(db))();
}

/** Whether the hour-of-week of every call of these accounts is known (no call counted at UNKNOWN_HOUR). */
export function hoursKnown(db: Database, accountIds: readonly number[]): boolean {
  if (!accountIds.length) return true;
  return !db
    .prepare(`SELECT 1 FROM cdrs_totals WHERE how = ${UNKNOWN_HOUR} AND n > 0 AND account_id IN (${accountIds.map(Number).join(',')}) LIMIT 1`)
    .get();
}
