// Writing and reading the one CDR table. Upserts are idempotent on (account, call id): a row is rewritten only
// when something in it changed, so a repeated sync reports zero updates.
import type { Database, Statement } from 'better-sqlite3';
import type { Cdr, CallStatus, Direction, NormalizedCdr } from '../../shared/cdr.ts';
import { priceCall, type PricedCard } from '../costs/price.ts';
import { loadCard } from '../costs/store.ts';
import { searchColumns } from '../search/index-text.ts';
import { hasTailSchema, indexTail, openTail, tailStart, TAIL_ROWS_MAX } from '../search/tail.ts';
import { addCallsSql, coverZone, rebuildTotals, TOTALS_TABLES } from '../summary/totals.ts';
import { toIsoUtc } from '../time/zone.ts';

export interface UpsertCounts {
  inserted: number;
  updated: number;
}

/** The columns of `cdrs` as stored (instants in epoch ms). */
export interface CdrDbRow {
  id: number;
  account_id: number;
  call_id: string;
  campaign_id: string | null;
  campaign: string | null;
  direction: Direction | null;
  source: string | null;
  destination: string | null;
  status: CallStatus;
  provider_status: string | null;
  started_at: number | null;
  answered_at: number | null;
  ended_at: number | null;
  duration_sec: number | null;
  bill_sec: number | null;
  wait_sec: number | null;
  keypress: string | null;
  agent: string | null;
  recording: string | null;
  contact: string | null;
  extra_text: string | null;
  raw: string;
  /** Units of 1/10,000 of the account's currency; null where no rate applies (the costs migration). */
  cost?: number | null;
}

export const CONTENT_COLUMNS = [
  'campaign_id', 'campaign', 'direction', 'source', 'destination', 'status', 'provider_status', 'started_at',
  'answered_at', 'ended_at', 'duration_sec', 'bill_sec', 'wait_sec', 'keypress', 'agent', 'recording', 'extra_text',
  'raw', 'search_text', 'phone_digits', 'contact',
] as const;

const STARTED_AT = CONTENT_COLUMNS.indexOf('started_at');
const DESTINATION = CONTENT_COLUMNS.indexOf('destination');
const STATUS = CONTENT_COLUMNS.indexOf('status');
const BILL_SEC = CONTENT_COLUMNS.indexOf('bill_sec');
const DURATION_SEC = CONTENT_COLUMNS.indexOf('duration_sec');

/** The stored cost of a prepared call under the account's card (costs/price.ts). */
function costOf(card: PricedCard | null, content: PreparedCdr['content']): number | null {
  if (!card) return null;
  const p = priceCall(card, {
    destination: content[DESTINATION] as string | null, status: content[STATUS] as string, startedAt: content[STARTED_AT] as number | null,
    billSec: content[BILL_SEC] as number | null, durationSec: content[DURATION_SEC] as number | null,
  });
  return 'units' in p ? p.units : null;
}

/** A call as the values of CONTENT_COLUMNS: plain data, cheap to hand to the sync writer's thread. */
export interface PreparedCdr {
  callId: string;
  content: (string | number | null)[];
}

/** The stored column values of a normalized call, with its search columns and raw JSON text. */
export function prepareCdr(r: NormalizedCdr): PreparedCdr {
  const { search_text, phone_digits } = searchColumns(r); // folded text and phone digits (migration 002)
  return {
    callId: r.callId,
    content: [
      r.campaignId, r.campaign, r.direction, r.source, r.destination, r.status, r.providerStatus,
      r.startedAt, r.answeredAt, r.endedAt, r.durationSec, r.billSec, r.waitSec, r.keypress, r.agent, r.recording,
      r.extraText, JSON.stringify(r.raw), search_text, phone_digits, r.contact ?? null,
    ],
  };
}

/**
 * Search index and summary totals upkeep: the FTS5 tables (migration 002) are external-content indexes of cdrs,
 * and the summary totals (migration 004) count its calls. Updates and deletes keep them in step through triggers; new
 * rows are indexed and counted here, once per batch of pages written, with one INSERT ... SELECT of the ids above the
 * table's previous maximum (rowids are assigned max + 1), inside the same transaction as the rows themselves, so
 * every committed state has indexes and totals matching the rows. About half the cost of a trigger firing per
 * row (and a trigger on insert would make SQLite keep a statement journal for every insert).
 * With `deferIndex` (a large sync) new rows go to the search tail instead (search/tail.ts), indexed in bulk once it
 * holds TAIL_ROWS_MAX calls; without it, a tail left by another writer is indexed before new rows are.
 */
