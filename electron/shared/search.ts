// The search and summary shapes every hop validates (IPC, CLI, renderer), and the KPI definitions written once.
import { z } from 'zod';
import { CALL_STATUSES, Cdr } from './cdr.ts';
import { SearchFilter, SortSpec } from './filter.ts';

export const SearchRequest = z
  .object({
    filter: SearchFilter,
    sort: SortSpec.optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
    /** Rows to skip (the CLI's paging). */
    offset: z.number().int().nonnegative().max(1_000_000_000).optional(),
    /** The `next` cursor of the previous page (the UI's paging; stable while rows are added). */
    after: z.string().max(1024).optional(),
    /**
     * Only part of the answer: 'page' skips the exact total (null in the answer) so the rows come back without
     * waiting for the count; 'total' only counts (no rows). The UI sends both at once. Default: both.
     */
    part: z.enum(['page', 'total']).optional(),
  })
  .strict();
export type SearchRequest = z.infer<typeof SearchRequest>;

export const SearchResponse = z.object({
  /** Exact number of rows the filter matches; null when only the page was asked for. */
  total: z.number().int().nonnegative().nullable(),
  rows: z.array(Cdr),
  /** Cursor for the page after this one, null on the last page. */
  next: z.string().nullable(),
});
export type SearchResponse = z.infer<typeof SearchResponse>;

export const SUMMARY_GROUPINGS = ['campaign', 'day', 'week', 'month', 'hour', 'status', 'agent', 'account'] as const;
/** Calendars of day, week and month keys (Persian: Solar Hijri, weeks from Saturday). */
export const SummaryCalendar = z.enum(['gregorian', 'persian']);
export const SummaryBy = z.enum(SUMMARY_GROUPINGS);
export type SummaryBy = z.infer<typeof SummaryBy>;

export const SummaryRequest = z
  .object({ filter: SearchFilter, by: SummaryBy, tz: z.string().max(64).optional(), calendar: SummaryCalendar.optional() })
  .strict();
export type SummaryRequest = z.infer<typeof SummaryRequest>;

const count = z.number().int().nonnegative();
const StatusCounts = z.object(Object.fromEntries(CALL_STATUSES.map((s) => [s, count])) as Record<(typeof CALL_STATUSES)[number], typeof count>);

/** The KPIs of one group of calls (see SUMMARY_DEFINITIONS). */
export const SummaryFigures = StatusCounts.extend({
  total: count,
  answerRate: z.number(),
  avgTalkSec: z.number(),
  billSec: count,
  billMinutes: z.number(),
  /** Null when no call in the group carries a ring/wait time. */
  avgWaitSec: z.number().nullable(),
});
export type SummaryFigures = z.infer<typeof SummaryFigures>;

/** A group's cost (shared/costs.ts COST_DEFINITIONS): decimal numbers in `currency`; null without a rate card. */
export const CostFigures = z.object({
  currency: z.string().nullable(),
  cost: z.number().nullable(),
  costPerAnswered: z.number().nullable(),
  costPerMinute: z.number().nullable(),
  /** Calls of the group without a cost (no rate for them, still pending, or no rate card). */
  unpricedCalls: count,
});
export type CostFigures = z.infer<typeof CostFigures>;

export const SummaryRow = SummaryFigures.extend({
  /** Campaign name, day YYYY-MM-DD, hour 00..23, status, agent or account name; null = calls without one. */
  key: z.string().nullable(),
}).extend(CostFigures.shape);
export type SummaryRow = z.infer<typeof SummaryRow>;

export const SummaryResponse = z.object({ rows: z.array(SummaryRow) });
export type SummaryResponse = z.infer<typeof SummaryResponse>;

