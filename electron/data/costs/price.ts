// The cost of one call from its account's rate card, exactly as COST_DEFINITIONS words it (shared/costs.ts):
// integer arithmetic in units of 1/10,000, one rounding per call.
import type { BillBy } from '../../shared/costs.ts';
import { zonedToEpochMs } from '../time/zone.ts';
import type { Rate } from './rates.ts';

export interface Billing {
  currency: string;
  billBy: BillBy;
  unansweredConnectFee: boolean;
}

/** A rate card ready for pricing: per prefix, its rates by the instant they take effect (oldest first). */
export interface PricedCard {
  billing: Billing;
  byPrefix: Map<string, { from: number; rate: Rate }[]>;
  longestPrefix: number;
}

/** What pricing needs of a call. */
export interface CallToPrice {
  destination: string | null;
  status: string;
  startedAt: number | null;
  billSec: number | null;
  durationSec: number | null;
}

export type UnpricedReason = 'no_card' | 'pending' | 'no_start' | 'no_rate' | 'no_seconds';

export const UNPRICED_TEXT: Record<UnpricedReason, string> = {
  no_card: 'the account has no rate card',
  pending: 'the call is still pending',
  no_start: 'the call has no start time',
  no_rate: 'no rate on the card covers this destination at the call\'s start',
  no_seconds: 'the provider gave no billable seconds',
};

const WALL = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/;

/** The instant a rate takes effect: its wall time in the zone; a time the night repeats means its first occurrence. */
export function effectiveInstant(effectiveFrom: string, zone: string): number {
  const m = WALL.exec(effectiveFrom);
  if (!m) throw new Error(`stored effective_from "${effectiveFrom}" is not YYYY-MM-DD[ HH:MM:SS]`);
  const n = m.slice(1).map((x) => Number(x ?? 0));
  return zonedToEpochMs(zone, { year: n[0]!, month: n[1]!, day: n[2]!, hour: n[3]!, minute: n[4]!, second: n[5]! }, 'earlier');
}

export function priceCard(billing: Billing, rates: readonly Rate[], zone: string): PricedCard {
  const byPrefix = new Map<string, { from: number; rate: Rate }[]>();
  let longestPrefix = 0;
  for (const rate of rates) {
    let list = byPrefix.get(rate.prefix);
    if (!list) byPrefix.set(rate.prefix, (list = []));
    list.push({ from: effectiveInstant(rate.effectiveFrom, zone), rate });
    longestPrefix = Math.max(longestPrefix, rate.prefix.length);
  }
  for (const list of byPrefix.values()) list.sort((a, b) => a.from - b.from);
  return { billing, byPrefix, longestPrefix };
}

/** The rate for a destination's digits at an instant: longest prefix among the rates then in force. */
export function rateAt(card: PricedCard, digits: string, at: number): Rate | null {
  for (let len = Math.min(digits.length, card.longestPrefix); len >= 0; len--) {
    const list = card.byPrefix.get(digits.slice(0, len));
    if (!list) continue;
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.from <= at) return list[i]!.rate;
  }
  return null;
}

/** Seconds billed for `seconds` of call: minimum first, then the first step whole and each later step whole. */
export function billedSeconds(seconds: number, rate: Pick<Rate, 'first' | 'next' | 'minSeconds'>): number {
  if (seconds <= 0) return 0;
  const s = Math.max(seconds, rate.minSeconds ?? 0);
  if (s <= rate.first) return rate.first;
  return rate.first + Math.ceil((s - rate.first) / rate.next) * rate.next;
}

const nonDigits = /\D+/g;

/** The call's cost in units of 1/10,000, or why it has none. */
export function priceCall(card: PricedCard | null, call: CallToPrice): { units: number } | { reason: UnpricedReason } {
  if (!card) return { reason: 'no_card' };
  if (call.status === 'pending') return { reason: 'pending' };
  if (call.startedAt === null) return { reason: 'no_start' };
  const rate = rateAt(card, (call.destination ?? '').replace(nonDigits, ''), call.startedAt);
  if (!rate) return { reason: 'no_rate' };
  if (call.status !== 'answered') return { units: card.billing.unansweredConnectFee ? rate.connectFee : 0 };
  const seconds = card.billing.billBy === 'duration' ? call.durationSec : call.billSec;
  if (seconds === null) return { reason: 'no_seconds' };
  // perMinute × seconds is an exact integer (units·s); /60 rounded half up is the one rounding.
  return { units: rate.connectFee + Math.floor((rate.perMinute * billedSeconds(seconds, rate) + 30) / 60) };
}