export class CdrWriter {
  private readonly insert: Statement;
  private readonly update: Statement;
  private readonly maxId: Statement;
  private readonly idOf: Statement;
  private readonly indexText: Statement;
  private readonly indexPhone: Statement;
  private readonly countNew: Statement[];
  private readonly zoneOf: Statement;
  private readonly db: Database;
  private readonly deferIndex: boolean;
  /** writePrepared() as one unit: a savepoint inside the caller's transaction, or a transaction of its own. */
  private readonly atomic: (accountId: number, pages: readonly (readonly PreparedCdr[])[], now: number) => UpsertCounts[];

  constructor(db: Database, opts: { deferIndex?: boolean } = {}) {
    this.deferIndex = opts.deferIndex === true && hasTailSchema(db);
    const cols = CONTENT_COLUMNS.join(', ');
    // Positional parameters: account, call id, the content columns in CONTENT_COLUMNS order, cost, now.
    this.insert = db.prepare(
      `INSERT INTO cdrs (account_id, call_id, ${cols}, cost, first_seen_at, updated_at)
       VALUES (?, ?, ${CONTENT_COLUMNS.map(() => '?').join(', ')}, ?, ?, ?)
       ON CONFLICT (account_id, call_id) DO NOTHING`,
    );
    // Rewritten only when something differs, so a repeated sync reports (and writes) nothing. Parameters: the
    // content, cost, now, account, call id, the content again.
    this.update = db.prepare(
      `UPDATE cdrs SET ${CONTENT_COLUMNS.map((c) => `${c} = ?`).join(', ')}, cost = ?, updated_at = ?
       WHERE account_id = ? AND call_id = ? AND (${CONTENT_COLUMNS.map((c) => `${c} IS NOT ?`).join(' OR ')})`,
    );
    this.maxId = db.prepare('SELECT coalesce(max(id), 0) FROM cdrs').pluck();
    this.idOf = db.prepare('SELECT id FROM cdrs WHERE account_id = ? AND call_id = ?').pluck();
    this.indexText = db.prepare('INSERT INTO cdrs_fts(rowid, search_text) SELECT id, search_text FROM cdrs WHERE id > ?');
    this.indexPhone = db.prepare('INSERT INTO cdrs_phone(rowid, phone_digits) SELECT id, phone_digits FROM cdrs WHERE id > ?');
    this.countNew = TOTALS_TABLES.map((t) => db.prepare(addCallsSql(t, 'id > ?', { byId: true })));
    this.zoneOf = db.prepare('SELECT timezone FROM accounts WHERE id = ?').pluck();
    this.db = db;
    this.atomic = db.transaction((accountId: number, pages: readonly (readonly PreparedCdr[])[], now: number) => this.writeRows(accountId, pages, now));
  }

  /** Upserts rows for one account. Call inside the caller's transaction so rows and cursor commit together. */
  write(accountId: number, rows: readonly NormalizedCdr[], now = Date.now()): UpsertCounts {
    return this.atomic(accountId, [rows.map(prepareCdr)], now)[0]!;
  }

  /**
   * Upserts several pages of one account at once, their calls already column values (prepareCdr), with their
   * counts page by page: the search indexes and totals take the new rows in one statement each, not one per page
   * (the sync engine commits pages together).
   */
  writePrepared(accountId: number, pages: readonly (readonly PreparedCdr[])[], now = Date.now()): UpsertCounts[] {
    return this.atomic(accountId, pages, now);
  }

  /**
   * writePrepared() inside the caller's transaction, without a savepoint of its own: a failure must roll back the
   * caller's whole transaction (the sync engine's commit does). A savepoint open over a large write made SQLite copy
   * every page it first changed into a statement journal, a temporary file once it outgrew memory.
   */
  writeInTransaction(accountId: number, pages: readonly (readonly PreparedCdr[])[], now = Date.now()): UpsertCounts[] {
    if (!this.db.inTransaction) throw new Error('CdrWriter.writeInTransaction needs a transaction open');
    return this.writeRows(accountId, pages, now);
  }