/** One definition per KPI, shown in docs/summaries.md and as tooltips; summary.ts computes exactly these. */
export const SUMMARY_DEFINITIONS = {
  total: 'Calls: every cached call matching the filters (each attempt counts once).',
  answered: 'Answered: calls whose normalized status is "answered" (the callee picked up).',
  no_answer: 'No answer: calls that rang out without being picked up.',
  busy: 'Busy: the callee was busy.',
  congestion: 'Congestion: the network or trunk could not carry the call.',
  failed: 'Failed: the call failed for another reason the provider reported.',
  invalid_number: 'Invalid number: the number does not exist or is malformed.',
  cancelled: 'Cancelled: the call was cancelled before it was answered.',
  pending: 'Pending: the provider says the call is not over yet (still dialling, ringing or in progress); a later sync settles it.',
  unknown: 'Unknown: the provider status could not be mapped to one of the above.',
  answerRate: 'Answer rate = answered calls / all calls (0 when there are no calls).',
  avgTalkSec: 'Average talk time = billable seconds of answered calls / answered calls (0 when none was answered).',
  billSec: 'Billable seconds = the sum of billable seconds over all calls.',
  billMinutes: 'Billable minutes = billable seconds / 60, to two decimals (not rounded per call).',
  avgWaitSec: 'Average ring/wait = wait seconds / calls that report a wait time; empty where the provider gives none.',
} as const;

export const HourWeekdayRequest = z.object({ filter: SearchFilter, tz: z.string().max(64).optional() }).strict();
export type HourWeekdayRequest = z.infer<typeof HourWeekdayRequest>;

/** 7 × 24 counts: [weekday 0 = Monday .. 6 = Sunday][hour 0..23]. */
const Matrix = z.array(z.array(count).length(24)).length(7);
export const HourWeekdayResponse = z.object({
  weekdays: z.array(z.string()).length(7),
  campaigns: z.array(z.object({ campaign: z.string().nullable(), total: Matrix, answered: Matrix })),
});
export type HourWeekdayResponse = z.infer<typeof HourWeekdayResponse>;

export const CompareRequest = z
  .object({ filter: SearchFilter, by: SummaryBy.exclude(['day', 'week', 'month']).optional(), tz: z.string().max(64).optional() })
  .strict();
export type CompareRequest = z.infer<typeof CompareRequest>;

const Delta = z.object({ total: z.number(), answered: z.number(), answerRate: z.number(), avgTalkSec: z.number(), billSec: z.number() });
export const CompareRow = z.object({ key: z.string().nullable(), current: SummaryFigures, previous: SummaryFigures, delta: Delta });
export type CompareRow = z.infer<typeof CompareRow>;
export const CompareResponse = z.object({
  /** The two windows as ISO instants (per the first account's zone when several zones apply). */
  current: z.object({ from: z.string(), to: z.string() }),
  previous: z.object({ from: z.string(), to: z.string() }),
  overall: CompareRow,
  rows: z.array(CompareRow),
});
export type CompareResponse = z.infer<typeof CompareResponse>;

export const ProviderReportedRequest = z.object({ account: z.string().min(1).max(80) }).strict();
export type ProviderReportedRequest = z.infer<typeof ProviderReportedRequest>;

export const ProviderReportedRow = z.object({
  campaignId: z.string(),
  campaign: z.string().nullable(),
  syncedAt: z.string(),
  windowFrom: z.string().nullable(),
  windowTo: z.string().nullable(),
  /** The provider's own figures, in its own field names. */
  reported: z.record(z.string(), z.unknown()),
  /** Our figures for the same campaign and window, from the cached calls. */
  local: SummaryFigures,
});
export const ProviderReportedResponse = z.object({
  account: z.string(),
  reason: z.string(),
  rows: z.array(ProviderReportedRow),
});
export type ProviderReportedResponse = z.infer<typeof ProviderReportedResponse>;

/** Why the provider's totals and ours may differ, shown beside them. */
export const PROVIDER_REPORT_REASON =
  'The provider counts every dialling attempt in its campaign report; its lead report keeps only each lead\'s latest ' +
  'attempt, so calls cached from it can be fewer than the provider\'s totals.';

export const SavedSearchName = z.string().trim().min(1, 'saved search name is empty').max(80, 'saved search name is longer than 80 characters');

export const SavedSearchInput = z.object({ name: SavedSearchName, filter: SearchFilter, sort: SortSpec.optional() }).strict();
export type SavedSearchInput = z.infer<typeof SavedSearchInput>;

export const SavedSearch = z.object({
  name: z.string(),
  filter: SearchFilter,
  sort: SortSpec.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SavedSearch = z.infer<typeof SavedSearch>;
