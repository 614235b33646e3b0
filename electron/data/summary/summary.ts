// Campaign KPIs from the cache, computed as SUMMARY_DEFINITIONS states them (electron/shared/search.ts), grouped
// by campaign, day, hour, status, agent or account, with day/hour buckets in a chosen zone (default: each
// account's own), an hour-by-weekday matrix, a period comparison and the provider's own report beside ours.
import { CALL_STATUSES, type CallStatus } from '../../shared/cdr.ts';
import type { Database } from 'better-sqlite3';
import type { SearchFilter } from '../../shared/filter.ts';
import { providerDescriptor } from '../../shared/providers.ts';
import {
  PROVIDER_REPORT_REASON, SUMMARY_GROUPINGS,
  type CompareResponse, type CompareRow, type HourWeekdayResponse, type ProviderReportedResponse, type SummaryBy,
  type CostFigures, type SummaryFigures, type SummaryRow,
} from '../../shared/search.ts';
import { amountNumber, ratio } from '../costs/money.ts';
import { UserError } from '../errors.ts';
import { compileFilterDetail, hostDb, type CompiledFilterDetail, type FilterHost } from '../search/filter.ts';
import { parseTimeWindow, previousWindow, resolveWindow, type TimeWindow } from '../search/time-window.ts';
import { localTimeSql, offsetSpans } from '../search/zone-offsets.ts';
import { campaignsOf, inOneSnapshot, rangeByRange } from './index-prefixes.ts';
import { hoursKnown, NO_START_DAY } from './totals.ts';
import { isValidTimeZone, offsetMinutesAt, toIsoUtc } from '../time/zone.ts';

export { SUMMARY_DEFINITIONS } from '../../shared/search.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Raw sums of one group; figures() turns them into the published KPIs. */
interface Sums {
  total: number;
  counts: Record<CallStatus, number>;
  talkSec: number;
  billSec: number;
  waitSec: number;
  waitCalls: number;
  /** Cost of the priced calls (units of 1/10,000) and how many were priced. */
  cost: number;
  costCalls: number;
}

const AGGREGATES = [
  'count(*) AS total',
  ...CALL_STATUSES.map((s) => `sum(status = '${s}') AS "${s}"`),
  "coalesce(sum(CASE WHEN status = 'answered' THEN bill_sec END), 0) AS talk_sec",
  'coalesce(sum(bill_sec), 0) AS bill_sec',
  'coalesce(sum(wait_sec), 0) AS wait_sec',
  'count(wait_sec) AS wait_calls',
].join(', ');

type AggRow = Record<string, number | string | null>;

function sumsOf(r: AggRow | undefined): Sums {
  const counts = Object.fromEntries(CALL_STATUSES.map((s) => [s, Number(r?.[s] ?? 0)])) as Record<CallStatus, number>;
  return {
    total: Number(r?.total ?? 0), counts, talkSec: Number(r?.talk_sec ?? 0), billSec: Number(r?.bill_sec ?? 0),
    waitSec: Number(r?.wait_sec ?? 0), waitCalls: Number(r?.wait_calls ?? 0), cost: 0, costCalls: 0,
  };
}

