// Rate cards in the cache (the costs migration: account_billing, rates) and the stored cost of each call (cdrs.cost).
// A call's cost is computed when CdrWriter writes it and again, for every call of the account, whenever its card,
// its billing settings or its time zone change; the summary totals follow (summary/totals.ts).
import type { Database } from 'better-sqlite3';
import { BillBy, BillingPatch, type RateCardView } from '../../shared/costs.ts';
import { UserError } from '../errors.ts';
import { rebuildTotals } from '../summary/totals.ts';
import { amountNumber, formatAmount } from './money.ts';
import { priceCall, priceCard, UNPRICED_TEXT, type Billing, type PricedCard } from './price.ts';
import { checkCurrency, type Rate } from './rates.ts';

interface AccountRef {
  id: number;
  name: string;
  timezone: string;
}

interface BillingRow {
  currency: string;
  bill_by: BillBy;
  unanswered_fee: number;
}

interface RateRow {
  prefix: string;
  effective_from: string;
  per_minute: number;
  first_sec: number;
  next_sec: number;
  connect_fee: number;
  min_sec: number | null;
}

export function accountRef(db: Database, name: string): AccountRef {
  const a = db.prepare('SELECT id, name, timezone FROM accounts WHERE name = ? COLLATE NOCASE').get(name) as AccountRef | undefined;
  if (!a) throw new UserError('no such account', name);
  return a;
}

function billingOf(db: Database, accountId: number): Billing | null {
  const b = db.prepare('SELECT currency, bill_by, unanswered_fee FROM account_billing WHERE account_id = ?').get(accountId) as BillingRow | undefined;
  return b ? { currency: b.currency, billBy: b.bill_by, unansweredConnectFee: b.unanswered_fee === 1 } : null;
}

function ratesOf(db: Database, accountId: number): Rate[] {
  const rows = db
    .prepare(`SELECT prefix, effective_from, per_minute, first_sec, next_sec, connect_fee, min_sec FROM rates
              WHERE account_id = ? ORDER BY prefix, effective_from`)
    .all(accountId) as RateRow[];
  return rows.map((r) => ({
    prefix: r.prefix, effectiveFrom: r.effective_from, perMinute: r.per_minute, first: r.first_sec, next: r.next_sec,
    connectFee: r.connect_fee, minSeconds: r.min_sec,
  }));
}

/** The account's card ready for pricing; null when it has no currency (no card at all). */
export function loadCard(db: Database, accountId: number): PricedCard | null {
  return cardWith(db, accountId, billingOf(db, accountId));
}

/** The account's card from a billing already read: CardCache reads it once for both stored costs and the card. */
function cardWith(db: Database, accountId: number, billing: Billing | null): PricedCard | null {
  if (!billing) return null;
  const zone = db.prepare('SELECT timezone FROM accounts WHERE id = ?').pluck().get(accountId) as string | undefined;
  return zone === undefined ? null : priceCard(billing, ratesOf(db, accountId), zone);
}

export function rateCardView(db: Database, name: string): RateCardView {
  const a = accountRef(db, name);
  const billing = billingOf(db, a.id);
  return {
    account: a.name,
    currency: billing?.currency ?? null,
    billBy: billing?.billBy ?? 'billsec',
    unansweredConnectFee: billing?.unansweredConnectFee ?? false,
    rates: ratesOf(db, a.id).map((r) => ({
      prefix: r.prefix, perMinute: formatAmount(r.perMinute), increment: `${r.first}/${r.next}`, connectFee: formatAmount(r.connectFee),
      minSeconds: r.minSeconds, effectiveFrom: r.effectiveFrom,
    })),
  };
}

interface CallRow {
  id: number;
  destination: string | null;
  status: string;
  started_at: number | null;
  bill_sec: number | null;
  duration_sec: number | null;
  cost: number | null;
}

const REPRICE_BATCH = 5_000;

/**
 * Computes every call's cost of the account again (its card, settings or zone changed), then its summary totals.
 * The totals' update trigger skips cost-only changes while the account is listed in cost_repricing: its totals
 * are rebuilt once at the end instead of once per call.
 */
export function repriceCalls(db: Database, accountId: number): void {
  db.transaction(() => {
    const card = loadCard(db, accountId);
    db.prepare('INSERT OR IGNORE INTO cost_repricing (account_id) VALUES (?)').run(accountId);
    const read = db.prepare(
      `SELECT id, destination, status, started_at, bill_sec, duration_sec, cost FROM cdrs
       WHERE account_id = ? AND id > ? ORDER BY id LIMIT ${REPRICE_BATCH}`,
    );
    const write = db.prepare('UPDATE cdrs SET cost = ? WHERE id = ?');
    // In batches: better-sqlite3 cannot write while a read on the same connection is still iterating.
    for (let after = 0, rows: CallRow[]; (rows = read.all(accountId, after) as CallRow[]).length; after = rows[rows.length - 1]!.id) {
      for (const r of rows) {
        const p = priceCall(card, { destination: r.destination, status: r.status, startedAt: r.started_at, billSec: r.bill_sec, durationSec: r.duration_sec });
        const cost = 'units' in p ? p.units : null;
        if (cost !== r.cost) write.run(cost, r.id);
      }
    }
    db.prepare('DELETE FROM cost_repricing WHERE account_id = ?').run(accountId);
    rebuildTotals(db, accountId);
  })();
}

