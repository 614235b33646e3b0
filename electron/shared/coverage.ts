// The sync's own check and the coverage ledger, as every layer above the data host sees them (AccountView,
// accounts.coverage). No Node, DOM or Electron here.
import { z } from 'zod';

/**
 * complete: every call stored is accounted for by what the provider claims (its counts, the ids asked for);
 * incomplete: something is missing (text says what and where), or the sync stopped;
 * unverified: calls were stored that the provider gave nothing to check against.
 */
export const VERDICT_STATUSES = ['complete', 'incomplete', 'unverified'] as const;
export const VerdictStatus = z.enum(VERDICT_STATUSES);
export type VerdictStatus = z.infer<typeof VerdictStatus>;

export const SyncVerdict = z.object({
  status: VerdictStatus,
  /** One short line naming scopes and counts (English, like every data-layer message). */
  text: z.string(),
});
export type SyncVerdict = z.infer<typeof SyncVerdict>;

/** A day in the account's zone: synced completely, only by unverified syncs, touched by an incomplete one, or never. */
export const DAY_STATUSES = ['complete', 'unverified', 'gap', 'never'] as const;
export const DayStatus = z.enum(DAY_STATUSES);
export type DayStatus = z.infer<typeof DayStatus>;

const Day = z.string().max(10).regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD');

/** The days listed (inclusive, account's zone); default: from the first day with calls or coverage to today. */
export const CoverageDays = z
  .object({ from: Day.optional(), to: Day.optional() })
  .strict();

export const CoverageRange = z.object({
  /** ISO instants; from null = from the provider's beginning. Half-open: [from, to). */
  from: z.string().nullable(),
  to: z.string().nullable(),
  status: DayStatus,
  /** The latest sync that gave this range its status (null for never). */
  syncedAt: z.string().nullable(),
});
export type CoverageRange = z.infer<typeof CoverageRange>;

export const CoverageDay = z.object({
  day: Day,
  status: DayStatus,
  syncedAt: z.string().nullable(),
  /** Calls cached that started that day (account's zone). */
  calls: z.number().int().nonnegative(),
});
export type CoverageDay = z.infer<typeof CoverageDay>;

export const CoverageResponse = z.object({
  account: z.string(),
  timezone: z.string(),
  /** false for providers that read calls only by id: their syncs cover ids, not time ranges. */
  byTime: z.boolean(),
  ranges: z.array(CoverageRange),
  days: z.array(CoverageDay),
});
export type CoverageResponse = z.infer<typeof CoverageResponse>;
