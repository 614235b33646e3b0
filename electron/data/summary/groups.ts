// Calls grouped by campaign, day, hour, status, agent or account, with day/hour buckets in a chosen zone (default:
// each account's own): from the running totals (totals.ts) where they hold the answer, else from the calls.
import { CALL_STATUSES, type CallStatus } from '../../shared/cdr.ts';
import type { Database } from 'better-sqlite3';
import type { SearchFilter } from '../../shared/filter.ts';
import { SUMMARY_GROUPINGS, type SummaryBy, type SummaryRow } from '../../shared/search.ts';
import { UserError } from '../errors.ts';
import { compileFilterDetail, hostDb, type CompiledFilterDetail, type FilterAccount, type FilterHost } from '../search/filter.ts';
import { localTimeSql } from '../search/zone-offsets.ts';
import { tempWritable } from '../search/change-state.ts';
import { campaignsOf, inOneSnapshot, rangeByRange, summaryFrom } from './index-prefixes.ts';
import { dayRowsOfAccount } from './day-pieces.ts';
import { hourRowsInZone } from './hour-pieces.ts';
import { hoursKnown, NO_START_DAY } from './totals.ts';
import { totalsShiftOf } from './zone-shift.ts';
import { isValidTimeZone } from '../time/zone.ts';
import { calendarKey, type Calendar } from '../time/calendar.ts';
import { type Sums, sumsOf, figures, addSums, costFigures } from './figures.ts';

const DAY_MS = 86_400_000;
/** The groupings the queries compute; weeks and months are regrouped days. */
export type StoredGrouping = Exclude<SummaryBy, 'week' | 'month'>;
const HOUR_MS = 3_600_000;
const HOURS_PER_WEEK = 168;

export interface SummaryOptions {
  filter: SearchFilter;
  by: SummaryBy;
  /** Zone of day/hour buckets; default filter.tz, else each account's own. */
  tz?: string;
  /** Calendar of day, week and month keys; default gregorian. */
  calendar?: Calendar;
  /** Reads the calls even where the running totals hold the answer (tests compare the two). */
  readCalls?: boolean;
}

export function checkBy(by: unknown): SummaryBy {
  if (!(SUMMARY_GROUPINGS as readonly unknown[]).includes(by)) {
    throw new UserError(`unknown grouping "${String(by)}" (use ${SUMMARY_GROUPINGS.join(', ')})`);
  }
  return by as SummaryBy;
}

export function checkTz(tz: string | undefined): string | undefined {
  if (tz !== undefined && !isValidTimeZone(tz)) throw new UserError(`unknown time zone "${tz}" (use an IANA name like Asia/Tehran)`);
  return tz;
}

/** Zone → account ids whose rows are bucketed in it. */
export function bucketZones(f: CompiledFilterDetail, tz: string | undefined): Map<string, number[]> {
  const zones = new Map<string, number[]>();
  for (const a of f.accountsById.values()) {
    const z = tz ?? a.timezone;
    zones.set(z, [...(zones.get(z) ?? []), a.id]);
  }
  return zones;
}

/** First and last cached start (min/max come from the index): zone offsets are looked up over this span. */
export function startedSpan(host: FilterHost): { lo: number; hi: number } {
  // Two statements: SQLite answers a lone min() or max() from the index, but both together by a full scan.
  const lo = hostDb(host).prepare('SELECT min(started_at) FROM cdrs').pluck().get() as number | null;
  const hi = hostDb(host).prepare('SELECT max(started_at) FROM cdrs').pluck().get() as number | null;
  return { lo: lo ?? 0, hi: hi ?? 0 };
}

/** SQL for local wall time of started_at, each account's rows in its bucket zone. */
function localStartedSql(host: FilterHost, zones: Map<string, number[]>): string {
  const { lo, hi } = startedSpan(host);
  return localTimeSql('started_at', zones, lo, hi);
}

/** Whole weeks (ms) added before dividing: SQLite's integer division rounds toward zero, and instants before 1970 must round down (as in totals.ts). */
const WEEKS_AHEAD_MS = 10_000 * 7 * DAY_MS;

