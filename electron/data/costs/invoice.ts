// "Compare with invoice": the cache's figures for an invoice's period beside the invoice's total minutes and
// amount, and the likeliest cause of a difference. Each cause is a way of pricing the same calls differently (by
// duration instead of billable seconds or the reverse; without a rate that took effect inside the period) or
// calls we cannot price yet (pending, no rate); the one that comes closest to the invoice is named.
import type { Database } from 'better-sqlite3';
import type { InvoiceCheck, InvoiceCheckRequest } from '../../shared/costs.ts';
import { UserError } from '../errors.ts';
import { compileFilterDetail } from '../search/filter.ts';
import { resolveWindow } from '../search/time-window.ts';
import { amountNumber } from './money.ts';
import { billedSeconds, priceCall, rateAt, type PricedCard } from './price.ts';
import { accountRef, loadCard } from './store.ts';

interface PeriodCall {
  destination: string | null;
  status: string;
  started_at: number | null;
  bill_sec: number | null;
  duration_sec: number | null;
}

const minutes = (seconds: number) => Math.round((seconds / 60) * 100) / 100;

/** The cost (units) of the calls under a card, and how many it could not price. */
function costUnder(card: PricedCard | null, calls: readonly PeriodCall[]): { units: number; unpriced: number } {
  let units = 0;
  let unpriced = 0;
  for (const c of calls) {
    const p = priceCall(card, { destination: c.destination, status: c.status, startedAt: c.started_at, billSec: c.bill_sec, durationSec: c.duration_sec });
    if ('units' in p) units += p.units;
    else unpriced++;
  }
  return { units, unpriced };
}

/** The card without the rates that took effect in [from, to) (what an invoice still on the old prices would say). */
function withoutChanges(card: PricedCard, from: number, to: number): { card: PricedCard; since: string } | null {
  let first: { from: number; since: string } | null = null;
  const byPrefix: PricedCard['byPrefix'] = new Map();
  for (const [prefix, list] of card.byPrefix) {
    const kept = list.filter((r, i) => {
      // A prefix's first rate is no change: without it the calls would have no price at all.
      const changed = i > 0 && r.from >= from && r.from < to;
      if (changed && (!first || r.from < first.from)) first = { from: r.from, since: r.rate.effectiveFrom };
      return !changed;
    });
    byPrefix.set(prefix, kept);
  }
  const found = first as { from: number; since: string } | null;
  return found ? { card: { ...card, byPrefix }, since: found.since } : null;
}

export function checkInvoice(db: Database, req: InvoiceCheckRequest): InvoiceCheck {
  const a = accountRef(db, req.account);
  const f = compileFilterDetail(db, { accounts: [a.name], from: req.from, to: req.to });
  const calls = db
    .prepare(`SELECT destination, status, started_at, bill_sec, duration_sec FROM cdrs WHERE ${f.where}`)
    .all(...f.params) as PeriodCall[];
  const card = loadCard(db, a.id);
  const period = resolveWindow(f.window, a.timezone);
  let billed = 0;
  let billable = 0;
  let duration = 0;
  let pending = 0;
  for (const c of calls) {
    billable += c.bill_sec ?? 0;
    duration += c.duration_sec ?? 0;
    if (c.status === 'pending') pending++;
    const rate = card && c.started_at !== null ? rateAt(card, (c.destination ?? '').replace(/\D+/g, ''), c.started_at) : null;
    const seconds = card?.billing.billBy === 'duration' ? c.duration_sec : c.bill_sec;
    if (c.status === 'answered') billed += rate ? billedSeconds(seconds ?? 0, rate) : seconds ?? 0;
  }
  // Ids given for a by-id provider that it has not reported final yet (known_ids): calls still to come.
  pending += db.prepare("SELECT count(*) FROM known_ids WHERE account_id = ? AND state = 'pending'").pluck().get(a.id) as number;
  const base = costUnder(card, calls);
  const invoiceUnits = Math.round(req.amount * 10_000);
  const ours = {
    calls: calls.length, billedMinutes: minutes(billed), billableMinutes: minutes(billable), durationMinutes: minutes(duration),
    cost: card ? amountNumber(base.units) : null, pendingCalls: pending, unpricedCalls: base.unpriced,
  };
  const difference = { minutes: minutes(req.minutes * 60 - billed), amount: card ? amountNumber(invoiceUnits - base.units) : null };
  const off = Math.abs(invoiceUnits - base.units);
  // Within a hundredth of the currency and of a minute: they match.
  if (card && off < 100 && Math.abs(difference.minutes) < 0.01) return { account: a.name, currency: card.billing.currency, from: req.from, to: req.to, ours, difference, cause: null };

  type Cause = NonNullable<InvoiceCheck['cause']>;
  const candidates: { cause: Cause; off: number }[] = [];
  if (card) {
    const flipped = card.billing.billBy === 'billsec' ? 'duration' : 'billsec';
    const alt = costUnder({ ...card, billing: { ...card.billing, billBy: flipped } }, calls);
    candidates.push({ cause: { kind: flipped, since: null, count: null, amount: amountNumber(alt.units) }, off: Math.abs(invoiceUnits - alt.units) });
    if (period.from !== null && period.to !== null) {
      const old = withoutChanges(card, period.from, period.to);
      if (old) {
        const alt2 = costUnder(old.card, calls);
        candidates.push({ cause: { kind: 'rate_change', since: old.since, count: null, amount: amountNumber(alt2.units) }, off: Math.abs(invoiceUnits - alt2.units) });
      }
    }
  }
  // Calls we cannot price explain an invoice above our figure only.
  const explainsMore = !card || invoiceUnits > base.units;
  const best = candidates.filter((c) => c.off * 2 < off).sort((x, y) => x.off - y.off)[0];
  let cause: Cause | null = best?.cause ?? null;
  if (!cause && explainsMore && pending) cause = { kind: 'pending', since: null, count: pending, amount: null };
  else if (!cause && explainsMore && base.unpriced) cause = { kind: 'unpriced', since: null, count: base.unpriced, amount: null };
  if (!cause && !card) throw new UserError('the account has no rate card: set a currency and import rates before comparing an invoice', a.name);
  return { account: a.name, currency: card?.billing.currency ?? null, from: req.from, to: req.to, ours, difference, cause: cause ?? { kind: 'none', since: null, count: null, amount: null } };
}
