// Offline search over the cache: one filter grammar, any sort both ways, keyset pages for the UI, offsets for
// the CLI, and an exact total (asked for apart from the page). Export reads its rows with export/rows.ts.
import type { Cdr } from '../../shared/cdr.ts';
import type { SearchFilter, SortSpec } from '../../shared/filter.ts';
import { CardCache, costFields } from '../costs/store.ts';
import { rowToCdr, type CdrDbRow } from '../db/cdrs.ts';
import { UserError } from '../errors.ts';
import type { Database } from 'better-sqlite3';
import { compileFilterDetail, hostDb, PHONE_LIKE, PHONE_MATCH, tableSpan, TEXT_MATCH, type CompiledFilterDetail, type FilterAccount, type FilterHost } from './filter.ts';
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

interface Statement {
  sql: string;
  params: unknown[];
}

interface Prepared {
  f: CompiledFilterDetail;
  plan: SortPlan;
  limit: number;
  offset: number;
  countSql: string;
  /** Matches of the most selective text/phone condition, counted up to sortCap (Infinity without one). */
  fewest: number;
  /** Fewer matches than this are fetched and sorted rather than found by walking the sort index. */
  sortCap: number;
}

function prepare(ws: FilterHost, opts: SearchOptions): Prepared {
  const limit = opts.limit ?? DEFAULT_LIMIT;
  const offset = opts.offset ?? 0;
  checkPaging(limit, offset);
  if (opts.after && offset) throw new UserError('use either a page cursor or an offset, not both');
  const spec = parseSort(opts.sort);
  const f = compileFilterDetail(ws, opts.filter);
  // Walking the sort index tests about wanted × size / matches rows, each WALK_STEP_COST times dearer than fetching
  // a match: fetching and sorting wins below sqrt(WALK_STEP_COST × wanted × size) matches. Only "below that or
  // not" (and below FEW_MATCHES or not) matters, so each FTS match is read no further than the larger (a common
  // phone fragment's full count costs tens of ms). CdrWriter (new rows) and triggers (updates, deletes) keep
  // both FTS indexes row for row with cdrs, so a lone match is counted in its index.
  const db = hostDb(ws);
  const sortCap = f.matches.length ? Math.max(FEW_MATCHES, Math.ceil(Math.sqrt(WALK_STEP_COST * (offset + limit + 1) * tableSpan(db)))) : 0;
  const sizes = f.matches.map((m) => db.prepare(`SELECT count(*) FROM (SELECT 1 FROM ${m.table} WHERE ${m.table} MATCH ? LIMIT ${sortCap})`).pluck().get(m.query) as number);
  const fewest = Math.min(...sizes);
  // A phone fragment beside fewer text matches is tested on those calls' digits rather than listed from its
  // index (a common fragment lists a large share of the table); not when it is an alternative to the text (OR).
  const phoneOnRows = f.matches.some((m, i) => m.table === 'cdrs_fts' && sizes[i] === fewest) && f.where.includes(PHONE_MATCH) && !f.where.includes(` OR ${PHONE_MATCH}`);
  const where = phoneOnRows ? f.where.replaceAll(PHONE_MATCH, PHONE_LIKE) : f.where;
  // Many text matches besides other conditions: count along those conditions' index, testing ids (`+id`), if
  // one of them has an index (else that would read the whole table: the matches lead).
  let countWhere = fewest >= FEW_MATCHES ? where.replaceAll(TEXT_MATCH, `+${TEXT_MATCH}`) : where;
  if (countWhere !== where && !usesIndex(db, countWhere, f.params)) countWhere = where;
  const countSql = f.matchOnly
    ? `SELECT count(*) FROM ${f.matchOnly.table} WHERE ${f.matchOnly.table} MATCH ?`
    : `SELECT count(*) FROM cdrs WHERE ${countWhere}`;
  return { f: { ...f, where }, plan: sortPlan(spec, [...f.accountsById.values()]), limit, offset, countSql, fewest, sortCap };
}

/**
 * Whether the page should be read by fetching every match and sorting them rather than walking the sort index.
 * Walking costs about (rows wanted × table size / matches) steps; fetching and sorting about the matches. The
 * exact total is not needed: counting stops once there are too many to sort, which is cheap when an index
 * finds the matches. Without such an index (the count plan scans), walking is never much worse than the scan
 * sorting would need, so it walks without counting. `known` is the exact total when the caller has it.
 */
