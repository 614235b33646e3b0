// Running totals per (account, campaign, status, direction) and local hour of the week (cdrs_totals) or local day
// (cdrs_day_totals): the figures of a summary by campaign, status, account, hour or day and of the weekday-hour
// matrix, so that a summary of the whole cache reads a few thousand totals instead of a million calls. CdrWriter counts the calls it inserts, in the same transaction
// (addCallsSql); triggers on cdrs (migration 004) follow every change and delete, whoever makes it.
//
// Hours and days are local to the account's own zone. SQL cannot ask Intl for a zone's offset, so each
// account's offsets are written to account_zone_spans (whole years around its calls, filled by CdrWriter before
// it writes a batch) and the triggers look the offset up there. A call whose instant no span covers (written by
// other means, or outside 1900-2199) is counted at hour UNKNOWN_HOUR and day UNKNOWN_DAY: the totals stay exact
// for every figure but those, and hour- and day-based readers then go back to the calls themselves.
import type { Database } from 'better-sqlite3';
import { offsetSpans } from '../search/zone-offsets.ts';

/** `how` of a call without a start time. */
export const NO_START = -1;
/** `how` of a call whose start no zone span covers. */
export const UNKNOWN_HOUR = -2;
/** `day` of a call without a start time, and of one whose start no zone span covers (before any real day). */
export const NO_START_DAY = -1_000_000;
export const UNKNOWN_DAY = -2_000_000;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const HOURS_PER_WEEK = 168;
/** 1970-01-01 00:00 was a Thursday: hour 0 of the epoch is hour 72 of a week starting on Monday. */
const EPOCH_HOUR_OF_WEEK = 72;
/** Spans are kept for these years only (the range of the zone-offset cache, time/zone.ts). */
const SPANS_FROM = Date.UTC(1900, 0, 1);
const SPANS_TO = Date.UTC(2200, 0, 1);

/** Whole weeks (ms) added before dividing, so instants before 1970 (down to 1900) divide as positive numbers. */
const WEEKS_AHEAD_MS = 10_000 * HOURS_PER_WEEK * HOUR_MS;

/**
 * SQL: the zone offset (ms) at instant `t` of a call of `account`, or NULL where no span covers t: row
 * references qualified by their table (new.started_at, cdrs.started_at), since the lookup's own table has an
 * account_id too. The span found is the last one starting at or before t; if it ends before t, t is not covered.
 * Each bucket uses it once: SQLite would run the lookup again for every copy.
 */
function offsetSql(account: string, t: string): string {
  return `(SELECT CASE WHEN until_ms > ${t} THEN offset_ms END FROM account_zone_spans
           WHERE account_id = ${account} AND from_ms <= ${t} ORDER BY from_ms DESC LIMIT 1)`;
}

/** SQL: the local hour of the week (Monday 00:00 = 0) of a call of `account` started at `t`. */
export function howSql(account: string, t: string): string {
  const hourOfWeek = `(((${t} + ${offsetSql(account, t)} + ${WEEKS_AHEAD_MS}) / ${HOUR_MS} + ${EPOCH_HOUR_OF_WEEK}) % ${HOURS_PER_WEEK})`;
  return `(CASE WHEN ${t} IS NULL THEN ${NO_START} ELSE coalesce(${hourOfWeek}, ${UNKNOWN_HOUR}) END)`;
}

/** SQL: the local day (days since 1970-01-01) of a call of `account` started at `t`. */
export function daySql(account: string, t: string): string {
  const day = `((${t} + ${offsetSql(account, t)} + ${WEEKS_AHEAD_MS}) / ${DAY_MS} - ${WEEKS_AHEAD_MS / DAY_MS})`;
  return `(CASE WHEN ${t} IS NULL THEN ${NO_START_DAY} ELSE coalesce(${day}, ${UNKNOWN_DAY}) END)`;
}

/** A totals table and the time bucket it counts calls in. */
export interface TotalsTable {
  table: 'cdrs_totals' | 'cdrs_day_totals';
  bucket: 'how' | 'day';
  bucketSql: (account: string, t: string) => string;
}

export const TOTALS_TABLES: readonly TotalsTable[] = [
  { table: 'cdrs_totals', bucket: 'how', bucketSql: howSql },
  { table: 'cdrs_day_totals', bucket: 'day', bucketSql: daySql },
];

/** The unique key of a totals table (NULL campaign and direction are keys too, so they are mapped to non-NULLs). */
export const totalsKey = (t: TotalsTable): string => `account_id, ifnull(campaign, x'00'), status, ifnull(direction, ''), ${t.bucket}`;

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
 * written. Returns false if calls already cached in the newly covered years had been counted at an unknown hour
 * and day (written by other means): the caller rebuilds the account's totals.
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
 * SQL adding the calls selected by `where` (over cdrs) to totals table `t`: how CdrWriter counts the calls it
 * inserted (ids above the previous maximum, once per batch: a trigger on insert would make SQLite keep a
 * statement journal for every insert, which cost more than the insert itself) and how rebuildTotals counts an account.
 * `cost`: the tables have the cost columns (the costs migration); false only while migration 004 counts calls.
 */
