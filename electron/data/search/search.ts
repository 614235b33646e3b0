// Offline search over the cache: one filter grammar, any sort both ways, keyset pages for the UI, offsets for
// the CLI, and an exact total (asked for apart from the page). Export reads its rows with export/rows.ts.
import type { Cdr } from '../../shared/cdr.ts';
import type { SearchFilter, SortSpec } from '../../shared/filter.ts';
import { CardCache, costFields } from '../costs/store.ts';
import { rowToCdr, type CdrDbRow } from '../db/cdrs.ts';
import { UserError } from '../errors.ts';
import type { Database } from 'better-sqlite3';
import { compileFilterDetail, hostDb, matchesUpTo, PHONE_LIKE, PHONE_MATCH, tableSpan, TEXT_MATCH, TEXT_OR_PHONE, type CompiledFilterDetail, type FilterAccount, type FilterHost, type TailMode } from './filter.ts';
import { cdrsReads, outerPlanOf, planOf, readsByIdOnly, readsCdrs } from './query-plan.ts';
import { densePage, type KnownCounts } from './dense.ts';
import { TAIL_IDS, tailStart } from './tail.ts';
import { FILTERS_BY_ID_INDEX } from '../db/migrations/016_filters_by_id_index.ts';
import { hasIndex, rangedBy, walkBound, walkBounded, type BoundedWalk, type ChosenPage, type Statement } from './walk.ts';
import { decodeCursor, encodeCursor, parseSort, segmentsAfter, sortPlan, type SortPlan } from './sort.ts';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;
/** Below this many text/phone matches, counting along the other conditions' index is not worth it. */
const FEW_MATCHES = 2000;
/**
 * How much dearer a step of walking the sort index is than a step of fetching a text/phone match: the walk reads
 * the table row of every index entry it tests, in sort order (scattered pages); the matches come in id order
 * (neighbouring pages). Measured on the synced 1.3M-call bench cache: a 4-digit phone fragment with 13,381
 * matches took ~200 ms walking (~9,800 rows tested) and ~40 ms fetched and sorted.
 */
const WALK_STEP_COST = 10;
/**
 * The same for a step that reads no row: an entry of a sort index holding every column the filter tests, its text
 * and phone tested against their lists of ids (migration 013, covering-sort-indexes).
 */
const COVERED_STEP_COST = 0.1;
/** The same for a match counted by id in cdrs_id_filters (migration 016): a seek in an index far narrower than the table. */
const ID_INDEX_STEP_COST = 0.4;
/**
 * A bounded walk of a sort order stops after testing this many × sqrt(wanted × size) calls (four times the count
 * below which the page is sorted instead): a wide filter fills the page long before, unless its calls gather at
 * the far end of the order.
 */
const WALK_BUDGET_FACTOR = 2;

/** The calls a bounded walk tests before it gives up, for a page needing `wanted` ids. */
const walkBudget = (db: Database, wanted: number) => Math.ceil(WALK_BUDGET_FACTOR * Math.sqrt(wanted * tableSpan(db)));

/** The stored columns of a call (not the derived search columns). */
const ROW_COLUMNS = [
  'id', 'account_id', 'call_id', 'campaign_id', 'campaign', 'direction', 'source', 'destination', 'status',
  'provider_status', 'started_at', 'answered_at', 'ended_at', 'duration_sec', 'bill_sec', 'wait_sec', 'keypress',
  'agent', 'recording', 'contact', 'extra_text', 'raw',
].join(', ');

/** Whether the cache has costs (the costs migration): tests of earlier migrations search older schemas. */
const pricedSchema = new WeakMap<Database, boolean>();
function hasCosts(db: Database): boolean {
  let known = pricedSchema.get(db);
  if (known === undefined) pricedSchema.set(db, (known = !!db.prepare("SELECT 1 FROM pragma_table_info('cdrs') WHERE name = 'cost'").get()));
  return known;
}

export interface SearchOptions {
  filter: SearchFilter;
  sort?: SortSpec;
  limit?: number;
  offset?: number;
  after?: string;
}

export interface SearchPage {
  rows: Cdr[];
  next: string | null;
}

export interface SearchResult extends SearchPage {
  total: number;
}

function checkPaging(limit: number, offset: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new UserError(`limit must be a whole number from 1 to ${MAX_LIMIT}, got ${limit}`);
  if (!Number.isInteger(offset) || offset < 0) throw new UserError(`offset must be a whole number from 0, got ${offset}`);
}

interface Prepared {
  f: CompiledFilterDetail;
  plan: SortPlan;
  limit: number;
  offset: number;
  /** The statement counting the filter's calls (the exact total): chosen when asked, as a page never needs it. */
  counted: () => Statement;
  /**
   * How a page with text/phone conditions is read: sorted from the smallest list of matches ('matches'), sorted
   * from the other conditions' index when they select fewer calls ('index'), or the sort order walked ('walk');
   * null without text/phone conditions (decided per page: their count may be known).
   */
  lead: 'matches' | 'index' | 'walk' | null;
  /**
   * A walk's page sorted instead, led by its one text/phone match (its list of calls, each row read for the
   * rest): set when no index finds the other conditions, where the sort would otherwise read the whole table.
   */
  walkFallback?: { where: string; match: Match };
  /** A walk (lead 'walk') whose sort index holds every column its filter tests: SQLite walks it alone (walkCovered). */
  walkCovered?: boolean;
}

type Match = CompiledFilterDetail['matches'][number];