function keySql(by: StoredGrouping, local: () => string): string {
  switch (by) {
    case 'campaign': return 'campaign';
    case 'status': return 'status';
    case 'agent': return 'agent';
    case 'account': return 'account_id';
    case 'day': return `((${local()} + ${WEEKS_AHEAD_MS}) / ${DAY_MS} - ${WEEKS_AHEAD_MS / DAY_MS})`;
    case 'hour': return `(((${local()} + ${WEEKS_AHEAD_MS}) / ${HOUR_MS}) % 24)`;
  }
}

function keyText(by: SummaryBy, raw: unknown, f: CompiledFilterDetail): string | null {
  if (raw === null || raw === undefined) return null;
  switch (by) {
    case 'day': return new Date(Number(raw) * DAY_MS).toISOString().slice(0, 10);
    case 'hour': return String(raw).padStart(2, '0');
    case 'account': return f.accountsById.get(Number(raw))?.name ?? String(raw);
    default: return String(raw);
  }
}

/** Adds one SQL group (calls of one status) to the sums of its key. */
function addGroup(s: Sums, r: GroupRow): void {
  s.total += r.n;
  s.counts[r.status] += r.n;
  if (r.status === 'answered') s.talkSec += r.bill;
  s.billSec += r.bill;
  s.waitSec += r.wait;
  s.waitCalls += r.wait_n;
  s.cost += r.cost;
  s.costCalls += r.cost_n;
}

interface GroupRow {
  account_id: number;
  campaign: string | null;
  status: CallStatus;
  agent: string | null;
  k: number | string | null;
  n: number;
  bill: number;
  wait: number;
  wait_n: number;
  cost: number;
  cost_n: number;
}

/**
 * The sums of a group of calls (name → SQL aggregate) of accounts with a currency (`priced`) or none. Only an account
 * with a currency has a card that prices its calls (costs/store.ts, loadCard), so the calls of the others carry no
 * cost to sum: leaving those two sums out makes every sorted row smaller.
 */
const groupSumsSql = (priced: boolean): Record<string, string> => ({
  n: 'count(*)', bill: 'coalesce(sum(bill_sec), 0)', wait: 'coalesce(sum(wait_sec), 0)', wait_n: 'count(wait_sec)',
  cost: priced ? 'coalesce(sum(cost), 0)' : '0', cost_n: priced ? 'count(cost)' : '0',
});

/** groupSumsSql as a select list. */
const groupAggregates = (priced: boolean) => Object.entries(groupSumsSql(priced)).map(([name, sql]) => `${sql} AS ${name}`).join(', ');

/** Each account's currency (none: no rate card): summary rows never add amounts of two currencies. */
function currencies(db: Database): Map<number, string> {
  const rows = db.prepare('SELECT account_id, currency FROM account_billing').all() as { account_id: number; currency: string }[];
  return new Map(rows.map((r) => [r.account_id, r.currency]));
}

/** Sums of one key in one currency. */
interface CurrencyGroup {
  key: string | null;
  currency: string | null;
  sums: Sums;
}

/** Adds `sums` to the group of (key, currency) in `out`. */
function addTo(out: Map<string, CurrencyGroup>, key: string | null, currency: string | null, sums: Sums): void {
  const id = JSON.stringify([key, currency]);
  const had = out.get(id);
  out.set(id, { key, currency, sums: had ? addSums(had.sums, sums) : sums });
}

/** Sums per key, all currencies together (counts and seconds: the period comparison shows no cost). */
export function groupSums(host: FilterHost, f: CompiledFilterDetail, by: StoredGrouping, tz: string | undefined, readCalls = false): Map<string | null, Sums> {
  const out = new Map<string | null, Sums>();
  for (const g of groupCurrencySums(host, f, by, tz, readCalls, false).values()) {
    const s = out.get(g.key);
    out.set(g.key, s ? addSums(s, g.sums) : g.sums);
  }
  return out;
}

