// The one record model every provider maps onto (see CLI.md "CDR JSON"). No Node, DOM or Electron imports here.
import { z } from 'zod';

export const CALL_STATUSES = [
  'answered',
  'no_answer',
  'busy',
  'congestion',
  'failed',
  'invalid_number',
  'cancelled',
  // The provider says the call is not final yet (still dialling, ringing or in progress): a later sync settles it.
  'pending',
  'unknown',
] as const;
export const CallStatus = z.enum(CALL_STATUSES);
export type CallStatus = z.infer<typeof CallStatus>;

export const Direction = z.enum(['in', 'out']);
export type Direction = z.infer<typeof Direction>;

/** ISO 8601 instant in UTC, e.g. 2024-10-25T06:00:12Z (milliseconds only when the provider gave them). */
const Instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/);

/** A call as search returns it and the CLI prints it. */
export const Cdr = z.object({
  account: z.string(),
  provider: z.string(),
  callId: z.string(),
  campaign: z.string().nullable(),
  direction: Direction.nullable(),
  source: z.string().nullable(),
  destination: z.string().nullable(),
  status: CallStatus,
  providerStatus: z.string().nullable(),
  startedAt: Instant.nullable(),
  answeredAt: Instant.nullable(),
  endedAt: Instant.nullable(),
  durationSec: z.number().int().nonnegative().nullable(),
  billSec: z.number().int().nonnegative().nullable(),
  keypress: z.string().nullable(),
  agent: z.string().nullable(),
  recording: z.string().nullable(),
  /** The person called, where the provider names one (TEL4VN v3 lead_name, TEL4VN v2 customer_name in param). */
  contact: z.string().nullable(),
  /** The call's cost in `currency` from the account's rate card (docs/costs.md), else null. */
  cost: z.number().nullable().optional(),
  currency: z.string().nullable().optional(),
  /** Why cost is null (no rate card, no rate for the destination then, still pending...); null when priced. */
  costNote: z.string().nullable().optional(),
  raw: z.unknown(),
});
export type Cdr = z.infer<typeof Cdr>;

/**
 * What an adapter hands to the cache for one call. Instants are epoch milliseconds (already resolved from the
 * account's zone); the cache keeps them as integers so that ranges and buckets are integer comparisons.
 */
export interface NormalizedCdr {
  callId: string;
  campaignId: string | null;
  campaign: string | null;
  direction: Direction | null;
  source: string | null;
  destination: string | null;
  status: CallStatus;
  providerStatus: string | null;
  startedAt: number | null;
  answeredAt: number | null;
  endedAt: number | null;
  durationSec: number | null;
  billSec: number | null;
  /** Seconds the callee's phone rang or the caller waited, where the provider reports it. */
  waitSec: number | null;
  keypress: string | null;
  agent: string | null;
  recording: string | null;
  /** The person called, from the provider's documented field; absent or null where it names nobody. */
  contact?: string | null;
  /** Free text worth finding (customer names inside a provider's parameters, comments...). */
  extraText: string | null;
  raw: unknown;
}