function addSums(a: Sums, b: Sums): Sums {
  const counts = Object.fromEntries(CALL_STATUSES.map((s) => [s, a.counts[s] + b.counts[s]])) as Record<CallStatus, number>;
  return {
    total: a.total + b.total, counts, talkSec: a.talkSec + b.talkSec, billSec: a.billSec + b.billSec,
    waitSec: a.waitSec + b.waitSec, waitCalls: a.waitCalls + b.waitCalls, cost: a.cost + b.cost, costCalls: a.costCalls + b.costCalls,
  };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The KPIs, exactly as SUMMARY_DEFINITIONS words them; never NaN. */
export function figures(s: Sums): SummaryFigures {
  const answered = s.counts.answered;
  return {
    total: s.total,
    ...s.counts,
    answerRate: s.total ? round(answered / s.total, 4) : 0,
    avgTalkSec: answered ? round(s.talkSec / answered, 2) : 0,
    billSec: s.billSec,
    billMinutes: round(s.billSec / 60, 2),
    avgWaitSec: s.waitCalls ? round(s.waitSec / s.waitCalls, 2) : null,
  };
}

export const ZERO: SummaryFigures = figures(sumsOf(undefined));

/** The cost figures of a group in one currency (null currency: no rate card), as COST_DEFINITIONS words them. */
export function costFigures(s: Sums, currency: string | null): CostFigures {
  const priced = currency !== null;
  return {
    currency,
    cost: priced ? amountNumber(s.cost) : null,
    costPerAnswered: priced ? ratio(s.cost, s.counts.answered) : null,
    costPerMinute: priced ? ratio(s.cost * 60, s.billSec) : null,
    unpricedCalls: s.total - s.costCalls,
  };
}

export interface SummaryOptions {
  filter: SearchFilter;
  by: SummaryBy;
  /** Zone of day/hour buckets; default filter.tz, else each account's own. */
  tz?: string;
  /** Reads the calls even where the running totals hold the answer (tests compare the two). */
  readCalls?: boolean;
}

function checkBy(by: unknown): SummaryBy {
  if (!(SUMMARY_GROUPINGS as readonly unknown[]).includes(by)) {
    throw new UserError(`unknown grouping "${String(by)}" (use ${SUMMARY_GROUPINGS.join(', ')})`);
  }
  return by as SummaryBy;
}

function checkTz(tz: string | undefined): string | undefined {
  if (tz !== undefined && !isValidTimeZone(tz)) throw new UserError(`unknown time zone "${tz}" (use an IANA name like Asia/Tehran)`);
  return tz;
}

/** Zone → account ids whose rows are bucketed in it. */
function bucketZones(f: CompiledFilterDetail, tz: string | undefined): Map<string, number[]> {
  const zones = new Map<string, number[]>();
  for (const a of f.accountsById.values()) {
    const z = tz ?? a.timezone;
    zones.set(z, [...(zones.get(z) ?? []), a.id]);
  }
  return zones;
}

/** First and last cached start (min/max come from the index): zone offsets are looked up over this span. */
function startedSpan(host: FilterHost): { lo: number; hi: number } {
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

function keySql(by: SummaryBy, local: () => string): string {
  switch (by) {
    case 'campaign': return 'campaign';
    case 'status': return 'status';
    case 'agent': return 'agent';
    case 'account': return 'account_id';
    case 'day': return `${local()} / ${DAY_MS}`;
    case 'hour': return `(${local()} / ${HOUR_MS}) % 24`;
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

const GROUP_AGGREGATES = 'count(*) AS n, coalesce(sum(bill_sec), 0) AS bill, coalesce(sum(wait_sec), 0) AS wait, count(wait_sec) AS wait_n, ' +
  'coalesce(sum(cost), 0) AS cost, count(cost) AS cost_n';

/** Each account's currency (null: no rate card): summary rows never add amounts of two currencies. */
function currencies(db: Database): Map<number, string> {
  const rows = db.prepare('SELECT account_id, currency FROM account_billing').all() as { account_id: number; currency: string }[];
  return new Map(rows.map((r) => [r.account_id, r.currency]));
}

/** Sums per key and currency; `currency` of each entry in the map's key. */
type CurrencySums = Map<string, { key: string | null; currency: string | null; sums: Sums }>;

/** Sums per key, all currencies together (counts and seconds only: cost is left to groupCurrencySums). */
function groupSums(host: FilterHost, f: CompiledFilterDetail, by: SummaryBy, tz: string | undefined, readCalls = false): Map<string | null, Sums> {
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
function groupCurrencySums(host: FilterHost, f: CompiledFilterDetail, by: SummaryBy, tz: string | undefined, readCalls = false,
  byCurrency = true): CurrencySums {
  const db = hostDb(host);
  const currencyOf = currencies(db);
  const split = byCurrency && new Set(f.accounts.map((a) => currencyOf.get(a.id) ?? null)).size > 1;
  const sole = f.accounts.length ? currencyOf.get(f.accounts[0]!.id) ?? null : null;
  const groups: CurrencySums = new Map();
  const fold = (r: GroupRow) => {
    const raw = by === 'campaign' ? r.campaign : by === 'status' ? r.status : by === 'account' ? r.account_id : r.k;
    const key = keyText(by, raw, f);
    const currency = split ? currencyOf.get(r.account_id) ?? null : sole;
    const id = JSON.stringify([key, currency]);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key, currency, sums: sumsOf(undefined) }));
    addGroup(g.sums, r);
  };
  const out = groups;
  if (!readCalls && totalsServe(db, f, by, tz)) {
    // From the running totals (summary/totals.ts): a few thousand rows whatever the number of calls.
    // Grouped on the asked key and status only: fewer rows to fold here (a day's key is a Date to format).
    const key = by === 'hour' ? 'CASE WHEN how >= 0 THEN how % 24 END' : by === 'day' ? `CASE WHEN day > ${NO_START_DAY} THEN day END` : 'NULL';
    const group = [by === 'campaign' ? 'campaign' : by === 'status' ? null : by === 'account' ? null : 'k',
      by === 'account' || split ? 'account_id' : null].filter(Boolean).join(', ');
    const rows = db
      .prepare(`SELECT ${key} AS k, ${by === 'account' || split ? 'account_id' : 'NULL AS account_id'}, ${by === 'campaign' ? 'campaign' : 'NULL AS campaign'},
                  status, sum(n) AS n, sum(bill) AS bill, sum(wait) AS wait, sum(wait_n) AS wait_n, sum(cost) AS cost, sum(cost_n) AS cost_n
                FROM ${by === 'day' ? 'cdrs_day_totals' : 'cdrs_totals'} WHERE ${f.where}
                GROUP BY ${group ? `${group}, ` : ''}status HAVING sum(n) > 0`)
      .all(...f.params) as GroupRow[];
    for (const r of rows) fold(r);
    return out;
  }
  const timed = by === 'day' || by === 'hour';
  if (!rangeByRange(f)) {
    // One statement: day and hour sort their buckets in a temp B-tree; the other keys come from cdrs_summary in
    // its own order (no sort), (account, campaign, status[, agent]) groups folded onto the asked key here.
    const cols = timed ? (split ? 'account_id, status' : 'status') : by === 'agent' ? 'account_id, campaign, status, agent' : 'account_id, campaign, status';
    const key = timed ? keySql(by, () => localStartedSql(host, bucketZones(f, tz))) : by === 'agent' ? 'agent' : 'NULL';
    const rows = db
      .prepare(`SELECT ${key} AS k, ${cols}, ${GROUP_AGGREGATES} FROM cdrs${timed ? '' : ' INDEXED BY cdrs_summary'}
                WHERE ${f.where} GROUP BY ${timed ? `k, ${cols}` : cols}`)
      .all(...f.params) as GroupRow[];
    for (const r of rows) fold(r);
    return out;
  }
  // Range by range (account, campaign, status fixed): agents come in index order; days and hours are sorted
  // within each range only, on one integer in one zone's offsets.
  const span = timed ? startedSpan(host) : null;
  const statuses = f.filter.statuses?.length ? [...new Set(f.filter.statuses)] : CALL_STATUSES;
  for (const a of f.accounts) {
    const local = () => localTimeSql('started_at', new Map([[tz ?? a.timezone, [a.id]]]), span!.lo, span!.hi);
    const key = timed ? keySql(by, local) : by === 'agent' ? 'agent' : null;
    const range = db.prepare(
      `SELECT ${key ?? 'NULL'} AS k, ${GROUP_AGGREGATES} FROM cdrs INDEXED BY cdrs_summary
       WHERE account_id = ? AND campaign IS ? AND status = ? AND (${f.where})${key ? ' GROUP BY k' : ''}`,
    );
    for (const campaign of campaignsOf(db, a.id)) {
      for (const status of statuses) {
        for (const r of range.all(a.id, campaign, status, ...f.params) as GroupRow[]) {
          if (r.n) fold({ ...r, account_id: a.id, campaign, status });
        }
      }
    }
  }
  return out;
}

/** Whether hours and days are bucketed in each covered account's own zone, the zone the totals count them in. */
function inOwnZones(f: CompiledFilterDetail, tz: string | undefined): boolean {
  return tz === undefined || f.accounts.every((a) => a.timezone === tz);
}

/**
 * Whether the running totals hold this summary: a filter on account, status, campaign name or direction only
 * (no window, text, phone or duration), grouped by a key they keep; hours and days only in the accounts' own zones.
 */
function totalsServe(db: Database, f: CompiledFilterDetail, by: SummaryBy | 'matrix', tz: string | undefined): boolean {
  if (!f.onTotals) return false;
  if (by === 'campaign' || by === 'status' || by === 'account') return true;
  if (by !== 'hour' && by !== 'day' && by !== 'matrix') return false;
  return inOwnZones(f, tz) && hoursKnown(db, f.accounts.map((a) => a.id));
}

function orderRows(by: SummaryBy, rows: SummaryRow[]): SummaryRow[] {
  const nullsLast = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);
  // Rows of one key in several currencies: by currency code, rows without one last.
  const money = (a: SummaryRow, b: SummaryRow) => nullsLast(a.currency, b.currency);
  if (by === 'day' || by === 'hour') return rows.sort((a, b) => nullsLast(a.key, b.key) || money(a, b));
  if (by === 'status') return rows.sort((a, b) => CALL_STATUSES.indexOf(a.key as CallStatus) - CALL_STATUSES.indexOf(b.key as CallStatus) || money(a, b));
  return rows.sort((a, b) => b.total - a.total || nullsLast(a.key, b.key) || money(a, b));
}

export function summarize(ws: FilterHost, opts: SummaryOptions): { rows: SummaryRow[] } {
  const by = checkBy(opts.by);
  const f = compileFilterDetail(ws, opts.filter);
  const tz = checkTz(opts.tz) ?? f.filter.tz;
  const groups = inOneSnapshot(hostDb(ws), () => groupCurrencySums(ws, f, by, tz, opts.readCalls));
  return { rows: orderRows(by, [...groups.values()].map((g) => ({ key: g.key, ...figures(g.sums), ...costFigures(g.sums, g.currency) }))) };
}

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

function delta(cur: SummaryFigures, prev: SummaryFigures): CompareRow['delta'] {
  return {
    total: cur.total - prev.total,
    answered: cur.answered - prev.answered,
    answerRate: round(cur.answerRate - prev.answerRate, 4),
    avgTalkSec: round(cur.avgTalkSec - prev.avgTalkSec, 2),
    billSec: cur.billSec - prev.billSec,
  };
}

function windowIso(w: TimeWindow, zone: string): { from: string; to: string } {
  const r = resolveWindow(w, zone);
  return { from: toIsoUtc(r.from)!, to: toIsoUtc(r.to)! };
}

/** This period (filter.from..filter.to) against the one of the same length just before it, with deltas. */
export function comparePeriods(
  ws: FilterHost,
  opts: { filter: SearchFilter; by?: Exclude<SummaryBy, 'day'>; tz?: string },
): CompareResponse {
  const by = checkBy(opts.by ?? 'campaign');
  if (by === 'day') throw new UserError('periods cannot be compared by day (their days differ); use campaign, hour, status, agent or account');
  const window = parseTimeWindow(opts.filter.from, opts.filter.to);
  const before = previousWindow(window);
  const cur = compileFilterDetail(ws, opts.filter, { window });
  const prev = compileFilterDetail(ws, opts.filter, { window: before });
  const tz = checkTz(opts.tz) ?? cur.filter.tz;
  const [a, b] = inOneSnapshot(hostDb(ws), () => [groupSums(ws, cur, by, tz), groupSums(ws, prev, by, tz)]);
  const row = (key: string | null, x: Sums | undefined, y: Sums | undefined): CompareRow => {
    const current = x ? figures(x) : ZERO;
    const previous = y ? figures(y) : ZERO;
    return { key, current, previous, delta: delta(current, previous) };
  };
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  const total = (m: Map<string | null, Sums>) => [...m.values()].reduce(addSums, sumsOf(undefined));
  const zone = tz ?? cur.accounts[0]?.timezone ?? 'UTC';
  const rows = keys.map((k) => row(k, a.get(k), b.get(k)));
  rows.sort((x, y) => y.current.total - x.current.total || y.previous.total - x.previous.total);
  return {
    current: windowIso(window, zone),
    previous: windowIso(before, zone),
    overall: row(null, total(a), total(b)),
    rows,
  };
}

/** tel4vn-v3's own campaign report as last synced, beside our figures for the same campaign and window. */
export function providerReported(ws: FilterHost, opts: { account: string }): ProviderReportedResponse {
  const db = hostDb(ws);
  const account = db.prepare('SELECT id, name, provider FROM accounts WHERE name = ? COLLATE NOCASE').get(opts.account) as
    | { id: number; name: string; provider: string }
    | undefined;
  if (!account) throw new UserError('no such account', opts.account);
  if (!providerDescriptor(account.provider)?.campaignReport) {
    throw new UserError(`provider ${account.provider} publishes no campaign report of its own`, account.name);
  }
  const reports = db
    .prepare(
      `SELECT campaign_id, campaign, synced_at, window_from, window_to, stats FROM campaign_reports r
       WHERE account_id = ? AND synced_at = (SELECT max(synced_at) FROM campaign_reports
                                             WHERE account_id = r.account_id AND campaign_id = r.campaign_id)
       ORDER BY campaign, campaign_id`,
    )
    .all(account.id) as { campaign_id: string; campaign: string | null; synced_at: number; window_from: number | null; window_to: number | null; stats: string }[];
  const local = db.prepare(
    `SELECT ${AGGREGATES} FROM cdrs WHERE account_id = ? AND campaign_id = ?
       AND (? IS NULL OR started_at >= ?) AND (? IS NULL OR started_at <= ?)`,
  );
  const rows = reports.map((r) => ({
    campaignId: r.campaign_id,
    campaign: r.campaign,
    syncedAt: toIsoUtc(r.synced_at)!,
    windowFrom: toIsoUtc(r.window_from),
    windowTo: toIsoUtc(r.window_to),
    reported: JSON.parse(r.stats) as Record<string, unknown>,
    local: figures(sumsOf(local.get(account.id, r.campaign_id, r.window_from, r.window_from, r.window_to, r.window_to) as AggRow)),
  }));
  return { account: account.name, reason: PROVIDER_REPORT_REASON, rows };
}