/**
 * Sums per key and account currency. The SQL groups carry the account wherever the covered accounts have more
 * than one currency (or some none), so that no group mixes currencies.
 */
function groupCurrencySums(host: FilterHost, f: CompiledFilterDetail, by: StoredGrouping, tz: string | undefined, readCalls = false,
  byCurrency = true): Map<string, CurrencyGroup> {
  const parts = zoneParts(hostDb(host), f, by, tz, readCalls);
  if (parts.length === 1) return partSums(host, parts[0]!, by, tz, byCurrency);
  const merged = new Map<string, CurrencyGroup>();
  for (const part of parts) {
    for (const g of partSums(host, part, by, tz, byCurrency).values()) addTo(merged, g.key, g.currency, g.sums);
  }
  return merged;
}

/** The sums of one part of a filter (zoneParts): from the running totals moved by its shift, or from the calls. */
function partSums(host: FilterHost, { f, shift }: ZonePart, by: StoredGrouping, tz: string | undefined, byCurrency: boolean): Map<string, CurrencyGroup> {
  const db = hostDb(host);
  const currencyOf = currencies(db);
  const split = byCurrency && new Set(f.accounts.map((a) => currencyOf.get(a.id) ?? null)).size > 1;
  const sole = f.accounts.length ? currencyOf.get(f.accounts[0]!.id) ?? null : null;
  // SQL groups are added up by raw key first (tens of thousands of them by day: one per range and day), and each
  // key is turned into its text (a day's ISO date) once.
  const byRaw = new Map<string, { raw: unknown; currency: string | null; sums: Sums }>();
  const fold = (r: GroupRow) => {
    const raw = by === 'campaign' ? r.campaign : by === 'status' ? r.status : by === 'account' ? r.account_id : r.k;
    const currency = split ? currencyOf.get(r.account_id) ?? null : sole;
    const id = `${raw === null || raw === undefined ? '' : `${typeof raw}:${String(raw)}`}\u0000${currency ?? ''}`;
    let g = byRaw.get(id);
    if (!g) byRaw.set(id, (g = { raw, currency, sums: sumsOf(undefined) }));
    addGroup(g.sums, r);
  };
  const out = new Map<string, CurrencyGroup>();
  const finish = () => {
    for (const g of byRaw.values()) addTo(out, keyText(by, g.raw, f), g.currency, g.sums);
    return out;
  };
  if (shift !== null) {
    // From the running totals (summary/totals.ts): a few thousand rows whatever the number of calls.
    // Grouped on the asked key and status only: fewer rows to fold here (a day's key is a Date to format).
    // Hours of the week moved by `shift` (a whole number, zone-shift.ts), kept positive before taking the hour.
    const key = by === 'hour' ? `CASE WHEN how >= 0 THEN (how + ${shift + HOURS_PER_WEEK}) % 24 END` : by === 'day' ? `CASE WHEN day > ${NO_START_DAY} THEN day END` : 'NULL';
    const group = [by === 'campaign' ? 'campaign' : by === 'status' || by === 'account' ? null : 'k',
      by === 'account' || split ? 'account_id' : null].filter(Boolean).join(', ');
    const rows = db
      .prepare(`SELECT ${key} AS k, ${by === 'account' || split ? 'account_id' : 'NULL AS account_id'}, ${by === 'campaign' ? 'campaign' : 'NULL AS campaign'},
                  status, sum(n) AS n, sum(bill) AS bill, sum(wait) AS wait, sum(wait_n) AS wait_n, sum(cost) AS cost, sum(cost_n) AS cost_n
                FROM ${by === 'day' ? 'cdrs_day_totals' : 'cdrs_totals'} WHERE ${f.where}
                GROUP BY ${group ? `${group}, ` : ''}status HAVING sum(n) > 0`)
      .all(...f.params) as GroupRow[];
    for (const r of rows) fold(r);
    return finish();
  }
  const statuses = f.filter.statuses?.length ? [...new Set(f.filter.statuses)] : CALL_STATUSES;
  // Each local hour or day one range of an index in start order, per account and status (hour-pieces.ts,
  // day-pieces.ts): no sort, the pieces in a temp table. Else, below, each range sorted on its buckets.
  const pieced = rangeByRange(f) && tempWritable(db);
  if (by === 'hour' && pieced) {
    const span = startedSpan(host);
    for (const [zone, ids] of bucketZones(f, tz)) {
      const accountIds = ids.filter((id) => f.accounts.some((a) => a.id === id));
      if (!accountIds.length) continue;
      const hourKey = (id: number) => keySql('hour', () => localTimeSql('started_at', new Map([[zone, [id]]]), span.lo, span.hi));
      const q = { accountIds, zone, statuses, sums: (id: number) => groupSumsSql(currencyOf.has(id)), where: f.rangeWhere, params: f.params, hourKey };
      for (const { accountId, status, row } of hourRowsInZone(db, q)) fold({ ...(row as unknown as GroupRow), account_id: accountId, campaign: null, status });
    }
    return finish();
  }
  if (by === 'day' && pieced) {
    for (const a of f.accounts) {
      const q = { accountId: a.id, zone: tz ?? a.timezone, statuses, sums: groupSumsSql(currencyOf.has(a.id)), where: f.rangeWhere, params: f.params };
      for (const { status, row } of dayRowsOfAccount(db, q)) fold({ ...(row as unknown as GroupRow), account_id: a.id, campaign: null, status });
    }
    return finish();
  }
  const timed = by === 'day' || by === 'hour';
  if (!rangeByRange(f)) {
    // One statement: day and hour sort their buckets in a temp B-tree; the other keys come from cdrs_summary in
    // its own order (no sort), or from a rare match's calls read by id (summaryFrom), (account, campaign,
    // status[, agent]) groups folded onto the asked key here.
    const cols = timed ? (split ? 'account_id, status' : 'status') : by === 'agent' ? 'account_id, campaign, status, agent' : 'account_id, campaign, status';
    const key = timed ? keySql(by, () => localStartedSql(host, bucketZones(f, tz))) : by === 'agent' ? 'agent' : 'NULL';
    const sql = (from: string) => `SELECT ${key} AS k, ${cols}, ${groupAggregates(f.accounts.some((a) => currencyOf.has(a.id)))} FROM ${from}
                WHERE ${f.where} GROUP BY ${timed ? `k, ${cols}` : cols}`;
    const rows = db.prepare(timed ? sql('cdrs') : summaryFrom(db, f, sql)).all(...f.params) as GroupRow[];
    for (const r of rows) fold(r);
    return finish();
  }
  // Range by range (account, campaign, status fixed): agents come in index order; hours are sorted within each
  // range only, on one integer in one zone's offsets.
  const span = timed ? startedSpan(host) : null;
  for (const a of f.accounts) {
    const local = () => localTimeSql('started_at', new Map([[tz ?? a.timezone, [a.id]]]), span!.lo, span!.hi);
    const key = timed ? keySql(by, local) : by === 'agent' ? 'agent' : null;
    const range = db.prepare(
      `SELECT ${key ?? 'NULL'} AS k, ${groupAggregates(currencyOf.has(a.id))} FROM cdrs INDEXED BY cdrs_summary
       WHERE account_id = ? AND campaign IS ? AND status = ? AND (${f.rangeWhere})${key ? ' GROUP BY k' : ''}`,
    );
    for (const campaign of campaignsOf(db, a.id)) {
      for (const status of statuses) {
        for (const r of range.all(a.id, campaign, status, ...f.params) as GroupRow[]) {
          if (r.n) fold({ ...r, account_id: a.id, campaign, status });
        }
      }
    }
  }
  return finish();
}

