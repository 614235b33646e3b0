// Rate cards and call costs (issue 18): the shapes every hop validates and the definitions written once
// (docs/costs.md repeats them word for word). No Node, DOM or Electron imports here.
import { z } from 'zod';
import { AccountName } from './account.ts';

/** Amounts are integers of this fraction of the currency's main unit: 1/10,000 (0.0001). */
export const MONEY_SCALE = 10_000;
export const MONEY_DECIMALS = 4;

/** ISO 4217 codes this runtime knows (Intl's list); a code outside it is refused. */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && (Intl.supportedValuesOf('currency') as string[]).includes(code);
}

/** Digits after the point in the currency's usual display (USD 2, JPY 0, IQD 0 or 3 as Intl says). */
export function currencyDigits(code: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
}

export const BILL_BY = ['billsec', 'duration'] as const;
export const BillBy = z.enum(BILL_BY);
export type BillBy = z.infer<typeof BillBy>;

/** One rate as shown and listed (decimal text keeps every digit; the store holds integers). */
export const RateView = z.object({
  prefix: z.string(),
  perMinute: z.string(),
  increment: z.string(),
  connectFee: z.string(),
  minSeconds: z.number().int().nonnegative().nullable(),
  /** YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS], a wall time in the account's zone. */
  effectiveFrom: z.string(),
});
export type RateView = z.infer<typeof RateView>;

/** An account's billing settings and its whole rate card, history included. */
export const RateCardView = z.object({
  account: z.string(),
  currency: z.string().nullable(),
  billBy: BillBy,
  /** Whether a call that was not answered costs the connect fee (else it costs nothing). */
  unansweredConnectFee: z.boolean(),
  rates: z.array(RateView),
});
export type RateCardView = z.infer<typeof RateCardView>;

export const BillingPatch = z
  .object({ currency: z.string().max(3).optional(), billBy: BillBy.optional(), unansweredConnectFee: z.boolean().optional() })
  .strict();
export type BillingPatch = z.infer<typeof BillingPatch>;

/** How a call's cost is computed, one sentence each; docs/costs.md and the UI's tooltips show exactly these. */
export const COST_DEFINITIONS = {
  rate: 'Rate: the rate whose prefix is the longest one that starts the destination\'s digits, among the rates in force when the call started (effective-from at or before the start, in the account\'s time zone); for each prefix the latest such rate counts. An empty prefix matches every destination.',
  billedSeconds: 'Billed seconds: the provider\'s billable seconds (or the duration, where the account bills by duration), raised to the minimum billable duration, then rounded up to the increment: the first step of "first/next" is billed whole, every later step of "next" seconds is billed whole. A call of 0 seconds bills 0 seconds.',
  cost: 'Cost = connect fee + price per minute × billed seconds / 60, rounded once per call to the nearest 0.0001 of the currency (halves up). Calls not answered cost the connect fee only where the card says so, else 0; pending calls have no cost yet.',
  total: 'Cost (summary) = the sum of the calls\' costs, in one currency: accounts of different currencies are never added together. Calls without a cost (no rate card, no rate for the destination, pending) are counted apart as unpriced.',
  costPerAnswered: 'Cost per answered call = cost / answered calls (empty when none was answered).',
  costPerMinute: 'Cost per billable minute = cost / (billable seconds / 60) (empty when there are no billable seconds).',
} as const;

export const InvoiceCheckRequest = z
  .object({
    account: AccountName,
    /** The invoice's period: dates or local date-times in the account's zone (a date as `to` includes that day). */
    from: z.string().min(1).max(40),
    to: z.string().min(1).max(40),
    /** The invoice's total minutes and amount (in the account's currency). */
    minutes: z.number().nonnegative().max(1e12),
    amount: z.number().nonnegative().max(1e15),
  })
  .strict();
export type InvoiceCheckRequest = z.infer<typeof InvoiceCheckRequest>;

export const INVOICE_CAUSES = ['duration', 'billsec', 'rate_change', 'pending', 'unpriced', 'none'] as const;

export const InvoiceCheck = z.object({
  account: z.string(),
  currency: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  ours: z.object({
    calls: z.number().int(),
    /** Minutes as the card bills them (each call rounded up to its increment), and the plain sums. */
    billedMinutes: z.number(),
    billableMinutes: z.number(),
    durationMinutes: z.number(),
    cost: z.number().nullable(),
    pendingCalls: z.number().int(),
    unpricedCalls: z.number().int(),
  }),
  /** Invoice minus ours. */
  difference: z.object({ minutes: z.number(), amount: z.number().nullable() }),
  /** The likeliest cause of the difference, with what the invoice would be under it; null when they match. */
  cause: z
    .object({ kind: z.enum(INVOICE_CAUSES), since: z.string().nullable(), count: z.number().int().nullable(), amount: z.number().nullable() })
    .nullable(),
});
export type InvoiceCheck = z.infer<typeof InvoiceCheck>;