export function addCallsSql(t: TotalsTable, where: string, opts: { byId?: boolean; cost?: boolean } = {}): string {
  const cost = opts.cost ?? true;
  // By id, the new calls are one range of the table; without NOT INDEXED SQLite would rather walk a whole index
  // that hands rows out already grouped.
  return `INSERT INTO ${t.table} (account_id, campaign, status, direction, ${t.bucket}, n, bill, wait, wait_n${cost ? ', cost, cost_n' : ''})
          SELECT account_id, campaign, status, direction, ${t.bucketSql('cdrs.account_id', 'cdrs.started_at')} AS b,
                 count(*), coalesce(sum(bill_sec), 0), coalesce(sum(wait_sec), 0), count(wait_sec)${cost ? ', coalesce(sum(cost), 0), count(cost)' : ''}
          FROM cdrs${opts.byId ? ' NOT INDEXED' : ''} WHERE ${where} GROUP BY account_id, campaign, status, direction, b
          ON CONFLICT (${totalsKey(t)}) DO UPDATE SET n = n + excluded.n, bill = bill + excluded.bill, wait = wait + excluded.wait,
            wait_n = wait_n + excluded.wait_n${cost ? ', cost = cost + excluded.cost, cost_n = cost_n + excluded.cost_n' : ''}`;
}

/** Whether the totals tables carry cost (since the costs migration); rebuilds run by earlier migrations count without it. */
function totalsHaveCost(db: Database): boolean {
  return !!db.prepare("SELECT 1 FROM pragma_table_info('cdrs_totals') WHERE name = 'cost'").get();
}

/** The call in row `r` (new or old) added to (sign 1) or taken from (-1) totals table `t`; taking only updates. */
function changeSql(t: TotalsTable, r: 'new' | 'old', sign: 1 | -1): string {
  const bucket = t.bucketSql(`${r}.account_id`, `${r}.started_at`);
  if (sign < 0) {
    return `UPDATE ${t.table} SET n = n - 1, bill = bill - coalesce(${r}.bill_sec, 0), wait = wait - coalesce(${r}.wait_sec, 0),
              wait_n = wait_n - (${r}.wait_sec IS NOT NULL), cost = cost - coalesce(${r}.cost, 0), cost_n = cost_n - (${r}.cost IS NOT NULL)
            WHERE account_id = ${r}.account_id AND ifnull(campaign, x'00') = ifnull(${r}.campaign, x'00') AND status = ${r}.status
              AND ifnull(direction, '') = ifnull(${r}.direction, '') AND ${t.bucket} = ${bucket};`;
  }
  return `INSERT INTO ${t.table} (account_id, campaign, status, direction, ${t.bucket}, n, bill, wait, wait_n, cost, cost_n)
          VALUES (${r}.account_id, ${r}.campaign, ${r}.status, ${r}.direction, ${bucket}, 1, coalesce(${r}.bill_sec, 0),
                  coalesce(${r}.wait_sec, 0), ${r}.wait_sec IS NOT NULL, coalesce(${r}.cost, 0), ${r}.cost IS NOT NULL)
          ON CONFLICT (${totalsKey(t)}) DO UPDATE SET n = n + 1, bill = bill + excluded.bill, wait = wait + excluded.wait,
            wait_n = wait_n + excluded.wait_n, cost = cost + excluded.cost, cost_n = cost_n + excluded.cost_n;`;
}

const changeAll = (r: 'new' | 'old', sign: 1 | -1) => TOTALS_TABLES.map((t) => changeSql(t, r, sign)).join('\n');

/** The columns the totals count besides cost. */
const COUNTED = ['account_id', 'campaign', 'status', 'direction', 'started_at', 'bill_sec', 'wait_sec'];

/**
 * The triggers that keep the totals in step with every change and delete of a call (with cost, since the costs migration). A
 * change of cost alone is skipped while the account is being repriced (costs/store.ts, repriceCalls), which
 * rebuilds its totals once at the end.
 */
export const TOTALS_TRIGGERS = `
  CREATE TRIGGER cdrs_totals_ad AFTER DELETE ON cdrs BEGIN ${changeAll('old', -1)} END;
  CREATE TRIGGER cdrs_totals_au AFTER UPDATE OF ${[...COUNTED, 'cost'].join(', ')} ON cdrs
    WHEN ${COUNTED.map((c) => `old.${c} IS NOT new.${c}`).join(' OR ')}
      OR (old.cost IS NOT new.cost AND NOT EXISTS (SELECT 1 FROM cost_repricing WHERE account_id = new.account_id))
  BEGIN ${changeAll('old', -1)} ${changeAll('new', 1)} END;
`;

/** Recomputes the account's spans (in its current zone) and totals from its cached calls, in the caller's transaction. */
export function rebuildTotals(db: Database, accountId: number): void {
  const zone = db.prepare('SELECT timezone FROM accounts WHERE id = ?').pluck().get(accountId) as string | undefined;
  db.prepare('DELETE FROM account_zone_spans WHERE account_id = ?').run(accountId);
  for (const t of TOTALS_TABLES) db.prepare(`DELETE FROM ${t.table} WHERE account_id = ?`).run(accountId);
  if (zone === undefined) return;
  const span = db.prepare('SELECT min(started_at) AS lo, max(started_at) AS hi FROM cdrs WHERE account_id = ?').get(accountId) as
    { lo: number | null; hi: number | null };
  if (span.lo !== null && span.hi !== null) coverZone(db, accountId, zone, span.lo, span.hi);
  const cost = totalsHaveCost(db);
  for (const t of TOTALS_TABLES) db.prepare(addCallsSql(t, 'account_id = ?', { cost })).run(accountId);
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

/**
 * Whether the hour of the week and the day of every call of these accounts are known (no call counted at
 * UNKNOWN_HOUR; the same spans give both, so none at UNKNOWN_DAY either).
 */
export function hoursKnown(db: Database, accountIds: readonly number[]): boolean {
  if (!accountIds.length) return true;
  return !db
    .prepare(`SELECT 1 FROM cdrs_totals WHERE how = ${UNKNOWN_HOUR} AND n > 0 AND account_id IN (${accountIds.map(Number).join(',')}) LIMIT 1`)
    .get();
}