/** A part of a filter read one way: from the running totals moved by `shift` hours, or (shift null) from the calls. */
export interface ZonePart {
  f: CompiledFilterDetail;
  shift: number | null;
}

/** The filter narrowed to some of its accounts (their ids inlined: numbers only); its reads by range stay as they were. */
function narrowedTo(f: CompiledFilterDetail, accounts: FilterAccount[]): CompiledFilterDetail {
  const ids = `account_id IN (${accounts.map((a) => Number(a.id)).join(',')})`;
  const narrowed = (where: string | null) => `(${where ?? '1'}) AND ${ids}`;
  return { ...f, accounts, where: narrowed(f.where), plainWhere: narrowed(f.plainWhere), plainTotalsWhere: f.plainTotalsWhere && narrowed(f.plainTotalsWhere), matchOnly: null };
}

/**
 * The filter in parts whose sums add up, each read one way. The running totals hold a filter on account, status,
 * campaign name or direction only (no window, text, phone or duration), grouped by a key they keep; hours and
 * days only for accounts whose totals line up with `tz` (zone-shift.ts): those of each move by whole hours are a
 * part read from their totals, moved; the others (a zone off by half an hour, hours not all known) a part read
 * from the calls. One part when one way serves every account.
 */
export function zoneParts(db: Database, f: CompiledFilterDetail, by: SummaryBy | 'matrix', tz: string | undefined, readCalls: boolean): ZonePart[] {
  if (readCalls || !f.onTotals) return [{ f, shift: null }];
  if (by === 'campaign' || by === 'status' || by === 'account') return [{ f, shift: 0 }];
  if (by !== 'hour' && by !== 'day' && by !== 'matrix') return [{ f, shift: null }];
  const byShift = new Map<number | null, FilterAccount[]>();
  for (const a of f.accounts) {
    const shift = hoursKnown(db, [a.id]) ? totalsShiftOf(db, a, by, tz) : null;
    byShift.set(shift, [...(byShift.get(shift) ?? []), a]);
  }
  if (byShift.size <= 1) return [{ f, shift: byShift.size ? [...byShift.keys()][0]! : 0 }];
  return [...byShift].map(([shift, accounts]) => ({ f: narrowedTo(f, accounts), shift }));
}

