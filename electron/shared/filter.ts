// One filter grammar for the renderer, IPC, the CLI and export (Datasette-style): the same object everywhere.
import { z } from 'zod';
import { CallStatus, Direction } from './cdr.ts';

export const SORT_FIELDS = [
  'startedAt', 'answeredAt', 'endedAt', 'durationSec', 'billSec', 'status', 'campaign', 'source', 'destination',
  'account', 'agent', 'callId', 'direction',
] as const;
export const SortField = z.enum(SORT_FIELDS);
export type SortField = z.infer<typeof SortField>;

/** Longest call a duration filter may name: a year (window.api bounds every number it takes). */
export const MAX_DURATION_SEC = 366 * 86_400;

export const SearchFilter = z
  .object({
    /** Account names; none = every account. */
    accounts: z.array(z.string().min(1).max(80)).max(500).optional(),
    /** Free text: names, numbers, campaign, ids, agent and free-text parts of the raw record. */
    text: z.string().max(500).optional(),
    statuses: z.array(CallStatus).max(20).optional(),
    campaign: z.string().max(500).optional(),
    direction: Direction.optional(),
    /** A phone number fragment, matched whatever spacing or + the provider used. */
    phone: z.string().max(64).optional(),
    /** A date (YYYY-MM-DD), a local date-time, or an ISO 8601 instant with Z or an offset. */
    from: z.string().max(64).optional(),
    /** As `from`; a bare date includes that whole day. */
    to: z.string().max(64).optional(),
    /** Zone for local dates in from/to; default each account's own zone. */
    tz: z.string().max(64).optional(),
    minDuration: z.number().int().nonnegative().max(MAX_DURATION_SEC).optional(),
    maxDuration: z.number().int().nonnegative().max(MAX_DURATION_SEC).optional(),
    /** Cost range, in each account's currency (calls without a cost are left out when either is given). */
    minCost: z.number().nonnegative().max(1e9).optional(),
    maxCost: z.number().nonnegative().max(1e9).optional(),
  })
  .strict();
export type SearchFilter = z.infer<typeof SearchFilter>;

export const SortSpec = z.object({ field: SortField, desc: z.boolean() }).strict();
export type SortSpec = z.infer<typeof SortSpec>;