/** Text and phone conditions tested on each call found otherwise: the fragment on its digits, the text against its list of matches built once (`+id IN`). */
const testedOnCalls = (where: string) => where.replaceAll(PHONE_MATCH, PHONE_LIKE).replaceAll(TEXT_MATCH, `+${TEXT_MATCH}`);
/**
 * Text and phone conditions as lists built once and tested by id (`+id IN`), so another index leads; the tail's
 * calls passing them too (an alternative SQLite would otherwise read apart from the rest, then sort).
 */
const asLists = (where: string) => where.replaceAll(TEXT_MATCH, `+${TEXT_MATCH}`).replaceAll(PHONE_MATCH, `+${PHONE_MATCH}`).replaceAll(TAIL_IDS, `+${TAIL_IDS}`);

/** The ids of any of these FTS indexes' matches (one parameter each): several lists are merged in id order. */
const matchIds = (tables: Match['table'][]) => tables.map((t) => `SELECT rowid FROM ${t} WHERE ${t} MATCH ?`).join(' UNION ');

/**
 * A number's word or phone match, counted as one list of ids (the union of both FTS lists, same parameters):
 * as two alternatives SQLite reads each call once per list it is in, and most calls are in both.
 */
function countedAsUnion(where: string): string {
  const union = `id IN (${matchIds(['cdrs_fts', 'cdrs_phone'])})`;
  return where.replaceAll(TEXT_OR_PHONE, union).replaceAll(asLists(TEXT_OR_PHONE), `+${union}`);
}

/** The calls matching `where`, counted no further than `cap`. */
function countUpTo(db: Database, where: string, params: unknown[], cap: number): number {
  return db.prepare(`SELECT count(*) FROM (SELECT 1 FROM cdrs WHERE ${where} LIMIT ${cap})`).pluck().get(...params) as number;
}

function prepare(ws: FilterHost, opts: SearchOptions, tail: TailMode = 'both'): Prepared {
  const limit = opts.limit ?? DEFAULT_LIMIT;
  const offset = opts.offset ?? 0;
  checkPaging(limit, offset);
  if (opts.after && offset) throw new UserError('use either a page cursor or an offset, not both');
  const spec = parseSort(opts.sort);
  const f = compileFilterDetail(ws, opts.filter, { tail });
  const plan = sortPlan(spec, [...f.accountsById.values()]);
  const base = { f, plan, limit, offset };
  const db = hostDb(ws);
  if (!f.matches.length) return { ...base, counted: () => ({ sql: `SELECT count(*) FROM cdrs WHERE ${f.where}`, params: f.params }), lead: null };
  // Walking the sort index tests about wanted × size / matches rows, each WALK_STEP_COST times dearer than fetching
  // a match: fetching and sorting wins below sqrt(WALK_STEP_COST × wanted × size) matches. Only "below that or
  // not" (and below FEW_MATCHES or not) matters, so each FTS match is read no further than the larger (a common
  // phone fragment's full count costs tens of ms). CdrWriter (new rows) and triggers (updates, deletes) keep
  // both FTS indexes row for row with cdrs, so a lone match is counted in its index.
  // Free text alone is tested on the walked index entry itself (its id against the list of matches), no row read.
  const capFor = (stepCost: number) => Math.max(FEW_MATCHES, Math.ceil(Math.sqrt(stepCost * (offset + limit + 1) * tableSpan(db))));
  const rowCap = capFor(f.plainWhere || f.matches.some((m) => m.table === 'cdrs_phone') ? WALK_STEP_COST : 1);
  const sizes = f.matches.map((m) => matchesUpTo(db, m, rowCap));
  const fewest = Math.min(...sizes);
  // A walk of a sort index that holds every column the filter tests reads no row at all, its text and phone
  // tested as lists of ids: each step is far cheaper still, and the page walks sooner. Not with a common phone
  // fragment: its list costs more than testing the digits of the calls a walk passes before its page is full.
  const listed = asLists(f.where);
  const covered = f.matches.every((m, i) => m.table !== 'cdrs_phone' || sizes[i]! < rowCap)
    && (walkCovered(db, plan, f, listed, plan.expr) || rangeWalkCovered(db, plan, f, listed));
  const sortCap = covered ? capFor(COVERED_STEP_COST) : rowCap;
  // The other conditions (accounts, statuses, times, durations...), sized the same way when an index finds them:
  // no further than the fewest matches when those are few enough to lead, since only "fewer than them or not"
  // matters then (counting a large campaign's calls up to the cap may read a row for each).
  const plainCap = fewest < sortCap ? fewest : sortCap;
  const plain = f.plainWhere && usesIndex(db, f.plainWhere, f.params) ? countUpTo(db, f.plainWhere, f.params, plainCap) : Infinity;
  // A phone fragment beside fewer text matches is tested on those calls' digits rather than listed from its
  // index (a common fragment lists a large share of the table); not when it is an alternative to the text (OR).
  const phoneOnRows = f.matches.some((m, i) => m.table === 'cdrs_fts' && sizes[i] === fewest) && f.where.includes(PHONE_MATCH) && !f.where.includes(` OR ${PHONE_MATCH}`);
  const byMatches = phoneOnRows ? f.where.replaceAll(PHONE_MATCH, PHONE_LIKE) : f.where;
  const lead: Prepared['lead'] = fewest < sortCap && fewest <= plain ? 'matches' : plain < sortCap ? 'index' : 'walk';
  const walkFallback = lead === 'walk' && plain === Infinity && f.matches.length === 1 ? { where: byMatches, match: f.matches[0]! } : undefined;
  const paged = { ...base, f: { ...f, where: lead === 'matches' ? byMatches : lead === 'walk' && covered ? listed : testedOnCalls(f.where) }, lead, walkFallback, walkCovered: covered };
  const matchOnly = f.matchOnly;
  if (matchOnly) return { ...paged, counted: () => ({ sql: `SELECT count(*) FROM (${matchIds(matchOnly.map((m) => m.table))})`, params: matchOnly.map((m) => m.query) }) };
  const counted = (): Statement => {
    // Led by whichever finds fewer calls. The other conditions' index leads when they are fewer (the text/phone
    // tested on those calls), or when it holds every column they test: the text/phone lists are then built once
    // and tested by id, and no call's row is read (counting along a list reads each match's row), unless the
    // matches, counted exactly, are so much fewer that reading their rows costs less than that index's entries.
    // Counting along the matches seeks each one in cdrs_id_filters where that index holds every column the filter
    // tests (countedById), else reads its row. A seek costs little enough to lead whenever the other conditions
    // select over four times as many calls (seekingCheaper), even where they were counted only up to a cap above.
    const statement = (from: string, where: string) => ({ sql: `SELECT count(*) FROM ${from} WHERE ${countedAsUnion(where)}`, params: f.params });
    const seeked = countedById(db, byMatches, f.params);
    if (seeked && seekingCheaper(db, f, f.matches[sizes.indexOf(fewest)]!)) return seeked;
    if (plain < fewest) return statement('cdrs', testedOnCalls(f.where));
    if (fewest < FEW_MATCHES || !f.plainWhere) return seeked ?? statement('cdrs', byMatches);
    if (coveredByIndex(db, f.plainWhere, f.params)) {
      const rowsWorth = Math.ceil((fewest * (seeked ? ID_INDEX_STEP_COST : 1)) / COVERED_STEP_COST);
      const byId = seeked ?? statement('cdrs NOT INDEXED', byMatches);
      if (fewest < rowCap && countUpTo(db, f.plainWhere, f.params, rowsWorth) === rowsWorth && (seeked || readsByIdOnly(db, byId.sql, byId.params))) return byId;
      return statement('cdrs', asLists(f.where));
    }
    const listed = byMatches.replaceAll(TEXT_MATCH, `+${TEXT_MATCH}`);
    return statement('cdrs', usesIndex(db, listed, f.params) ? listed : byMatches);
  };
  return { ...paged, counted };
}

