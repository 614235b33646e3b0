// SearchFilter → one SQL WHERE clause over `cdrs` with bound parameters. User text never becomes SQL: values are
// parameters, and free text becomes quoted FTS5 tokens (so FTS syntax characters cannot break the query).
import type { Database } from 'better-sqlite3';
import { CALL_STATUSES } from '../../shared/cdr.ts';
import { MONEY_SCALE } from '../../shared/costs.ts';
import { SearchFilter } from '../../shared/filter.ts';
import { UserError } from '../errors.ts';
import { isValidTimeZone } from '../time/zone.ts';
import { ftsTextQuery } from './fts-terms.ts';
import { keptUntilChange } from './change-state.ts';
import { foldText, looksLikePhone, phoneDigits, words } from './normalize.ts';
import { IN_TAIL, prepareTailSearch, tailIds, tailPhoneTest, tailStart, tailTextTest, type TailTest } from './tail.ts';
import { parseTimeWindow, resolveWindow, type TimeWindow } from './time-window.ts';

export interface FilterAccount {
  id: number;
  name: string;
  provider: string;
  timezone: string;
}

export interface CompiledFilter {
  where: string;
  params: unknown[];
}

/** How FTS conditions start; search.ts marks them `+id IN` when SQLite should walk the sort index instead. */
export const MATCH_IN = 'id IN (SELECT rowid FROM';
export const TEXT_MATCH = `${MATCH_IN} cdrs_fts WHERE cdrs_fts MATCH ?)`;
export const PHONE_MATCH = `${MATCH_IN} cdrs_phone WHERE cdrs_phone MATCH ?)`;
/** PHONE_MATCH tested row by row (same parameter, its quotes trimmed): cheaper than listing a common fragment's matches. */
export const PHONE_LIKE = `phone_digits LIKE '%' || trim(?, '"') || '%'`;
/** An FTS condition left out (always true, its parameter still bound): the filter's other conditions alone. */
const NO_MATCH = '(? IS NOT NULL)';
/** A number typed as text: a word starting with it or a phone number containing it (no search tail). */
export const TEXT_OR_PHONE = `(${TEXT_MATCH} OR ${PHONE_MATCH})`;

export interface CompiledFilterDetail extends CompiledFilter {
  /**
   * Set when the filter is one full-text or phone match alone, or a number's word or phone match: the total can be
   * counted in the FTS indexes (the union of these matches' ids), no call read.
   */
  matchOnly: { table: 'cdrs_fts' | 'cdrs_phone'; query: unknown }[] | null;
  /** Every FTS match in the filter (to size them before choosing a plan). */
  matches: { table: 'cdrs_fts' | 'cdrs_phone'; query: unknown }[];
  /** The accounts the filter covers (all of them when it names none), by name. */
  accounts: FilterAccount[];
  /** Every account in the workspace, by id (to label rows). */
  accountsById: Map<number, FilterAccount>;
  filter: SearchFilter;
  window: TimeWindow;
  /**
   * Set when the window is read in several zones (one range per zone, OR-ed, which SQLite reads through the
   * accounts' index and sorts): the instants spanning every zone's range, to bound a walk of the start times.
   */
  zonedSpan: { from: number | null; to: number | null } | null;
  /**
   * Whether `where` names only account_id, status, campaign and direction, columns the summary totals hold under
   * the same names (summary/totals.ts): then it selects the same calls there.
   */
  onTotals: boolean;
  /**
   * The filter's conditions other than its text and phone (those always true, their parameters still bound) when
   * they name only the running totals' columns, as onTotals: they select on cdrs_totals the calls plainWhere
   * selects. Null otherwise, or when the filter has no other condition.
   */
  plainTotalsWhere: string | null;
  /**
   * The same filter without its text and phone conditions (same parameters), to size or count them apart; null
   * when the filter has no other condition.
   */
  plainWhere: string | null;
  /**
   * The same filter for a read that takes each of its accounts and statuses as ranges of their own (account and
   * status fixed): those two conditions always true, their parameters still bound. Tested on every call, they cost
   * as much as reading a small account.
   */
  rangeWhere: string;
}