  private writeRows(accountId: number, pages: readonly (readonly PreparedCdr[])[], now: number): UpsertCounts[] {
    this.coverStarts(accountId, pages);
    // The card as it is now: calls written later than a card change are priced by it; earlier ones were repriced.
    const card = loadCard(this.db, accountId);
    // Rows above a tail's watermark must not be indexed one batch at a time: the tail's bulk indexing takes them.
    if (this.deferIndex) openTail(this.db);
    else if (tailStart(this.db) !== null) indexTail(this.db);
    /** Rows with ids above this are in cdrs but not yet in the search indexes. */
    let indexedUpTo = this.maxId.get() as number;
    /**
     * Whether this call inserted rows not yet indexed. A page may repeat a call: the update of a call inserted here
     * needs it indexed first, and such a call is one whose id is above `indexedUpTo` (ids are assigned max + 1).
     * Looked up only on a conflict after an insert, not remembered per insert: a first sync inserts every call.
     */
    let inserted = false;
    const all = pages.map(() => ({ inserted: 0, updated: 0 }) as UpsertCounts);
    for (const [p, rows] of pages.entries()) {
      const counts = all[p]!;
      for (const { callId, content } of rows) {
        const cost = costOf(card, content);
        if (this.insert.run(accountId, callId, content, cost, now, now).changes > 0) {
          counts.inserted++;
          inserted = true;
          continue;
        }
        if (inserted && (this.idOf.get(accountId, callId) as number) > indexedUpTo) {
          // The update triggers take the old text out of the indexes and the old call out of the totals: it must
          // have been indexed and counted first.
          this.indexNew(indexedUpTo);
          indexedUpTo = this.maxId.get() as number;
          inserted = false;
        }
        if (this.update.run(content, cost, now, accountId, callId, content).changes > 0) counts.updated++;
      }
    }
    if (inserted) this.indexNew(indexedUpTo);
    if (this.deferIndex && (this.maxId.get() as number) - (tailStart(this.db) ?? Infinity) >= TAIL_ROWS_MAX) indexTail(this.db);
    return all;
  }

  /** The summary totals' triggers need the account's zone offsets at these calls' starts (summary/totals.ts). */
  private coverStarts(accountId: number, pages: readonly (readonly PreparedCdr[])[]): void {
    let lo = Infinity;
    let hi = -Infinity;
    for (const rows of pages) {
      for (const r of rows) {
        const startedAt = r.content[STARTED_AT];
        if (typeof startedAt !== 'number') continue;
        if (startedAt < lo) lo = startedAt;
        if (startedAt > hi) hi = startedAt;
      }
    }
    const zone = this.zoneOf.get(accountId) as string | undefined;
    if (lo > hi || zone === undefined) return;
    const db = this.zoneOf.database;
    if (!coverZone(db, accountId, zone, lo, hi)) rebuildTotals(db, accountId);
  }

  private indexNew(after: number): void {
    if (!this.deferIndex) {
      this.indexText.run(after);
      this.indexPhone.run(after);
    }
    for (const count of this.countNew) count.run(after);
  }
}

/** A stored row as the CLI/IPC `Cdr` JSON. */
export function rowToCdr(row: CdrDbRow, account: { name: string; provider: string }): Cdr {
  return {
    account: account.name,
    provider: account.provider,
    callId: row.call_id,
    campaign: row.campaign,
    direction: row.direction,
    source: row.source,
    destination: row.destination,
    status: row.status,
    providerStatus: row.provider_status,
    startedAt: toIsoUtc(row.started_at),
    answeredAt: toIsoUtc(row.answered_at),
    endedAt: toIsoUtc(row.ended_at),
    durationSec: row.duration_sec,
    billSec: row.bill_sec,
    keypress: row.keypress,
    agent: row.agent,
    recording: row.recording,
    contact: row.contact ?? null,
    raw: JSON.parse(row.raw) as unknown,
  };
}
