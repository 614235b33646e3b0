// Sort orders and keyset cursors. Every order ends with the row id, so it is total and a cursor names one exact
// position: pages stay stable while new calls are added. SQLite puts NULLs first ascending, last descending.
import { CALL_STATUSES } from '../../shared/cdr.ts';
import { SORT_FIELDS, type SortField, type SortSpec } from '../../shared/filter.ts';
import { ACCOUNT_ORDER_INDEX } from '../db/migrations/015_account_order_index.ts';
import { UserError } from '../errors.ts';
import type { FilterAccount } from './filter.ts';

export const DEFAULT_SORT: SortSpec = { field: 'startedAt', desc: true };

const COLUMNS: Record<Exclude<SortField, 'account'>, string> = {
  startedAt: 'started_at', answeredAt: 'answered_at', endedAt: 'ended_at', durationSec: 'duration_sec',
  billSec: 'bill_sec', status: 'status', campaign: 'campaign', source: 'source', destination: 'destination',
  // The direction index is on this expression (the same order and values): a filter on direction cannot pick it.
  agent: 'agent', callId: 'call_id', direction: "(direction || '')",
};
/** The column a row's sort value is read from. */
const FIELDS: Record<Exclude<SortField, 'account'>, string> = { ...COLUMNS, direction: 'direction' };

export function parseSort(input: unknown): SortSpec {
  if (input === undefined || input === null) return DEFAULT_SORT;
  const s = input as { field?: unknown; desc?: unknown };
  if (!(SORT_FIELDS as readonly unknown[]).includes(s.field)) {
    throw new UserError(`unknown sort field "${String(s.field)}" (known: ${SORT_FIELDS.join(', ')})`);
  }
  return { field: s.field as SortField, desc: Boolean(s.desc) };
}

/** "FIELD" or "FIELD:desc" / "FIELD:asc" as the CLI takes it. */
export function parseSortText(text: string): SortSpec {
  const [field, dir, ...rest] = text.split(':');
  if (rest.length || (dir !== undefined && dir !== 'desc' && dir !== 'asc')) {
    throw new UserError(`--sort "${text}" should be FIELD, FIELD:asc or FIELD:desc`);
  }
  return parseSort({ field, desc: dir === 'desc' });
}

export interface SortPlan {
  spec: SortSpec;
  /** SQL for the sort value of a `cdrs` row. */
  expr: string;
  /** The value of a fetched row, as stored in a cursor. */
  valueOf(row: { account_id: number } & Record<string, unknown>): unknown;
  /** The cursor value as bound to `expr`. */
  bind(value: unknown): unknown;
  /**
   * For a column with a few known values led by an index (status, the account): every value in ascending
   * order with an indexed condition selecting it. A page can then be read group by group in id order instead of
   * sorting a whole group's ids (the first status, "answered", is about half of all calls).
   */
  groups?: SortGroup[];
  /** An index listing each group's calls in id order (the accounts'): a group is walked there, not along the table. */
  groupIndex?: string;
  /**
   * The index that lists calls in this order (led by the sort expression, calls sharing a value in id order or
   * nearly), if one does: a page can walk it and test the filter on each call, stopping when the page is full.
   */
  index?: string;
  /**
   * Whether `index` holds calls sharing a sort value in another order than by id (the start time's: direction and
   * duration follow it), so that SQLite sorts each such group as it walks; few calls share a start time.
   */
  tiesSorted?: boolean;
}

export interface SortGroup {
  /** The value of `expr` in this group (as bound). */
  value: unknown;
  where: string;
  params: unknown[];
  /** The account whose calls this group is (by account): passed over when the filter leaves that account out. */
  account?: number;
}

/**
 * The indexes walked in each sort order (migrations 002, 003, 008 and sort-indexes; all but the start time's hold the
 * filter's plain columns since covering-sort-indexes). Status and campaign lead
 * indexes too, but each value is shared by a large part of the table, which they order by start time, not id;
 * call ids are indexed per account only; accounts sort by name, each account's calls read as a group (groupIndex).
 */
const SORT_INDEX: Partial<Record<SortField, string>> = {
  startedAt: 'cdrs_started', answeredAt: 'cdrs_answered', endedAt: 'cdrs_ended', durationSec: 'cdrs_duration', billSec: 'cdrs_bill',
  agent: 'cdrs_agent', source: 'cdrs_source', destination: 'cdrs_destination', direction: 'cdrs_direction',
};

export function sortPlan(spec: SortSpec, accounts: readonly FilterAccount[]): SortPlan {
  const index = SORT_INDEX[spec.field];
  if (spec.field !== 'account') {
    const col = COLUMNS[spec.field];
    const field = FIELDS[spec.field];
    // Binary order, as SQLite compares them (status is NOT NULL).
    const groups = spec.field === 'status' ? [...CALL_STATUSES].sort().map((s) => ({ value: s, where: 'status = ?', params: [s] })) : undefined;
    return { spec, expr: col, valueOf: (row) => row[field] ?? null, bind: (v) => v, groups, index, tiesSorted: spec.field === 'startedAt' };
  }
  // Accounts sort by name: a CASE over account ids giving each its rank (the accounts table is small).
  const byName = [...accounts].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.id - b.id);
  const rank = new Map(byName.map((a, i) => [a.id, i]));
  const expr = byName.length ? `(CASE account_id ${byName.map((a) => `WHEN ${a.id} THEN ${rank.get(a.id)}`).join(' ')} END)` : '0';
  return {
    spec,
    expr,
    groups: byName.map((a, i) => ({ value: i, where: 'account_id = ?', params: [a.id], account: a.id })),
    groupIndex: ACCOUNT_ORDER_INDEX,
    valueOf: (row) => byName[rank.get(row.account_id) ?? 0]?.name ?? null,
    bind: (name) => {
      const i = byName.findIndex((a) => a.name === name);
      if (i < 0) throw new UserError('the page position refers to an account that no longer exists; start from the first page');
      return i;
    },
  };
}