/** A condition replaced by one that is always true and binds the same parameters (each one a value, never NULL). */
const boundOnly = (cond: string) => `(${Array.from(cond.matchAll(/\?/g), () => '? IS NOT NULL').join(' AND ')})`;

/** The database itself, or anything holding it (a Workspace). */
export type FilterHost = Database | { db: Database };

export function hostDb(host: FilterHost): Database {
  return 'prepare' in host ? host : host.db;
}

export function listAccounts(host: FilterHost): FilterAccount[] {
  return hostDb(host)
    .prepare('SELECT id, name, provider, timezone FROM accounts ORDER BY name COLLATE NOCASE, id')
    .all() as FilterAccount[];
}

/** Validates a filter object, with messages a user can act on. */
export function parseFilter(input: unknown): SearchFilter {
  const raw = (input ?? {}) as Record<string, unknown>;
  if (Array.isArray(raw.statuses)) {
    for (const s of raw.statuses) {
      if (!(CALL_STATUSES as readonly unknown[]).includes(s)) {
        throw new UserError(`unknown status "${String(s)}" (known: ${CALL_STATUSES.join(', ')})`);
      }
    }
  }
  if (raw.direction !== undefined && raw.direction !== 'in' && raw.direction !== 'out') {
    throw new UserError(`unknown direction "${String(raw.direction)}" (use in or out)`);
  }
  const parsed = SearchFilter.safeParse(raw);
  if (!parsed.success) {
    throw new UserError(`bad filter: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'filter'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

export function compileFilter(host: FilterHost, filter: SearchFilter): CompiledFilter {
  const { where, params } = compileFilterDetail(host, filter);
  return { where, params };
}

/**
 * How a filter treats the search tail's calls (search/tail.ts), which have no FTS entries: 'both' tests them beside
 * each FTS match; 'indexed' does not (an FTS match finds no tail call); 'tail' selects only tail calls, each match
 * replaced by its tail test, and none that 'indexed' selects. The two last select disjoint calls that together are
 * what 'both' selects. 'rows' selects what 'both' does, testing every call's text and digits as the tail's are
 * (no FTS list: for a walk that stops after a few hundred calls).
 */
export type TailMode = 'both' | 'indexed' | 'tail' | 'rows';

export function compileFilterDetail(host: FilterHost, input: SearchFilter, opts: { window?: TimeWindow; tail?: TailMode } = {}): CompiledFilterDetail {
  const db = hostDb(host);
  const filter = parseFilter(input);
  const all = listAccounts(host);
  const accountsById = new Map(all.map((a) => [a.id, a]));
  const conds: string[] = [];
  /** Indexes in conds of the account and status conditions (rangeWhere). */
  const fixedByRange = new Set<number>();
  const params: unknown[] = [];
  const matches: CompiledFilterDetail['matches'] = [];
  let plainOnTotals = true;
  // Calls of a large sync not yet indexed (search/tail.ts) are tested one by one beside each FTS match: when there
  // is a tail, or when the caller compiles outside the read transaction its statements run in (a tail may begin
  // between the two; the test costs nothing without one).
  const mode = opts.tail ?? 'both';
  const only = mode === 'tail' || mode === 'rows';
  const tail = mode !== 'indexed' && prepareTailSearch(db) && (only || !db.inTransaction || tailStart(db) !== null) ? db : null;
  if (only && !tail) throw new Error(`a filter tested on each call's columns ('${mode}') needs the search-tail schema`);
  if (mode === 'tail') conds.push(IN_TAIL);

  let accounts = all;
  if (filter.accounts?.length) {
    accounts = [];
    for (const name of filter.accounts) {
      const a = all.find((x) => x.name.toLowerCase() === name.trim().toLowerCase());
      if (!a) throw new UserError('no such account', name);
      if (!accounts.includes(a)) accounts.push(a);
    }
    fixedByRange.add(conds.push(`account_id IN (${accounts.map(() => '?').join(',')})`) - 1);
    params.push(...accounts.map((a) => a.id));
  }

  if (filter.statuses?.length) {
    const statuses = [...new Set(filter.statuses)];
    fixedByRange.add(conds.push(`status IN (${statuses.map(() => '?').join(',')})`) - 1);
    params.push(...statuses);
  }

  if (filter.campaign !== undefined && filter.campaign.trim() !== '') {
    const c = filter.campaign.trim();
    // By name (indexed); a campaign id is accepted too. An unknown campaign is a mistake, not an empty answer.
    if (db.prepare('SELECT 1 FROM cdrs WHERE campaign = ? LIMIT 1').get(c)) {
      conds.push('campaign = ?');
    } else if (db.prepare('SELECT 1 FROM cdrs WHERE campaign_id = ? LIMIT 1').get(c)) {
      conds.push('campaign_id = ?');
      plainOnTotals = false;
    } else {
      throw new UserError(`no cached call belongs to a campaign named "${c}"`);
    }
    params.push(c);
  }

  if (filter.direction) {
    conds.push('direction = ?');
    params.push(filter.direction);
  }

  if (filter.phone !== undefined && filter.phone.trim() !== '') {
    const digits = phoneDigits(filter.phone);
    if (!digits) throw new UserError(`phone fragment "${filter.phone}" has no digits`);
    conds.push(phoneCondition(digits, params, matches, tail, only));
  }

  if (filter.text !== undefined && filter.text.trim() !== '') {
    const text = filter.text.trim();
    if (looksLikePhone(text)) {
      // A number: a word that starts with it, or any phone number that contains it (a tail call tested for both
      // at once: SQLite reads three alternatives by id, where four made it read every call).
      const digits = phoneDigits(text);
      if (only) {
        const word = textCondition(db, [digits], params, matches, tail, true);
        if (digits.length >= 3) {
          conds.push(`(${word} OR ${phoneCondition(digits, params, matches, tail, true)})`);
        } else {
          // A short fragment is a LIKE over every call, the tail's too: for the tail alone, the calls it finds are
          // left to the 'indexed' half; tested on each call ('rows'), it is one more alternative.
          params.push(`%${digits}%`);
          conds.push(mode === 'tail' ? `(${word} AND NOT coalesce(phone_digits LIKE ?, 0))` : `(${word} OR phone_digits LIKE ?)`);
        }
      } else {
        const textMatch = textCondition(db, [digits], params, matches, null);
        const phoneMatch = phoneCondition(digits, params, matches, null);
        const tests = tail ? [tailTextTest(tail, [digits]), ...(phoneMatch === PHONE_MATCH ? [tailPhoneTest(digits)] : [])] : [];
        for (const t of tests) params.push(...t.params);
        const inTail = tests.length ? ` OR ${tailIds(`(${tests.map((t) => `(${t.sql})`).join(' OR ')})`)}` : '';
        conds.push(`(${textMatch} OR ${phoneMatch}${inTail})`);
      }
    } else {
      const tokens = words(foldText(text));
      if (!tokens.length) throw new UserError(`search text "${text}" has no letters or digits to look for`);
      conds.push(textCondition(db, tokens, params, matches, tail, only));
    }
  }

  if (filter.tz !== undefined && !isValidTimeZone(filter.tz)) {
    throw new UserError(`unknown time zone "${filter.tz}" (use an IANA name like Asia/Tehran)`);
  }
  const window = opts.window ?? parseTimeWindow(filter.from, filter.to);
  let zonedSpan: CompiledFilterDetail['zonedSpan'] = null;
  if (window.from || window.to) {
    const w = windowCondition(window, accounts, filter.tz, params);
    conds.push(w.sql);
    zonedSpan = w.span;
  }
  if (window.from || window.to || conds.some((c) => c.includes('phone_digits'))) plainOnTotals = false;

  if (filter.minDuration !== undefined && filter.maxDuration !== undefined && filter.minDuration > filter.maxDuration) {
    throw new UserError(`minimum duration ${filter.minDuration}s is above the maximum ${filter.maxDuration}s`);
  }
  if (filter.minDuration !== undefined || filter.maxDuration !== undefined) {
    // The duration index pays only for a narrow range; a wide one (most calls are over 10 s) is better read
    // from a covering index, so it is counted first (cheap, in the index) and marked `+` when wide.
    const lo = filter.minDuration ?? 0;
    const hi = filter.maxDuration ?? Number.MAX_SAFE_INTEGER;
    conds.push(`${durationWide(db, lo, hi) ? '+duration_sec' : 'duration_sec'} BETWEEN ? AND ?`);
    params.push(lo, hi);
    plainOnTotals = false;
  }

  if (filter.minCost !== undefined && filter.maxCost !== undefined && filter.minCost > filter.maxCost) {
    throw new UserError(`minimum cost ${filter.minCost} is above the maximum ${filter.maxCost}`);
  }
  if (filter.minCost !== undefined || filter.maxCost !== undefined) {
    // Stored costs are units of 1/10,000 (costs/money.ts); a bound between two units keeps what it means.
    conds.push('cost BETWEEN ? AND ?');
    params.push(filter.minCost === undefined ? 0 : Math.ceil(filter.minCost * MONEY_SCALE - 1e-6),
      filter.maxCost === undefined ? Number.MAX_SAFE_INTEGER : Math.floor(filter.maxCost * MONEY_SCALE + 1e-6));
    plainOnTotals = false;
  }

  const sole = conds.length === 1 && [TEXT_MATCH, PHONE_MATCH, TEXT_OR_PHONE].includes(conds[0]!);
  const matchOnly = sole ? matches : null;
  const where = conds.length ? conds.join(' AND ') : '1';
  const plainWhere = conds.some((c) => !c.includes(MATCH_IN)) ? where.replaceAll(TEXT_MATCH, NO_MATCH).replaceAll(PHONE_MATCH, NO_MATCH) : null;
  const onTotals = plainOnTotals && !matches.length;
  const plainTotalsWhere = plainOnTotals && plainWhere ? conds.map((c) => (c.includes(MATCH_IN) ? boundOnly(c) : c)).join(' AND ') : null;
  const rangeWhere = conds.length ? conds.map((c, i) => (fixedByRange.has(i) ? boundOnly(c) : c)).join(' AND ') : '1';
  return { where, params, accounts, accountsById, filter, window, zonedSpan, matchOnly, matches, onTotals, plainTotalsWhere, plainWhere, rangeWhere };
}

/** A text/phone match's calls, counted in its FTS index up to `cap` (a common word's full count costs tens of ms). */
export function matchesUpTo(db: Database, m: CompiledFilterDetail['matches'][number], cap: number): number {
  return db.prepare(`SELECT count(*) FROM (SELECT 1 FROM ${m.table} WHERE ${m.table} MATCH ? LIMIT ${cap})`).pluck().get(m.query) as number;
}

/** Per connection: whether a duration range ("lo hi") is wide. */
const durationWidths = keptUntilChange<boolean>();

/**
 * Whether more than a twentieth of the calls last from `lo` to `hi` seconds, counted in the duration index no
 * further than that. Kept per connection until the database changes: every search, count and summary with a
 * duration compiles the filter again.
 */
function durationWide(db: Database, lo: number, hi: number): boolean {
  return durationWidths(db, `${lo} ${hi}`, () => {
    const size = tableSpan(db);
    const wide = Math.floor(size / 20) + 1;
    const inRange = db.prepare(`SELECT count(*) FROM (SELECT 1 FROM cdrs WHERE duration_sec BETWEEN ? AND ? LIMIT ${wide})`).pluck().get(lo, hi) as number;
    return inRange * 20 > size;
  });
}

/** The id span of cdrs: the table's size near enough for choosing plans, read from the primary key alone. */
export function tableSpan(db: Database): number {
  const { lo, hi } = idRange(db);
  return hi - lo + 1;
}

/** The smallest and largest call id (0 without calls), from the primary key alone. */
export function idRange(db: Database): { lo: number; hi: number } {
  // Two statements: SQLite answers a lone min() or max() from the index, but both together by a full scan.
  return { lo: Number(db.prepare('SELECT min(id) FROM cdrs').pluck().get() ?? 0), hi: Number(db.prepare('SELECT max(id) FROM cdrs').pluck().get() ?? 0) };
}

/** Folded words, each the start of a word of the call's text: the FTS index, and the tail's calls one by one. */
function textCondition(db: Database, tokens: string[], params: unknown[], matches: CompiledFilterDetail['matches'], tail: Database | null, only = false): string {
  if (only) return tailOnly(tailTextTest(tail!, tokens), params);
  const query = ftsTextQuery(db, tokens);
  params.push(query);
  matches.push({ table: 'cdrs_fts', query });
  if (!tail) return TEXT_MATCH;
  const t = tailTextTest(tail, tokens);
  params.push(...t.params);
  return `(${TEXT_MATCH} OR ${tailIds(t.sql)})`;
}

/** 3+ digits use the trigram index (and the tail's digits); shorter fragments scan the digits column. */
function phoneCondition(digits: string, params: unknown[], matches: CompiledFilterDetail['matches'], tail: Database | null, only = false): string {
  if (digits.length >= 3) {
    if (only) return tailOnly(tailPhoneTest(digits), params);
    params.push(`"${digits}"`);
    matches.push({ table: 'cdrs_phone', query: `"${digits}"` });
    if (!tail) return PHONE_MATCH;
    const t = tailPhoneTest(digits);
    params.push(...t.params);
    return `(${PHONE_MATCH} OR ${tailIds(t.sql)})`;
  }
  params.push(`%${digits}%`);
  return 'phone_digits LIKE ?';
}

/** A tail call's test alone, in place of an FTS match (TailMode 'tail'). */
function tailOnly(t: TailTest, params: unknown[]): string {
  params.push(...t.params);
  return `(${t.sql})`;
}

/**
 * One range when every account reads local times in the same zone (or tz is given); else one per zone, with
 * `span` the instants spanning them all.
 */
function windowCondition(w: TimeWindow, accounts: FilterAccount[], tz: string | undefined, params: unknown[]): { sql: string; span: CompiledFilterDetail['zonedSpan'] } {
  const byZone = new Map<string, number[]>();
  for (const a of accounts) byZone.set(tz ?? a.timezone, [...(byZone.get(tz ?? a.timezone) ?? []), a.id]);
  const instantsOnly = (!w.from || w.from.kind === 'instant') && (!w.to || w.to.kind === 'instant');
  if (instantsOnly || byZone.size <= 1) {
    return { sql: rangeSql(resolveWindow(w, tz ?? [...byZone.keys()][0] ?? 'UTC'), params), span: null };
  }
  const ranges = [...byZone].map(([zone, ids]) => ({ ids, r: resolveWindow(w, zone) }));
  // The span of all zones' ranges first: a plain range the started_at indexes can use.
  const froms = ranges.map((x) => x.r.from);
  const tos = ranges.map((x) => x.r.to);
  const span = {
    from: froms.includes(null) ? null : Math.min(...(froms as number[])),
    to: tos.includes(null) ? null : Math.max(...(tos as number[])),
  };
  const outer = rangeSql(span, params);
  const parts: string[] = [];
  for (const { ids, r } of ranges) {
    params.push(...ids);
    parts.push(`(account_id IN (${ids.map(() => '?').join(',')}) AND ${rangeSql(r, params)})`);
  }
  return { sql: `${outer ? `${outer} AND ` : ''}(${parts.join(' OR ')})`, span };
}

function rangeSql(r: { from: number | null; to: number | null }, params: unknown[]): string {
  const sql: string[] = [];
  if (r.from !== null) {
    sql.push('started_at >= ?');
    params.push(r.from);
  }
  if (r.to !== null) {
    sql.push('started_at < ?');
    params.push(r.to);
  }
  return sql.join(' AND ');
}