/** Whether SQLite finds the calls matching `where` through an index rather than by reading them all. */
function usesIndex(db: Database, where: string, params: unknown[]): boolean {
  const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM cdrs WHERE ${where}`).all(...params) as { detail: string }[];
  return plan.some((r) => /^SEARCH cdrs /.test(r.detail));
}

function fewEnoughToSort(db: Database, where: string, params: unknown[], wanted: number, known?: number): boolean {
  if (where === '1') return false;
  const size = tableSpan(db);
  const sortable = (n: number) => n * n * 4 < wanted * size;
  if (known !== undefined) return sortable(known);
  if (!usesIndex(db, where, params)) return false;
  const cap = Math.ceil(Math.sqrt((wanted * size) / 4)) + 1;
  return sortable(db.prepare(`SELECT count(*) FROM (SELECT 1 FROM cdrs WHERE ${where} LIMIT ${cap})`).pluck().get(...params) as number);
}

/**
 * The SQL choosing the ids of one page: limit + 1, to know whether another follows. `known` is the exact total
 * if already counted.
 */
function pageIdsSql(ws: FilterHost, p: Prepared, after: string | undefined, known?: number): Statement {
  const { f, plan, limit, offset } = p;
  const dir = plan.spec.desc ? 'DESC' : 'ASC';
  // A unary + on the sort column tells SQLite not to walk the sort index but to fetch the matches and sort them.
  let orderExpr = plan.expr;
  let where = f.where;
  if (f.matches.length) {
    // Text/phone matches: when the smallest is small, start from its matches and sort them; otherwise walk the
    // sort index and test each entry (`+id` keeps SQLite from starting at the FTS side; a common phone fragment
    // is tested on the row rather than listed).
    if (p.fewest < p.sortCap) orderExpr = `+${plan.expr}`;
    else where = f.where.replaceAll(PHONE_MATCH, PHONE_LIKE).replaceAll(TEXT_MATCH, `+${TEXT_MATCH}`);
  } else if (fewEnoughToSort(hostDb(ws), f.where, f.params, offset + limit + 1, known)) {
    orderExpr = `+${plan.expr}`;
  }
  if (!after) {
    return {
      sql: `SELECT id FROM cdrs WHERE ${where} ORDER BY ${orderExpr} ${dir}, id ${dir} LIMIT ? OFFSET ?`,
      params: [...f.params, limit + 1, offset],
    };
  }
  const { value, id } = decodeCursor(after, plan.spec);
  const segments = segmentsAfter(plan, value, id, orderExpr);
  // Each segment is read in its own order; UNION ALL keeps them in sequence and stops at the limit.
  const ids = segments
    .map((s) => `SELECT id FROM (SELECT id FROM cdrs WHERE (${where}) AND ${s.where} ORDER BY ${s.orderBy} LIMIT ?)`)
    .join(' UNION ALL ');
  return { sql: `${ids} LIMIT ?`, params: [...segments.flatMap((s) => [...f.params, ...s.params, limit + 1]), limit + 1] };
}

/**
 * All calls sorted on a column of a few indexed values (status), first page or by cursor: read group by group in
 * id order, stopping when the page is full, since sorting one large group's ids (all answered calls, about half)
 * costs more than the whole page. A group with many calls is read from the table in id order, one with few from
 * its index, sorted. One statement per group, made only while the page still needs rows. Not with a filter:
 * its calls are often bunched in a few id ranges (one account's sync, one month), where walking ids passes long
 * stretches of other calls, and SQLite's choice of index for "filter and this group" was often worse than
 * sorting the filter's matches (measured at a million calls).
 */
function groupArms(db: Database, p: Prepared, after: string | undefined): ((need: number) => Statement)[] | null {
  const { f, plan, offset } = p;
  if (!plan.groups || f.where !== '1' || offset) return null;
  const desc = plan.spec.desc;
  let groups = desc ? [...plan.groups].reverse() : plan.groups;
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
  return groups.map((g, i) => (need: number) => {
    const past = i === 0 && cursorId !== undefined;
    const where = `${g.where}${past ? ` AND id ${desc ? '<' : '>'} ?` : ''}`;
    const params = [...g.params, ...(past ? [cursorId] : [])];
    return fewEnoughToSort(db, where, params, need)
      ? { sql: `SELECT id FROM cdrs WHERE ${where} ORDER BY +id ${dir} LIMIT ${need}`, params }
      : { sql: `SELECT id FROM cdrs NOT INDEXED WHERE ${where} ORDER BY id ${dir} LIMIT ${need}`, params };
  });
}

/** The ids of one page (limit + 1, to know whether another follows), in order; `ran` sees each statement. */
function pageIds(ws: FilterHost, p: Prepared, after: string | undefined, known?: number, ran?: (q: Statement) => void): number[] {
  const db = hostDb(ws);
  const run = (q: Statement) => {
    ran?.(q);
    return db.prepare(q.sql).pluck().all(...q.params) as number[];
  };
  const arms = groupArms(db, p, after);
  if (!arms) return run(pageIdsSql(ws, p, after, known));
  const ids: number[] = [];
  for (const arm of arms) {
    if (ids.length > p.limit) break;
    ids.push(...run(arm(p.limit + 1 - ids.length)));
  }
  return ids;
}

const countParams = (p: Prepared) => (p.f.matchOnly ? [p.f.matchOnly.query] : p.f.params);
const count = (db: Database, p: Prepared) => db.prepare(p.countSql).pluck().get(...countParams(p)) as number;

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
  return inSnapshot(ws, () => count(hostDb(ws), prepare(ws, { filter })));
}

/** One page of rows without the total: the UI shows it at once and asks for the total separately. */
export function searchPage(ws: FilterHost, opts: SearchOptions): SearchPage {
  return inSnapshot(ws, () => readPage(ws, prepare(ws, opts), opts.after));
}

/** A page and the exact total (the CLI's `{"total","rows"}`); the total also tells the page plan how selective the filter is. */
export function search(ws: FilterHost, opts: SearchOptions): SearchResult {
  return inSnapshot(ws, () => {
    const p = prepare(ws, opts);
    const total = count(hostDb(ws), p);
    return { total, ...readPage(ws, p, opts.after, total) };
  });
}

/**
 * Ids are chosen and ordered first (often from an index alone), then only those rows are read: sorting whole
 * rows of a large group (say every call of the first campaign, by id) would read each of them.
 */
function readPage(ws: FilterHost, p: Prepared, after: string | undefined, known?: number): SearchPage {
  const ids = pageIds(ws, p, after, known);
  const dir = p.plan.spec.desc ? 'DESC' : 'ASC';
  const priced = hasCosts(hostDb(ws));
  const sql = `SELECT ${ROW_COLUMNS}${priced ? ', cost' : ''} FROM cdrs WHERE id IN (SELECT value FROM json_each(?)) ORDER BY ${p.plan.expr} ${dir}, id ${dir}`;
  let rows = hostDb(ws).prepare(sql).all(JSON.stringify(ids)) as CdrDbRow[];
  const more = rows.length > p.limit;
  if (more) rows = rows.slice(0, p.limit);
  const last = rows[rows.length - 1];
  const next = more && last ? encodeCursor(p.plan.spec, p.plan.valueOf(last as unknown as { account_id: number }), last.id) : null;
  const cards = new CardCache(hostDb(ws));
  return {
    rows: rows.map((r) => {
      const call = rowToCdr(r, accountOf(p.f.accountsById, r.account_id));
      if (!priced) return call;
      const { raw, ...fields } = call;
      return { ...fields, ...costFields(cards, r), raw };
    }),
    next,
  };
}

/**
 * SQLite's plans (EXPLAIN QUERY PLAN details) for the statements that chose a page's ids (run to know which ran)
 * and for the count, for tests and diagnosis.
 */
export function explainSearch(ws: FilterHost, opts: SearchOptions): { page: string[]; count: string[] } {
  const db = hostDb(ws);
  return inSnapshot(ws, () => {
    const p = prepare(ws, opts);
    const detail = (sql: string, params: unknown[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
    const page: string[] = [];
    pageIds(ws, p, opts.after, undefined, (q) => page.push(...detail(q.sql, q.params)));
    return { page, count: detail(p.countSql, countParams(p)) };
  });
}

function accountOf(byId: Map<number, FilterAccount>, id: number): FilterAccount {
  const a = byId.get(id);
  if (!a) throw new Error(`cached call refers to account ${id}, which does not exist`);
  return a;
}