interface CursorBody {
  f: SortField;
  d: boolean;
  v: unknown;
  id: number;
}

export function encodeCursor(spec: SortSpec, value: unknown, id: number): string {
  const body: CursorBody = { f: spec.field, d: spec.desc, v: value, id };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

export function decodeCursor(cursor: string, spec: SortSpec): { value: unknown; id: number } {
  let body: CursorBody;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorBody;
  } catch {
    throw new UserError('the page cursor is not valid; start from the first page');
  }
  if (typeof body?.id !== 'number' || !('v' in body)) throw new UserError('the page cursor is not valid; start from the first page');
  if (body.f !== spec.field || body.d !== spec.desc) {
    throw new UserError('the page cursor belongs to another sort order; start from the first page');
  }
  const v = body.v;
  if (v !== null && typeof v !== 'string' && typeof v !== 'number') throw new UserError('the page cursor is not valid; start from the first page');
  return { value: v, id: body.id };
}

export interface Segment {
  where: string;
  params: unknown[];
  orderBy: string;
}

/**
 * The rows after a cursor, as ordered segments (to be concatenated): each segment's condition is a plain
 * range on the sort column so the sort index is used, and NULLs (first ascending, last descending) get their own.
 */
export function segmentsAfter(plan: SortPlan, value: unknown, id: number, orderExpr = plan.expr): Segment[] {
  const e = plan.expr;
  const dir = plan.spec.desc ? 'DESC' : 'ASC';
  const full = `${orderExpr} ${dir}, id ${dir}`;
  const idOnly = `id ${dir}`;
  if (value === null) {
    return plan.spec.desc
      ? [{ where: `${e} IS NULL AND id < ?`, params: [id], orderBy: idOnly }]
      : [
          { where: `${e} IS NULL AND id > ?`, params: [id], orderBy: idOnly },
          { where: `${e} IS NOT NULL`, params: [], orderBy: full },
        ];
  }
  const v = plan.bind(value);
  return plan.spec.desc
    ? [
        { where: `${e} <= ? AND (${e} < ? OR id < ?)`, params: [v, v, id], orderBy: full },
        { where: `${e} IS NULL`, params: [], orderBy: idOnly },
      ]
    : [{ where: `${e} >= ? AND (${e} > ? OR id > ?)`, params: [v, v, id], orderBy: full }];
}

/** A row's position in a sort order: the value of the sort expression (as SQLite returns it, null for NULL) and its id. */
export interface SortKey {
  value: unknown;
  id: number;
}

/**
 * The rows after `after` (all from the first when null) up to and including `upTo` (all to the last when null),
 * as ordered segments to concatenate: splits an order into consecutive parts read independently (parallel
 * export). The order has two zones, NULLs (first ascending, last descending, by id) and values; each zone a
 * part touches is one segment whose bounds are plain ranges on the sort expression, so its index is used.
 */
export function segmentsBetween(order: { expr: string; desc: boolean }, after: SortKey | null, upTo: SortKey | null): Segment[] {
  const { expr: e, desc } = order;
  const dir = desc ? 'DESC' : 'ASC';
  const [lt, gt] = desc ? ['>', '<'] : ['<', '>'];
  type Bound = { where: string; params: unknown[] } | 'all' | 'none';
  // Within one zone: rows strictly after `k`, or at or before it. A key in the other zone lies wholly before or after it.
  const zoneBound = (nullZone: boolean, k: SortKey | null, side: 'after' | 'upTo'): Bound => {
    if (k === null) return 'all';
    const keyInNullZone = k.value === null;
    if (keyInNullZone !== nullZone) {
      // Ascending: NULL zone first; descending: NULL zone last.
      const keyZoneFirst = keyInNullZone !== desc;
      return (side === 'after') === keyZoneFirst ? 'all' : 'none';
    }
    if (nullZone) return side === 'after' ? { where: `id ${gt} ?`, params: [k.id] } : { where: `id ${lt}= ?`, params: [k.id] };
    const v = k.value;
    return side === 'after'
      ? { where: `${e} ${gt}= ? AND (${e} ${gt} ? OR id ${gt} ?)`, params: [v, v, k.id] }
      : { where: `${e} ${lt}= ? AND (${e} ${lt} ? OR id ${lt}= ?)`, params: [v, v, k.id] };
  };
  const zones = desc ? [false, true] : [true, false];
  const out: Segment[] = [];
  for (const nullZone of zones) {
    const bounds = [zoneBound(nullZone, after, 'after'), zoneBound(nullZone, upTo, 'upTo')];
    if (bounds.includes('none')) continue;
    const where = [nullZone ? `${e} IS NULL` : `${e} IS NOT NULL`];
    const params: unknown[] = [];
    for (const b of bounds) {
      if (b === 'all' || b === 'none') continue;
      where.push(b.where);
      params.push(...b.params);
    }
    out.push({ where: where.join(' AND '), params, orderBy: nullZone ? `id ${dir}` : `${e} ${dir}, id ${dir}` });
  }
  return out;
}