/**
 * The statement counting `where` by id in cdrs_id_filters (migration 016), or null where that index does not hold
 * every column `where` tests (a campaign, a cost, the search tail's text) or its FTS lists do not lead. Each
 * match is then one seek in an index of a few small columns per call, instead of a read of its row: a new
 * `cdr-desk search` process, which has none of the table's pages in memory, spends most of its search there.
 */
function countedById(db: Database, where: string, params: unknown[]): Statement | null {
  const sql = `SELECT count(*) FROM ${SEEKING_BY_ID} WHERE ${countedAsUnion(where)}`;
  return seeksById(db, sql, params) ? { sql, params } : null;
}

const SEEKING_BY_ID = `cdrs INDEXED BY ${FILTERS_BY_ID_INDEX}`;

/** Whether `sql`, reading SEEKING_BY_ID, finds each call there by its id and reads nothing else of cdrs. */
function seeksById(db: Database, sql: string, params: unknown[]): boolean {
  if (!hasIndex(db, FILTERS_BY_ID_INDEX)) return false; // a test of an earlier migration
  const reads = cdrsReads(db, sql, params);
  return reads.length > 0 && reads.every((d) => d.startsWith(`SEARCH cdrs USING COVERING INDEX ${FILTERS_BY_ID_INDEX} (id=?`));
}

/**
 * Whether the matches of `lead` (the filter's fewest) cost less to seek one by one in cdrs_id_filters than the calls the
 * filter's other conditions select cost to read from their index. Known only when those conditions select on the
 * running totals' columns (accounts, statuses, campaign, direction): the totals count those calls at once
 * (summary/totals.ts), and the matches are counted up to where seeking them stops paying.
 */
function seekingCheaper(db: Database, f: CompiledFilterDetail, lead: Match): boolean {
  if (!f.plainTotalsWhere) return false;
  const others = db.prepare(`SELECT coalesce(sum(n), 0) FROM cdrs_totals WHERE ${f.plainTotalsWhere}`).pluck().get(...f.params) as number;
  const worth = Math.floor((others * COVERED_STEP_COST) / ID_INDEX_STEP_COST);
  return matchesUpTo(db, lead, worth) < worth;
}

/** Whether SQLite finds the calls matching `where` through an index rather than by reading them all. */
function usesIndex(db: Database, where: string, params: unknown[]): boolean {
  return planOf(db, `SELECT count(*) FROM cdrs WHERE ${where}`, params).some((d) => /^SEARCH cdrs /.test(d));
}

/**
 * The index SQLite counts the calls matching `where` in without reading their rows (one range of one index),
 * or null. Sorting a page's matches through it reads only the matches' rows, where SQLite may pick an index
 * that tests fewer of the conditions (the accounts' UNIQUE index, a call's row read for its duration).
 */