function insertRates(db: Database, accountId: number, rates: readonly Rate[]): void {
  const insert = db.prepare(
    `INSERT INTO rates (account_id, prefix, effective_from, per_minute, first_sec, next_sec, connect_fee, min_sec)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of rates) insert.run(accountId, r.prefix, r.effectiveFrom, r.perMinute, r.first, r.next, r.connectFee, r.minSeconds);
}

/**
 * Adds rates to the account's card (history: a rate with a later date never changes earlier calls), or with
 * `replace` puts them in place of the whole card. A (prefix, date) already on the card is refused unless
 * replacing; nothing changes on any error. Returns the number of rates stored.
 */
export function importRates(db: Database, name: string, rates: readonly Rate[], opts: { replace?: boolean; source?: string } = {}): number {
  const a = accountRef(db, name);
  if (!billingOf(db, a.id)) {
    throw new UserError(`set the account's currency before importing rates (cdr-desk accounts edit ${a.name} --currency USD)`, a.name);
  }
  if (!rates.length) throw new UserError(`rate file${opts.source ? ` ${opts.source}` : ''} holds no rates; nothing was changed`, a.name);
  db.transaction(() => {
    if (opts.replace) db.prepare('DELETE FROM rates WHERE account_id = ?').run(a.id);
    else {
      const exists = db.prepare('SELECT 1 FROM rates WHERE account_id = ? AND prefix = ? AND effective_from = ?');
      for (const r of rates) {
        if (exists.get(a.id, r.prefix, r.effectiveFrom)) {
          throw new UserError(`the card already has a rate for prefix "${r.prefix}" from ${r.effectiveFrom} (import with --replace to replace the whole card); nothing was changed`, a.name);
        }
      }
    }
    insertRates(db, a.id, rates);
    repriceCalls(db, a.id);
  })();
  return rates.length;
}

/** Removes every rate of the account (its currency and settings stay); its calls lose their cost. */
export function clearRates(db: Database, name: string): number {
  const a = accountRef(db, name);
  let removed = 0;
  db.transaction(() => {
    removed = db.prepare('DELETE FROM rates WHERE account_id = ?').run(a.id).changes;
    repriceCalls(db, a.id);
  })();
  return removed;
}

/** Sets the account's currency and billing options; calls are priced again. */
export function setBilling(db: Database, name: string, input: unknown): RateCardView {
  const a = accountRef(db, name);
  const parsed = BillingPatch.safeParse(input);
  if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => `${i.path.join('.') || 'billing'}: ${i.message}`).join('; '), a.name);
  const p = parsed.data;
  const current = billingOf(db, a.id);
  const currency = p.currency !== undefined ? checkCurrency(p.currency, a.name) : current?.currency;
  if (!currency) throw new UserError('the account has no currency yet: give one (ISO 4217, like USD)', a.name);
  const next: Billing = {
    currency,
    billBy: p.billBy ?? current?.billBy ?? 'billsec',
    unansweredConnectFee: p.unansweredConnectFee ?? current?.unansweredConnectFee ?? false,
  };
  if (current && current.currency !== next.currency && ratesOf(db, a.id).length) {
    throw new UserError(`the rate card is in ${current.currency}: clear it (cdr-desk rates clear ${a.name}) before changing the currency to ${next.currency}`, a.name);
  }
  db.transaction(() => {
    db.prepare(
      `INSERT INTO account_billing (account_id, currency, bill_by, unanswered_fee) VALUES (?, ?, ?, ?)
       ON CONFLICT (account_id) DO UPDATE SET currency = excluded.currency, bill_by = excluded.bill_by, unanswered_fee = excluded.unanswered_fee`,
    ).run(a.id, next.currency, next.billBy, next.unansweredConnectFee ? 1 : 0);
    repriceCalls(db, a.id);
  })();
  return rateCardView(db, a.name);
}

/** Each account's card, loaded once per use (a writer batch, a page of search rows). */
export class CardCache {
  private readonly cards = new Map<number, PricedCard | null>();
  private readonly billings = new Map<number, Billing | null>();
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }
  get(accountId: number): PricedCard | null {
    if (!this.cards.has(accountId)) this.cards.set(accountId, cardWith(this.db, accountId, this.billing(accountId)));
    return this.cards.get(accountId)!;
  }
  /**
   * The account's billing alone, without its rates priced: a call whose cost is stored needs only its currency,
   * and pricing a card places each rate's start in the account's zone (Intl's zone data, loaded on first use in
   * a new `cdr-desk search` process).
   */
  billing(accountId: number): Billing | null {
    if (!this.billings.has(accountId)) this.billings.set(accountId, billingOf(this.db, accountId));
    return this.billings.get(accountId)!;
  }
}


/** The cost fields of a search row: the stored cost as a decimal, its currency, or why it has none. */
export function costFields(cards: CardCache, row: CallRowForNote): { cost: number | null; currency: string | null; costNote: string | null } {
  const billing = row.cost !== null && row.cost !== undefined ? cards.billing(row.account_id) : null;
  if (billing) return { cost: amountNumber(row.cost!), currency: billing.currency, costNote: null };
  const card = cards.get(row.account_id);
  const p = priceCall(card, { destination: row.destination, status: row.status, startedAt: row.started_at, billSec: row.bill_sec, durationSec: row.duration_sec });
  return { cost: null, currency: card?.billing.currency ?? null, costNote: 'reason' in p ? UNPRICED_TEXT[p.reason] : 'not priced yet' };
}

interface CallRowForNote {
  account_id: number;
  destination: string | null;
  status: string;
  started_at: number | null;
  bill_sec: number | null;
  duration_sec: number | null;
  cost?: number | null;
}