function orderRows(by: SummaryBy, rows: SummaryRow[]): SummaryRow[] {
  const nullsLast = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);
  // Rows of one key in several currencies: by currency code, rows without one last.
  const money = (a: SummaryRow, b: SummaryRow) => nullsLast(a.currency, b.currency);
  if (by === 'day' || by === 'week' || by === 'month' || by === 'hour') return rows.sort((a, b) => nullsLast(a.key, b.key) || money(a, b));
  if (by === 'status') return rows.sort((a, b) => CALL_STATUSES.indexOf(a.key as CallStatus) - CALL_STATUSES.indexOf(b.key as CallStatus) || money(a, b));
  return rows.sort((a, b) => b.total - a.total || nullsLast(a.key, b.key) || money(a, b));
}

function regroup(days: Map<string, CurrencyGroup>, unit: 'day' | 'week' | 'month', calendar: Calendar): Map<string, CurrencyGroup> {
  const out = new Map<string, CurrencyGroup>();
  for (const g of days.values()) addTo(out, g.key === null ? null : calendarKey(g.key, unit, calendar), g.currency, g.sums);
  return out;
}

export function summarize(ws: FilterHost, opts: SummaryOptions): { rows: SummaryRow[] } {
  const by = checkBy(opts.by);
  const calendarUnit = by === 'week' || by === 'month' || (by === 'day' && opts.calendar === 'persian');
  // Compiled inside the snapshot it runs in: the search tail's test is added only if that snapshot has a tail.
  const days = inOneSnapshot(hostDb(ws), () => {
    const f = compileFilterDetail(ws, opts.filter);
    const tz = checkTz(opts.tz) ?? f.filter.tz;
    return groupCurrencySums(ws, f, calendarUnit ? 'day' : (by as StoredGrouping), tz, opts.readCalls);
  });
  // Weeks and months (and Persian days) are Gregorian days regrouped: the sums add up exactly.
  const groups = calendarUnit ? regroup(days, by as 'day' | 'week' | 'month', opts.calendar ?? 'gregorian') : days;
  return { rows: orderRows(by, [...groups.values()].map((g) => ({ key: g.key, ...figures(g.sums), ...costFigures(g.sums, g.currency) }))) };
}