function coveringIndexOf(db: Database, where: string, params: unknown[]): string | null {
  const reads = cdrsReads(db, `SELECT count(*) FROM cdrs WHERE ${where}`, params);
  const m = reads.length === 1 ? /^SEARCH cdrs USING COVERING INDEX (\w+) \(/.exec(reads[0]!) : null;
  return m ? m[1]! : null;
}

/** Whether SQLite counts the calls matching `where` in an index alone, without reading their rows. */
function coveredByIndex(db: Database, where: string, params: unknown[]): boolean {
  const reads = cdrsReads(db, `SELECT count(*) FROM cdrs WHERE ${where}`, params);
  return reads.length > 0 && reads.every((d) => / USING COVERING INDEX /.test(d));
}

/**
 * Whether the page should be read by fetching every match and sorting them rather than walking the sort index.
 * Walking costs about (rows wanted × table size / matches) steps; fetching and sorting about the matches. The
 * exact total is not needed: counting stops once there are too many to sort, which is cheap when an index
 * finds the matches. Without such an index (the count plan scans), walking is never much worse than the scan
 * sorting would need, so it walks without counting. `known` is the exact total when the caller has it.
 */
function fewEnoughToSort(db: Database, where: string, params: unknown[], wanted: number, known?: number): boolean {
  if (where === '1') return false;
  const size = tableSpan(db);
  const sortable = (n: number) => n * n * 4 < wanted * size;
  if (known !== undefined) return sortable(known);
  if (!usesIndex(db, where, params)) return false;
  const cap = Math.ceil(Math.sqrt((wanted * size) / 4)) + 1;
  return sortable(countUpTo(db, where, params, cap));
}

/**
 * The filter as a sorted page tests it: a campaign without accounts names every account too (each call has one),
 * so SQLite can read the campaign's calls in cdrs_summary (account, campaign, then status, agent, start, billed
 * and waiting seconds, duration, direction), no row read, rather than in cdrs_campaign_started, reading each
 * call's row for its other columns.
 */
function campaignOnSummary(p: Prepared): string {
  const { f } = p;
  if (!/(^| )campaign = \?/.test(f.where) || f.filter.accounts?.length || !f.accountsById.size) return f.where;
  return `account_id IN (${[...f.accountsById.keys()].join(',')}) AND ${f.where}`;
}

/** Whether SQLite reads a sorted page of `where` from one index alone (each call's sort value and every column it tests). */
function sortCovered(db: Database, p: Prepared, where: string): boolean {
  const reads = cdrsReads(db, `SELECT id FROM cdrs WHERE ${where} ORDER BY +${p.plan.expr}, id LIMIT 1`, p.f.params);
  return reads.length === 1 && /^SEARCH cdrs USING COVERING INDEX /.test(reads[0]!);
}

/** Above this many calls, a page read from one index alone is no longer cheaper than a walk. */
const COVERED_SORT_MAX = 250_000;

/**
 * Whether a page of a campaign (no text or phone conditions) is better sorted from cdrs_summary than walked:
 * counting and sorting a few hundred thousand index entries (no row read) costs less than a walk that reads a
 * row at each step, and a campaign's calls are bunched (one account, a few weeks) far along most orders.
 */
function coveredSortCheap(db: Database, p: Prepared): boolean {
  const where = campaignOnSummary(p);
  if (where === p.f.where || !sortCovered(db, p, where)) return false;
  // Not when SQLite reads the campaign in the sort order already (by start time, cdrs_campaign_started).
  const dir = p.plan.spec.desc ? 'DESC' : 'ASC';
  const own = planOf(db, `SELECT id FROM cdrs WHERE ${p.f.where} ORDER BY ${p.plan.expr} ${dir}, id ${dir} LIMIT 1`, p.f.params);
  if (own.some((d) => /^SEARCH cdrs /.test(d)) && !own.some((d) => /TEMP B-TREE FOR ORDER BY/.test(d))) return false;
  return countUpTo(db, where, p.f.params, COVERED_SORT_MAX) < COVERED_SORT_MAX;
}

/**
 * Whether SQLite walks the sort order's index alone for `where` (every column it tests held there, text and phone
 * as lists of ids), to be walked without a bound: no sort, but of each group of ties where the index holds them
 * out of id order (SortPlan.tiesSorted).
 */
function walkCovered(db: Database, plan: SortPlan, f: CompiledFilterDetail, where: string, orderExpr: string): boolean {
  const index = plan.index;
  if (!index || where === '1' || rangedBy(f, plan) || !hasIndex(db, index)) return false;
  const dir = plan.spec.desc ? 'DESC' : 'ASC';
  const reads = outerPlanOf(db, `SELECT id FROM cdrs INDEXED BY ${index} WHERE ${where} ORDER BY ${orderExpr} ${dir}, id ${dir} LIMIT 1`, f.params);
  const sortsAll = reads.some((d) => d.includes('TEMP B-TREE') && !(plan.tiesSorted && d === 'USE TEMP B-TREE FOR LAST TERM OF ORDER BY'));
  return !sortsAll && reads.filter(readsCdrs).every((d) => d === `SCAN cdrs USING COVERING INDEX ${index}`);
}

/**
 * Whether SQLite, left to itself, walks one range of an index that holds every column `where` tests (text and
 * phone as lists of ids) in the page's order: a status's calls by start time in cdrs_status_started, say. Each step
 * reads no row, as in walkCovered, and the range holds only the calls of that status; SQLite's plan is kept
 * (pageIdsSql leaves a walk of another index in the same order as it is).
 */
function rangeWalkCovered(db: Database, plan: SortPlan, f: CompiledFilterDetail, where: string): boolean {
  if (where === '1' || !f.plainWhere) return false;
  const dir = plan.spec.desc ? 'DESC' : 'ASC';
  const steps = outerPlanOf(db, `SELECT id FROM cdrs WHERE ${where} ORDER BY ${plan.expr} ${dir}, id ${dir} LIMIT 1`, f.params);
  const reads = steps.filter(readsCdrs);
  return !steps.includes('USE TEMP B-TREE FOR ORDER BY') && reads.length === 1 && /^SEARCH cdrs USING COVERING INDEX \w+ \(/.test(reads[0]!);
}

/** Call ids are unique per account: this index lists each account's calls by call id (the table's UNIQUE constraint). */
const CALL_ID_INDEX = 'sqlite_autoindex_cdrs_1';

/**
 * The SQL choosing the ids of one page: limit + 1, to know whether another follows; or a bounded walk. `known`
 * is the exact total if already counted; `sort` asks for the matches fetched and sorted whatever their number.
 */
function pageIdsSql(ws: FilterHost, p: Prepared, after: string | undefined, known?: number, sort = false): Statement | BoundedWalk {
  const { f, plan, limit, offset } = p;
  const dir = plan.spec.desc ? 'DESC' : 'ASC';
  const db = hostDb(ws);
  const wanted = offset + limit + 1;
  // A unary + on the sort column tells SQLite not to walk the sort index but to fetch the matches and sort them.
  const few = !sort && !p.lead && fewEnoughToSort(db, f.where, f.params, wanted, known);
  const sorted = sort || (p.lead ? p.lead !== 'walk' : few || coveredSortCheap(db, p));
  const orderExpr = sorted ? `+${plan.expr}` : plan.expr;
  const where = f.where;
  const cursor = after ? decodeCursor(after, plan.spec) : null;
  const segments = cursor ? segmentsAfter(plan, cursor.value, cursor.id, orderExpr) : null;
  // Walking: when SQLite would still find the filter's calls by its index and sort them all (it cannot tell a
  // wide filter from a narrow one), it is told to read the sort order's index, testing the filter on each call
  // and stopping once the page is full. The filter may gather its calls at one end of that order (one month's
  // calls by end time, one account's agents, answered calls past the unanswered ones' NULLs): that walk, or
  // SQLite's own walk of the same index, tests at most WALK_BUDGET_FACTOR × sqrt(wanted × size) calls, then the
  // page is sorted instead. A walk of another index in the same order (status, then time) is left as it is.
  const budget = walkBudget(db, wanted);
  const part = (index: string, bounds: string[], orderBy: string, params: unknown[], span?: [number, number]) => {
    const all = [...(span ? [`id BETWEEN ${span[0]} AND ${span[1]}`] : []), ...bounds.filter(Boolean)];
    return {
      sql: `SELECT id, (${where}) AS ok FROM cdrs INDEXED BY ${index}${all.length ? ` WHERE ${all.join(' AND ')}` : ''} ORDER BY ${orderBy} LIMIT ${budget}`,
      params: [...f.params, ...params],
    };
  };
  const stream = (index: string, bound: string, span?: [number, number]) =>
    segments ? segments.map((s) => part(index, [bound, s.where], s.orderBy, s.params, span)) : [part(index, [bound], `${orderExpr} ${dir}, id ${dir}`, [], span)];
  /** The page's ids read from `from` in the page's order: at once, or segment by segment after a cursor. */
  const idsInOrder = (from: string, idsWhere: string): Statement => {
    if (!segments) {
      return { sql: `SELECT id FROM ${from} WHERE ${idsWhere} ORDER BY ${orderExpr} ${dir}, id ${dir} LIMIT ? OFFSET ?`, params: [...f.params, limit + 1, offset] };
    }
    // Each segment is read in its own order; UNION ALL keeps them in sequence and stops at the limit.
    const ids = segments.map((s) => `SELECT id FROM (SELECT id FROM ${from} WHERE (${idsWhere}) AND ${s.where} ORDER BY ${s.orderBy} LIMIT ?)`).join(' UNION ALL ');
    return { sql: `${ids} LIMIT ?`, params: [...segments.flatMap((s) => [...f.params, ...s.params, limit + 1]), limit + 1] };
  };
  if (!sorted && plan.index && where !== '1' && !rangedBy(f, plan) && hasIndex(db, plan.index)) {
    const first = `SELECT id FROM cdrs WHERE ${where} ORDER BY ${orderExpr} ${dir}, id ${dir} LIMIT 1`;
    const own = planOf(db, first, f.params);
    const walksSortIndex = new RegExp(`^SCAN cdrs USING (COVERING )?INDEX ${plan.index}$`);
    if (own.includes('USE TEMP B-TREE FOR ORDER BY') || own.some((d) => walksSortIndex.test(d))) {
      const index = plan.index;
      // When the sort index holds every column the filter tests, SQLite walks it alone, no row read, to the end
      // if need be (an index entry costs a small fraction of a row): no bound, no sort instead.
      if (p.lead ? p.walkCovered : walkCovered(db, plan, f, where, orderExpr)) return idsInOrder(`cdrs INDEXED BY ${index}`, where);
      return { streams: (span) => [stream(index, walkBound(f, plan), span)], budget, skip: offset };
    }
  }
  // By call id: no index orders all calls so, but each account's calls are in call id order in the UNIQUE
  // index: each account of the filter is walked (bounded) and their first ids are merged.
  if (!sorted && plan.spec.field === 'callId' && hasIndex(db, CALL_ID_INDEX)) {
    const byAccount = (i: number) => `account_id = ${f.accounts[i]!.id}`;
    return {
      streams: (span) => f.accounts.map((_, i) => stream(CALL_ID_INDEX, byAccount(i), span)),
      // An account whose matches are few (or bunched at the far end) has its own sorted: read through the filter's
      // index, or that account's calls alone, never the whole table.
      // Through the index that tests the other conditions without a row, if one does: SQLite picks the UNIQUE
      // index, which reads every call's row of the account in call id order (scattered pages).
      sortStream: (i, want) => {
        const covering = f.plainWhere && p.lead !== 'matches' ? coveringIndexOf(db, `${byAccount(i)} AND ${f.plainWhere}`, f.params) : null;
        const from = covering ? `cdrs INDEXED BY ${covering}` : 'cdrs';
        const parts = (segments ?? [{ where: '1', params: [], orderBy: `${plan.expr} ${dir}, id ${dir}` }]).map((s) => ({
          sql: `SELECT id FROM (SELECT id FROM ${from} WHERE ${byAccount(i)} AND (${where}) AND ${s.where} ORDER BY ${s.orderBy.replace(plan.expr, `+${plan.expr}`)} LIMIT ${want})`,
          params: [...f.params, ...s.params],
        }));
        return { sql: `${parts.map((q) => q.sql).join(' UNION ALL ')} LIMIT ${want}`, params: parts.flatMap((q) => q.params) };
      },
      streamWhere: byAccount,
      budget,
      skip: offset,
      merge: `SELECT id FROM cdrs WHERE id IN (SELECT value FROM json_each(?)) ORDER BY ${plan.expr} ${dir}, id ${dir} LIMIT ? OFFSET ?`,
    };
  }
  // Sorted: read from one index alone when one holds every column (a large campaign's calls in cdrs_summary; a
  // few calls are read as SQLite chooses), else the matches are found through the index that tests every other
  // condition without a row, if one does (not with text or phone leading: their lists find fewer calls).
  const onSummary = sorted && !p.lead && !few ? campaignOnSummary(p) : where;
  const summaryCovers = onSummary !== where && sortCovered(db, p, onSummary);
  const sortedWhere = summaryCovers ? onSummary : where;
  const covering = sorted && p.lead !== 'matches' && !rangedBy(f, plan) && !summaryCovers && !sortCovered(db, p, where)
    ? coveringIndexOf(db, f.plainWhere ?? where, f.params) : null;
  // Led by the fewest text/phone matches (no more than the other conditions select): their list is read and each
  // match found by id, where SQLite would rather read every entry of a status's or an account's index and test
  // it against the list (it cannot size a list). Each is sought in cdrs_id_filters when that index holds the sort
  // value and every column tested (a page by start time, duration, status or account), as for its count
  // (countedById); else its row is read.
  if (p.lead === 'matches' && !covering) {
    const seeked = idsInOrder(SEEKING_BY_ID, sortedWhere);
    return seeksById(db, seeked.sql, seeked.params) ? seeked : idsInOrder('cdrs NOT INDEXED', sortedWhere);
  }
  return idsInOrder(covering ? `cdrs INDEXED BY ${covering}` : 'cdrs', sortedWhere);
}

/**
 * The ids of the calls matching the filter's indexed conditions (text and phone left out) lie in [lo, hi]; null
 * when no index finds them (reading them all would cost more than sorting) or the span leaves out less than a tenth.
 */
function idSpan(db: Database, p: Prepared): [number, number] | null {
  const where = p.lead ? p.f.plainWhere : p.f.where;
  if (!where || !usesIndex(db, where, p.f.params)) return null;
  const { lo, hi } = db.prepare(`SELECT min(id) AS lo, max(id) AS hi FROM cdrs WHERE ${where}`).get(...p.f.params) as { lo: number | null; hi: number | null };
  return lo !== null && hi !== null && (hi - lo + 1) * 10 < tableSpan(db) * 9 ? [lo, hi] : null;
}

/**
 * A page sorted on a column of a few indexed values (status, the account), first page or by cursor: read group by
 * group in id order, stopping when the page is full, since sorting one large group's ids (all answered calls,
 * about half; one large account's) costs more than the whole page. A group is read in id order from its own index
 * where the sort has one (each account's calls, SortPlan.groupIndex); else a group with few calls is read from
 * its index, sorted, and one with many from the table in id order. Without a filter, to the page's end; with one,
 * in a bounded walk testing the filter on each call (its calls may be bunched in a few id ranges, one account's
 * sync or one month, far along the ids), that group sorted instead when the walk runs out (null for a first group
 * without its own index: the usual plans read the page). Not for a filter few enough to sort whole, nor one led by
 * its text/phone matches or another index (they are sorted from those). Each group is read only while the page
 * still needs rows.
 */
function groupArms(db: Database, p: Prepared, after: string | undefined, run: (q: Statement) => number[], ran?: (q: Statement) => void): ((need: number) => number[] | null)[] | null {
  const { f, plan, offset } = p;
  if (!plan.groups || offset || (p.lead && p.lead !== 'walk')) return null;
  const filtered = f.where !== '1';
  if (filtered && fewEnoughToSort(db, f.where, f.params, p.limit + 1)) return null;
  const desc = plan.spec.desc;
  const covers = new Set(f.accounts.map((a) => a.id));
  let groups = (desc ? [...plan.groups].reverse() : plan.groups).filter((g) => g.account === undefined || covers.has(g.account));
  let cursorId: number | undefined;
  if (after) {
    const { value, id } = decodeCursor(after, plan.spec);
    const bound = value === null ? null : plan.bind(value);
    const at = groups.findIndex((g) => g.value === bound);
    if (at < 0) return null;
    groups = groups.slice(at);
    cursorId = id;
  }
  const dir = desc ? 'DESC' : 'ASC';
  const index = plan.groupIndex && hasIndex(db, plan.groupIndex) ? plan.groupIndex : null;
  const budget = walkBudget(db, p.limit + 1);
  return groups.map((g, i) => (need: number) => {
    const past = i === 0 && cursorId !== undefined ? `id ${desc ? '<' : '>'} ?` : null;
    const pastParams = past ? [cursorId] : [];
    const where = [g.where, past, filtered ? `(${f.where})` : null].filter(Boolean).join(' AND ');
    const params = [...g.params, ...pastParams, ...(filtered ? f.params : [])];
    const sorted = { sql: `SELECT id FROM cdrs WHERE ${where} ORDER BY +id ${dir} LIMIT ${need}`, params };
    // Walked in the group's own index (its calls in id order), or along the table testing the group on each call.
    const from = index ? `cdrs INDEXED BY ${index}` : 'cdrs NOT INDEXED';
    // Sized by the group alone, in its own index: counting the filter's calls in it may read every entry of a large group.
    if (!index && fewEnoughToSort(db, g.where, g.params, need)) return run(sorted);
    if (!filtered) return run({ sql: `SELECT id FROM ${from} WHERE ${where} ORDER BY id ${dir} LIMIT ${need}`, params });
    const [walked, walkedParams] = index ? [f.where, [...f.params, ...g.params]] : [`${g.where} AND (${f.where})`, [...g.params, ...f.params]];
    const bounds = [index ? g.where : null, past].filter(Boolean).join(' AND ');
    const walk = {
      sql: `SELECT id, (${walked}) AS ok FROM ${from}${bounds ? ` WHERE ${bounds}` : ''} ORDER BY id ${dir} LIMIT ${budget}`,
      params: [...walkedParams, ...pastParams],
    };
    // Given up at a quarter of the budget when the calls found so far cannot fill the page at that rate. The first
    // status given up, the usual plans follow (SQLite reads the status index in order and sorts each status by id).
    const ids = walkBounded(db, { streams: () => [[walk]], budget, skip: 0 }, need, undefined, ran, (_, found) => found * 4 < need);
    return ids ?? (i === 0 && !index ? null : run(sorted));
  });
}

/**
 * Whether the filter's plain conditions (text and phone left out) select fewer than `cap` calls, counted in the
 * index that tests them all without reading a row (cheap): fetching and sorting that many costs about as much as
 * a walk testing a quarter of `cap` calls, each a row read in the order of another index. False without such an
 * index (counting would read the rows).
 */
function fewToSort(db: Database, p: Prepared, cap: number, stream?: string, ran?: (q: Statement) => void): boolean {
  const plain = (p.lead ? p.f.plainWhere : p.f.where) ?? '1';
  if (plain === '1' && !stream) return false;
  const where = stream ? (plain === '1' ? stream : `${stream} AND ${plain}`) : plain;
  const params = plain === '1' ? [] : p.f.params;
  if (coveringIndexOf(db, where, params) === null) return false;
  ran?.({ sql: `SELECT count(*) FROM (SELECT 1 FROM cdrs WHERE ${where} LIMIT ${cap})`, params });
  return countUpTo(db, where, params, cap) < cap;
}

/**
 * Below this many calls, reading a text/phone match's rows (scattered pages, several times dearer a row) costs
 * less than reading the whole table in order.
 */
const MATCH_LEAD_MAX = 100_000;

/**
 * How a walk's page is sorted when the walk ran out: from its one text/phone match's list when no index finds the
 * other conditions and the list is not too long (reading its rows then costs less than reading the whole table),
 * else as the walk tested it.
 */
function sortLead(db: Database, p: Prepared): Prepared {
  const m = p.walkFallback?.match;
  if (!m || matchesUpTo(db, m, MATCH_LEAD_MAX) >= MATCH_LEAD_MAX) return p;
  return { ...p, f: { ...p.f, where: p.walkFallback!.where }, lead: 'matches' };
}

/** The ids of one page (limit + 1, to know whether another follows), in order; `ran` sees each statement. */
function pageIds(ws: FilterHost, p: Prepared, after: string | undefined, known?: number, ran?: (q: Statement) => void): number[] {
  const db = hostDb(ws);
  const run = (q: Statement) => {
    ran?.(q);
    return db.prepare(q.sql).pluck().all(...q.params) as number[];
  };
  const grouped = groupedIds(groupArms(db, p, after, run, ran), p.limit + 1);
  if (grouped) return grouped;
  const q = pageIdsSql(ws, p, after, known);
  if (!('streams' in q)) return run(q);
  let sortCheap = false;
  const walked = walkBounded(db, q, p.limit + 1, undefined, ran, (i) => (sortCheap = fewToSort(db, p, 4 * q.budget, q.streamWhere?.(i), ran)));
  if (walked) return walked;
  if (sortCheap) return run(pageIdsSql(ws, p, after, known, true) as Statement);
  // The filter's calls may be bunched in id order (one account's sync, one campaign, one month) behind many
  // others sharing their sort value (NULL answer times, zero billed seconds, one direction): walked again
  // within their id span, those others are passed on the index entry alone.
  const span = idSpan(db, p);
  return (span && walkBounded(db, q, p.limit + 1, span, ran)) || run(pageIdsSql(ws, sortLead(db, p), after, known, true) as Statement);
}

/** The first `need` ids read group by group, or null without groups or when the first group gives up. */
function groupedIds(arms: ((need: number) => number[] | null)[] | null, need: number): number[] | null {
  if (!arms) return null;
  const ids: number[] = [];
  for (const arm of arms) {
    if (ids.length >= need) break;
    const got = arm(need - ids.length);
    if (!got) return null;
    ids.push(...got);
  }
  return ids;
}

function count(db: Database, p: Prepared): number {
  const q = p.counted();
  return db.prepare(q.sql).pluck().get(...q.params) as number;
}

/**
 * Compiled and run in one read snapshot: a sync committing meanwhile (its writer thread has its own connection)
 * cannot start a search tail (search/tail.ts) between the filter, which tests the tail only when there is one,
 * and the statements.
 */
function inSnapshot<T>(ws: FilterHost, read: () => T): T {
  const db = hostDb(ws);
  return db.inTransaction ? read() : db.transaction(read).deferred();
}

/** The exact number of calls a filter matches (the CLI's and the UI's total). */
export function searchTotal(ws: FilterHost, filter: SearchFilter): number {
  return inSnapshot(ws, () => exactTotal(ws, filter, () => prepare(ws, { filter })));
}

/**
 * The total, inside a read snapshot. With a search tail and a text or phone match, the indexed calls are counted
 * by the plans without a tail (a lone match counted in its FTS index) and the tail's calls, disjoint from them, by
 * reading the tail alone: one count of `match OR tail test` would look every match up in the calls table.
 */
function exactTotal(ws: FilterHost, filter: SearchFilter, prepared: () => Prepared): number {
  const db = hostDb(ws);
  if (tailStart(db) === null) return count(db, prepared());
  const indexed = prepare(ws, { filter }, 'indexed');
  if (!indexed.f.matches.length) return count(db, indexed);
  const tail = compileFilterDetail(ws, filter, { tail: 'tail' });
  // NOT INDEXED: the tail's id range (the rowid) is what bounds the read, whatever the other conditions' indexes.
  return count(db, indexed) + (db.prepare(`SELECT count(*) FROM cdrs NOT INDEXED WHERE ${tail.where}`).pluck().get(...tail.params) as number);
}

/** One page of rows without the total: the UI shows it at once and asks for the total separately. */
export function searchPage(ws: FilterHost, opts: SearchOptions): SearchPage {
  return inSnapshot(ws, () => rowsOf(ws, choosePage(ws, opts, () => prepare(ws, opts))));
}

/** A page and the exact total (the CLI's `{"total","rows"}`); the total also tells the page plan how selective the filter is. */
export function search(ws: FilterHost, opts: SearchOptions): SearchResult {
  return inSnapshot(ws, () => {
    const p = prepare(ws, opts);
    const total = exactTotal(ws, opts.filter, () => p);
    return { total, ...rowsOf(ws, choosePage(ws, opts, () => p, { total, loneMatch: p.f.matches.length === 1 ? p.f.matches[0] : undefined })) };
  });
}

/** The ids of one page, in order (limit + 1 at most, to know whether another follows). */
function choosePage(ws: FilterHost, opts: SearchOptions, prepared: () => Prepared, known?: KnownCounts, ran?: (q: Statement) => void): ChosenPage {
  // A match common along the sort order is walked on each call's own columns (dense.ts), no FTS list; else the
  // plans above, prepared only then (sizing the matches costs more than that walk).
  const dense = densePage(ws, opts, opts.limit ?? DEFAULT_LIMIT, known, ran);
  if (dense) return dense;
  const p = prepared();
  return { ids: pageIds(ws, p, opts.after, known?.total, ran), plan: p.plan, limit: p.limit, accountsById: p.f.accountsById };
}

/**
 * A page's rows: ids are chosen and ordered first (often from an index alone), then only those rows are read:
 * sorting whole rows of a large group (say every call of the first campaign, by id) would read each of them.
 */
function rowsOf(ws: FilterHost, { ids, plan, limit, accountsById }: ChosenPage): SearchPage {
  const dir = plan.spec.desc ? 'DESC' : 'ASC';
  const priced = hasCosts(hostDb(ws));
  const sql = `SELECT ${ROW_COLUMNS}${priced ? ', cost' : ''} FROM cdrs WHERE id IN (SELECT value FROM json_each(?)) ORDER BY ${plan.expr} ${dir}, id ${dir}`;
  let rows = hostDb(ws).prepare(sql).all(JSON.stringify(ids)) as CdrDbRow[];
  const more = rows.length > limit;
  if (more) rows = rows.slice(0, limit);
  const last = rows[rows.length - 1];
  const next = more && last ? encodeCursor(plan.spec, plan.valueOf(last as unknown as { account_id: number }), last.id) : null;
  const cards = new CardCache(hostDb(ws));
  return {
    rows: rows.map((r) => {
      const call = rowToCdr(r, accountOf(accountsById, r.account_id));
      if (!priced) return call;
      const { raw, ...fields } = call;
      return { ...fields, ...costFields(cards, r), raw };
    }),
    next,
  };
}

/**
 * SQLite's plans (EXPLAIN QUERY PLAN details) for the statements that chose a page's ids (run to know which ran)
 * and for the count, and the statements themselves, for tests and diagnosis.
 */
export function explainSearch(ws: FilterHost, opts: SearchOptions): { page: string[]; count: string[]; statements: string[] } {
  const db = hostDb(ws);
  return inSnapshot(ws, () => {
    const p = prepare(ws, opts);
    const page: string[] = [];
    const statements: string[] = [];
    const ran = (q: Statement) => {
      statements.push(q.sql);
      page.push(...planOf(db, q.sql, q.params));
    };
    choosePage(ws, opts, () => p, undefined, ran);
    const counting = p.counted();
    return { page, count: planOf(db, counting.sql, counting.params), statements };
  });
}

function accountOf(byId: Map<number, FilterAccount>, id: number): FilterAccount {
  const a = byId.get(id);
  if (!a) throw new Error(`cached call refers to account ${id}, which does not exist`);
  return a;
}
